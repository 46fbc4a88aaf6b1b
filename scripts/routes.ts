/**
 * docs/routes.md: every route with the guards that run on it, in order, from the guard
 * table (src/web/http/guards.table.ts), and the pages that share a bucket with their JSON
 * twin. Generated so the reviewer's page cannot drift from what the platform attaches.
 */
import { bucketOf, guardMeaning, routeGuards, twins, type Guard } from '../src/web/http/guards.table.ts';

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const code = (v: string) => `\`${v.replace(/\|/g, '\\|')}\``;

export function renderRouteDocs(generated: string): string {
  const routes = Object.entries(routeGuards) as [string, readonly Guard[]][];
  return [
    '# Routes and their guards',
    '',
    `Every route the platform registers and the guards that run on it, in order, from`,
    `\`src/web/http/guards.table.ts\`. ${generated}`,
    'A route missing from the table stops the platform at start; an entry that is no longer a',
    'route fails `src/web/http/guards.test.ts`. `HEAD` runs as its `GET`.',
    '',
    '## Guards',
    '',
    row(['Guard', 'What it does']),
    row(['---', '---']),
    ...Object.entries(guardMeaning).map(([g, m]) =>
      row([code(g === 'limit' ? 'limit:<bucket>' : g), m.replace(/\|/g, '\\|')]),
    ),
    row([
      code('limit:<bucket>|code'),
      'as `limit:<bucket>`, but in the `code` bucket when the form sends a code (`send=1`)',
    ]),
    '',
    '## Routes',
    '',
    row(['Method', 'Route', 'Guards, in order']),
    row(['---', '---', '---']),
    ...routes.map(([key, guards]) => {
      const [method, url] = key.split(' ') as [string, string];
      return row([method === '*' ? 'any' : method, code(url), guards.map(code).join(' → ')]);
    }),
    '',
    '## Pages and their JSON twins',
    '',
    'The same step through a form or the API counts in one bucket per source address',
    '(`src/shared/limits.test.ts` spends it through one side and is refused on the other).',
    '',
    row(['Page', 'JSON twin', 'Bucket']),
    row(['---', '---', '---']),
    ...twins.map((t) =>
      row([code(`${t.page}${t.send ? ' (send=1)' : ''}`), code(t.api), bucketOf(t.page, t.send) ?? 'none']),
    ),
    '',
  ].join('\n');
}

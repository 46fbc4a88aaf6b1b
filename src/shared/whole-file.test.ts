/**
 * Invariant: a file made with createWholeFile is never seen partly written, exactly one
 * writer's content wins, and no aside file is left behind — also when several processes race
 * for the same path (the development keys of two nodes starting on one data directory).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createWholeFile } from './whole-file.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'whole-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('createWholeFile', () => {
  test('the first content stays; a second create keeps it or fails with EEXIST', () => {
    const path = join(dir, 'one', 'key.json');
    assert.equal(createWholeFile(path, '{"n":1}\n'), true);
    assert.equal(createWholeFile(path, '{"n":2}\n', { keepExisting: true }), false);
    assert.throws(() => createWholeFile(path, '{"n":3}\n'), { code: 'EEXIST' });
    assert.equal(readFileSync(path, 'utf8'), '{"n":1}\n');
    assert.deepEqual(readdirSync(join(dir, 'one')), ['key.json'], 'no aside file left');
  });

  test('racing processes: every reader parses the one winner', async () => {
    const path = join(dir, 'race', 'key.json');
    const module = new URL('./whole-file.ts', import.meta.url).href;
    const script = (n: number) => `
      import { readFileSync } from 'node:fs';
      const { createWholeFile } = await import(${JSON.stringify(module)});
      createWholeFile(${JSON.stringify(path)}, JSON.stringify({ n: ${n}, pad: 'x'.repeat(1 << 20) }), { keepExisting: true });
      process.stdout.write(String(JSON.parse(readFileSync(${JSON.stringify(path)}, 'utf8')).n));`;
    const seen = await Promise.all(
      Array.from({ length: 4 }, async (_, n) => {
        const { stdout } = await run(process.execPath, [
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          script(n),
        ]);
        return stdout;
      }),
    );
    assert.equal(new Set(seen).size, 1, `one winner, seen ${seen.join(',')}`);
    assert.deepEqual(readdirSync(join(dir, 'race')), ['key.json']);
  });
});

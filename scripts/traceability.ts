/**
 * Builds docs/policy-traceability.md: for every clause in policy/clauses.md, where the
 * code enforces it and which test proves it. The platform promises that every policy
 * clause is enforced by code and proved by a test, so this table is how a reviewer (or a
 * regulator) checks that promise without reading the whole tree.
 *
 * References it understands:
 * - a comment containing `policy: P5.1.1` (or `policy: P3.2, P3.3`) — enforcement;
 * - a `clause: 'P7.2'` property (error catalogue, audit entries) — enforcement;
 * - in `*.test.ts(x)` files, a `test(` / `it(` / `describe(` title that STARTS with
 *   clause IDs, e.g. `test('P3.2 P3.3 the language cookie …')` — proof.
 * An ID that is not in policy/clauses.md fails the run: a typo would otherwise make a
 * clause look proved when it is not.
 *
 * Sub-clauses (the two-column table of policy/clauses.md, `P8.1.export`): a clause that has
 * them is "tested" only when every sub-clause has a test titled with the sub-clause's own
 * ID, "partly" when some have; a test titled with the parent ID alone proves none of them.
 *
 * Usage: node --import tsx scripts/traceability.ts [--check]
 */
import { readFileSync, readdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLAUSES_FILE = 'policy/clauses.md';
export const OUTPUT_FILE = 'docs/policy-traceability.md';
// Not scripts/: its tests hold sample titles with made-up IDs on purpose.
const SCANNED_DIRS = ['src', 'test', 'bench'];

/**
 * P, digits, dot-separated digits, then optionally `.x` (P4.x) or one letter (P7.2i), then
 * optionally a sub-clause name (P8.1.export, P7.2i.record).
 */
const ID = String.raw`P\d+(?:\.\d+)*(?:\.x|[a-z])?(?:\.[a-z]+)?`;
// The look-ahead stops `P7.2in` or `P7.2.Roles` from being read as `P7.2` followed by junk.
const ID_AT_START = new RegExp(String.raw`^(${ID})(?![\w]|\.\w)[\s,/:;]*`);
const TAG = /policy:\s*(P\S.*)$/;
const CLAUSE_PROP = /\bclause:\s*(['"])([^'"\n]*)\1/g;
// Multi-line on purpose: prettier may put a long title on the line after `test(`.
const TEST_CALL = /\b(?:test|it|describe)(?:\.(?:only|skip|todo))?\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;

export interface Clause {
  id: string;
  promise: string;
  must: string;
  /** For a sub-clause, the clause it splits (P8.1 for P8.1.export). */
  parent?: string;
}

export interface Ref {
  id: string;
  file: string;
  line: number;
  /** Test title, for proofs. */
  title?: string;
}

export interface Scan {
  enforcement: Ref[];
  proofs: Ref[];
  /** `file:line: message`, one per unknown or malformed ID. */
  problems: string[];
}

/**
 * Clauses in file order, each followed by its sub-clauses. A three-column row is a clause
 * (ID, promise, must); a two-column row is a sub-clause (ID, must) of the clause its ID
 * extends by one `.name`, which must exist.
 */
export function parseClauses(markdown: string): Clause[] {
  const clauses: Clause[] = [];
  const subs: Clause[] = [];
  for (const line of markdown.split('\n')) {
    const cells = line
      .trim()
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((c) => c.trim());
    const [id, second, third] = cells;
    if (!id || !/^P\d/.test(id) || second === undefined) continue;
    if (!new RegExp(`^${ID}$`).test(id)) throw new Error(`${CLAUSES_FILE}: malformed clause ID ${id}`);
    if (third !== undefined) {
      clauses.push({ id, promise: second, must: third });
    } else {
      const parent = /^(.+)\.[a-z]+$/.exec(id)?.[1];
      if (!parent) throw new Error(`${CLAUSES_FILE}: sub-clause ${id} does not extend a clause ID`);
      subs.push({ id, promise: second, must: second, parent });
    }
  }
  const ids = new Set(clauses.map((c) => c.id));
  for (const s of subs) {
    if (!ids.has(s.parent!))
      throw new Error(`${CLAUSES_FILE}: sub-clause ${s.id} of unknown clause ${s.parent}`);
    if (ids.has(s.id)) throw new Error(`${CLAUSES_FILE}: clause ${s.id} listed twice`);
    ids.add(s.id);
  }
  return clauses.flatMap((c) => [c, ...subs.filter((s) => s.parent === c.id)]);
}

/** The run of clause IDs a test title or tag starts with ('P3.2 P3.3 the …' → both). */
export function leadingIds(text: string): string[] {
  const ids: string[] = [];
  let rest = text.trimStart();
  for (let m = ID_AT_START.exec(rest); m; m = ID_AT_START.exec(rest)) {
    ids.push(m[1]!);
    rest = rest.slice(m[0].length);
  }
  return ids;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** A tag only counts in a comment, so `{ policy: 'same-origin' }`-style code never does. */
function inComment(before: string): boolean {
  return /\/\/|\/\*|--/.test(before) || /^\s*[*#]/.test(before);
}

/**
 * Finds the references in one file (`file` is repo-relative). Only non-test code under
 * src/ counts as "enforced in": bench fixtures and test helpers carry `clause:` values
 * too, but they enforce nothing. Everywhere, an unknown ID is still a problem.
 */
export function scanSource(file: string, text: string, known: ReadonlySet<string>): Scan {
  const scan: Scan = { enforcement: [], proofs: [], problems: [] };
  const isTest = /\.test\.tsx?$/.test(file);
  const enforces = !isTest && file.startsWith('src/') ? 'enforcement' : null;
  const add = (kind: 'enforcement' | 'proofs' | null, id: string, line: number, title?: string) => {
    if (!known.has(id)) {
      scan.problems.push(`${file}:${line}: unknown policy clause ${id} (not in ${CLAUSES_FILE})`);
    } else if (kind) {
      scan[kind].push({ id, file, line, ...(title === undefined ? {} : { title }) });
    }
  };

  text.split('\n').forEach((lineText, i) => {
    const tag = TAG.exec(lineText);
    if (tag && inComment(lineText.slice(0, tag.index))) {
      for (const id of leadingIds(tag[1]!)) add(enforces, id, i + 1);
    }
  });
  for (const m of text.matchAll(CLAUSE_PROP)) {
    const value = m[2]!;
    const line = lineAt(text, m.index);
    if (!new RegExp(`^${ID}$`).test(value)) {
      scan.problems.push(`${file}:${line}: clause '${value}' is not a clause ID`);
    } else add(enforces, value, line);
  }
  if (isTest) {
    for (const m of text.matchAll(TEST_CALL)) {
      const title = m[2]!.replace(/\s+/g, ' ');
      const line = lineAt(text, m.index);
      for (const id of leadingIds(title)) add('proofs', id, line, title);
    }
  }
  return scan;
}

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Paths in the doc are POSIX and repo-relative so output is the same on every machine. */
const posix = (root: string, p: string) => relative(root, p).split(sep).join('/');
const byPlace = (a: Ref, b: Ref) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line);
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\s+/g, ' ').trim();
const link = (r: Ref) => `[${r.file}:${r.line}](../${r.file}#L${r.line})`;

function short(text: string, max = 80): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > 0 ? cut.slice(0, space) : cut).replace(/[\s,;:(]+$/, '')}…`;
}

/** `partly`: some, not all, of a clause's sub-clauses are tested. */
export type Status = 'tested' | 'partly' | 'code only' | 'not yet';

interface Row {
  c: Clause;
  enforced: Ref[];
  proved: Ref[];
  status: Status;
  /** A clause with sub-clauses: how many of them are tested. */
  subs?: { tested: number; of: number };
}

export function renderTraceability(clauses: Clause[], enforcement: Ref[], proofs: Ref[]): string {
  const own = (refs: Ref[], id: string) => refs.filter((r) => r.id === id).sort(byPlace);
  const plain = (enforced: Ref[], proved: Ref[]): Status =>
    proved.length ? 'tested' : enforced.length ? 'code only' : 'not yet';
  const subRows = new Map<string, Row>();
  for (const c of clauses.filter((x) => x.parent)) {
    const enforced = own(enforcement, c.id);
    const proved = own(proofs, c.id);
    subRows.set(c.id, { c, enforced, proved, status: plain(enforced, proved) });
  }
  const rows: Row[] = clauses.map((c) => {
    if (c.parent) return subRows.get(c.id)!;
    const enforced = own(enforcement, c.id);
    const proved = own(proofs, c.id);
    const subs = [...subRows.values()].filter((r) => r.c.parent === c.id);
    if (subs.length === 0) return { c, enforced, proved, status: plain(enforced, proved) };
    // A test titled with the parent ID alone proves no sub-clause (policy/clauses.md).
    const tested = subs.filter((r) => r.status === 'tested').length;
    const anyCode = enforced.length > 0 || subs.some((r) => r.enforced.length > 0);
    const status: Status =
      tested === subs.length ? 'tested' : tested > 0 ? 'partly' : anyCode ? 'code only' : 'not yet';
    return { c, enforced, proved, status, subs: { tested, of: subs.length } };
  });
  const top = rows.filter((r) => !r.c.parent);
  const below = rows.filter((r) => r.c.parent);
  const count = (list: Row[], s: Status) => list.filter((r) => r.status === s).length;
  const statusCell = (r: Row) => (r.subs ? `${r.status} (${r.subs.tested}/${r.subs.of})` : r.status);
  const untested = top.filter((r) => r.status !== 'tested');
  return [
    '# Policy traceability',
    '',
    'Generated by `npm run docs` from `policy/clauses.md`, `policy:` tags and `clause:` properties in the',
    'code, and test titles that start with clause IDs. Never edit it by hand.',
    '',
    'A clause split into sub-clauses (rows in italics below it) is tested only when every sub-clause',
    'has a test titled with its own ID, and partly tested when some have (the count is shown); a test',
    'titled with the parent ID alone proves none of its sub-clauses.',
    '',
    `${top.length} clauses: ${count(top, 'tested')} tested, ${count(top, 'partly')} partly, ${count(top, 'code only')} code only, ${count(top, 'not yet')} not yet.`,
    `${below.length} sub-clauses: ${count(below, 'tested')} tested, ${count(below, 'code only')} code only, ${count(below, 'not yet')} not yet.`,
    '',
    '| ID | Promise | Enforced in | Proved by | Status |',
    '|---|---|---|---|---|',
    ...rows.map((r) =>
      [
        '',
        r.c.parent ? `*${r.c.id}*` : r.c.id,
        r.c.parent ? `*${cell(short(r.c.must))}*` : cell(short(r.c.promise)),
        r.enforced.map(link).join('<br>') || '—',
        r.proved.map((p) => `${link(p)} ${cell(p.title ?? '')}`).join('<br>') || '—',
        statusCell(r),
        '',
      ]
        .join(' | ')
        .trim(),
    ),
    '',
    '## Clauses not fully tested',
    '',
    ...(untested.length
      ? untested.flatMap((r) => [
          `- **${r.c.id}** (${statusCell(r)}): ${cell(r.c.must)}`,
          ...below
            .filter((s) => s.c.parent === r.c.id && s.status !== 'tested')
            .map((s) => `  - **${s.c.id}** (${s.status}): ${cell(s.c.must)}`),
        ])
      : ['Every clause has a test.']),
    '',
  ].join('\n');
}

export function generateTraceability(root = ROOT): { content: string; problems: string[] } {
  const clauses = parseClauses(readFileSync(join(root, CLAUSES_FILE), 'utf8'));
  const known = new Set(clauses.map((c) => c.id));
  const all: Scan = { enforcement: [], proofs: [], problems: [] };
  for (const path of SCANNED_DIRS.flatMap((d) => walk(join(root, d)))) {
    const text = readFileSync(path, 'utf8');
    if (text.includes('\0')) continue; // binary
    const s = scanSource(posix(root, path), text, known);
    all.enforcement.push(...s.enforcement);
    all.proofs.push(...s.proofs);
    all.problems.push(...s.problems);
  }
  return { content: renderTraceability(clauses, all.enforcement, all.proofs), problems: all.problems };
}

/** Compares ignoring CRLF so a Windows checkout is not reported as stale. */
export function isStale(path: string, content: string): boolean {
  return !existsSync(path) || readFileSync(path, 'utf8').replace(/\r\n/g, '\n') !== content;
}

function main(args: string[]): number {
  const { content, problems } = generateTraceability();
  for (const p of problems) process.stderr.write(`${p}\n`);
  const out = join(ROOT, OUTPUT_FILE);
  if (args.includes('--check')) {
    if (isStale(out, content)) {
      process.stderr.write(`${OUTPUT_FILE} is stale: regenerate it with \`npm run docs\`\n`);
      return 1;
    }
  } else if (!problems.length) {
    writeFileSync(out, content);
  }
  return problems.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}

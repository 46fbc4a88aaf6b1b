/**
 * The generators are what keeps docs and the traceability table honest, so their parsing
 * is tested on in-memory samples: the real tree changes daily and must not make this
 * test flaky. (Titles here deliberately do not start with clause IDs: they prove none.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settings } from '../src/kernel/config/schema.ts';
import { renderAuditActionDocs, renderConfigDocs } from './docs.ts';
import { leadingIds, parseClauses, renderTraceability, scanSource } from './traceability.ts';

const clausesMd = [
  '| ID | The promise | What the system must do |',
  '|---|---|---|',
  '| P3.2 | Cookies | Necessary cookie only |',
  '| P3.3 | Refuse cookies | Preferences |',
  '| P4.x | Incompatible use | Fresh consent |',
  '| P7.2 | Security | Hashing |',
  '| P7.2i | Incidents | Incident records |',
].join('\n');
const known = new Set(parseClauses(clausesMd).map((c) => c.id));

test('clause table parsing keeps IDs exactly as listed, including P4.x and P7.2i', () => {
  assert.deepEqual([...known], ['P3.2', 'P3.3', 'P4.x', 'P7.2', 'P7.2i']);
});

test('leading IDs are read from the start of a title only', () => {
  assert.deepEqual(leadingIds('P3.2 P3.3 the language cookie is strictly necessary'), ['P3.2', 'P3.3']);
  assert.deepEqual(leadingIds('P4.x, P7.2i: both'), ['P4.x', 'P7.2i']);
  assert.deepEqual(leadingIds('the cookie (P3.2) is necessary'), []);
  // A longer token is not silently read as its shorter prefix.
  assert.deepEqual(leadingIds('P7.2in is not an ID'), []);
});

test('test titles in test files are proofs, with file and line', () => {
  const src =
    "import { test } from 'node:test';\n\ntest(\n  'P3.2 P3.3 the language cookie …',\n  () => {},\n);\n";
  const scan = scanSource('test/cookie.test.ts', src, known);
  assert.deepEqual(scan.problems, []);
  assert.deepEqual(
    scan.proofs.map((r) => [r.id, r.file, r.line]),
    [
      ['P3.2', 'test/cookie.test.ts', 3],
      ['P3.3', 'test/cookie.test.ts', 3],
    ],
  );
});

test('an unknown ID in a test title or a tag is reported as file:line', () => {
  const titles = scanSource('test/x.test.ts', "it('P9.9 no such clause', () => {});\n", known);
  assert.deepEqual(titles.proofs, []);
  assert.match(titles.problems[0] ?? '', /^test\/x\.test\.ts:1: unknown policy clause P9\.9/);
  const tags = scanSource('src/a.ts', 'const a = 1;\n// policy: P7.2, P7.3\n', known);
  assert.deepEqual(
    tags.enforcement.map((r) => `${r.id}@${r.line}`),
    ['P7.2@2'],
  );
  assert.match(tags.problems[0] ?? '', /^src\/a\.ts:2: unknown policy clause P7\.3/);
});

test('tags and clause properties in src are enforcement; code that merely says policy: is not', () => {
  const src = [
    "  clause: 'P7.2',",
    "helmet({ referrerPolicy: { policy: 'same-origin' } });",
    '/* policy: P4.x */',
  ].join('\n');
  const scan = scanSource('src/m.ts', src, known);
  assert.deepEqual(scan.problems, []);
  assert.deepEqual(scan.enforcement.map((r) => `${r.id}@${r.line}`).sort(), ['P4.x@3', 'P7.2@1']);
});

test('the traceability table gives each clause a status and lists untested ones', () => {
  const clauses = parseClauses(clausesMd);
  const md = renderTraceability(
    clauses,
    [{ id: 'P7.2', file: 'src/a.ts', line: 3 }],
    [{ id: 'P3.2', file: 'test/c.test.ts', line: 5, title: 'P3.2 cookie' }],
  );
  assert.match(
    md,
    /^\| P3\.2 \|.*\[test\/c\.test\.ts:5\]\(\.\.\/test\/c\.test\.ts#L5\) P3\.2 cookie \| tested \|$/m,
  );
  assert.match(md, /^\| P7\.2 \|.*\[src\/a\.ts:3\]\(\.\.\/src\/a\.ts#L3\) \| — \| code only \|$/m);
  assert.match(md, /^\| P7\.2i \|.* \| not yet \|$/m);
  assert.match(md, /## Clauses not fully tested\n\n- \*\*P3\.3\*\*/);
});

const withSubs = [
  clausesMd,
  '',
  '| ID | What the system must do |',
  '|---|---|',
  '| P7.2.hash | Memory-hard hashing |',
  '| P7.2.audit | Tamper-evident log |',
  '| P7.2i.record | Incident record |',
].join('\n');

test('sub-clauses are read from the two-column table and follow their parent', () => {
  const clauses = parseClauses(withSubs);
  assert.deepEqual(
    clauses.map((c) => (c.parent ? `${c.id}<${c.parent}` : c.id)),
    ['P3.2', 'P3.3', 'P4.x', 'P7.2', 'P7.2.hash<P7.2', 'P7.2.audit<P7.2', 'P7.2i', 'P7.2i.record<P7.2i'],
  );
  assert.throws(() => parseClauses(`${withSubs}\n| P9.accept | no such parent |`), /unknown clause P9/);
});

test('a sub-clause ID is read whole, and a malformed one is not read as its parent', () => {
  assert.deepEqual(leadingIds('P7.2.hash P7.2i.record: both'), ['P7.2.hash', 'P7.2i.record']);
  assert.deepEqual(leadingIds('P7.2.Hash is not an ID'), []);
  assert.deepEqual(leadingIds('P7.2. then a sentence'), ['P7.2']);
  const known = new Set(parseClauses(withSubs).map((c) => c.id));
  const scan = scanSource('test/x.test.ts', "test('P7.2.hashes typo', () => {});\n", known);
  assert.deepEqual(scan.proofs, []);
  assert.match(scan.problems[0] ?? '', /unknown policy clause P7\.2\.hashes/);
});

test('a clause with sub-clauses is tested only when every sub-clause is, partly when some are', () => {
  const clauses = parseClauses(withSubs);
  const proof = (id: string, line: number) => ({ id, file: 'test/a.test.ts', line, title: `${id} t` });
  const parentOnly = renderTraceability(clauses, [], [proof('P7.2', 1)]);
  assert.match(
    parentOnly,
    /^\| P7\.2 \|.* \| not yet \(0\/2\) \|$/m,
    'the parent ID alone proves no sub-clause',
  );
  const one = renderTraceability(clauses, [], [proof('P7.2', 1), proof('P7.2.hash', 2)]);
  assert.match(one, /^\| P7\.2 \|.* \| partly \(1\/2\) \|$/m);
  assert.match(one, /^\| \*P7\.2\.hash\* \|.* \| tested \|$/m);
  assert.match(one, /^\| \*P7\.2\.audit\* \|.* \| not yet \|$/m);
  assert.match(one, /- \*\*P7\.2\*\* \(partly \(1\/2\)\): Hashing\n {2}- \*\*P7\.2\.audit\*\* \(not yet\)/);
  const all = renderTraceability(clauses, [], [proof('P7.2.hash', 2), proof('P7.2.audit', 3)]);
  assert.match(all, /^\| P7\.2 \|.* \| tested \(2\/2\) \|$/m);
  assert.match(all, /clauses: 1 tested, 0 partly/);
});

test('the audit-action docs list each action and report a clause the policy does not have', () => {
  const { content, problems } = renderAuditActionDocs(
    {
      'b.done': { actors: ['citizen'], clauses: ['P7.2', null], records: 'done' },
      'a.refused': { actors: ['staff', 'system'], clauses: 'of-refusal', records: 'refused' },
      'c.typo': { actors: ['system'], clauses: ['P7.9'], records: 'typo' },
    },
    new Set(['P7.2']),
  );
  assert.match(
    content,
    /\| <a id="a\.refused"><\/a>`a\.refused` \| staff, system \| the refusing error’s clause \| refused \|\n\| <a id="b\.done">/,
  );
  assert.match(content, /`b\.done` \| citizen \| P7\.2, — \| done \|/);
  assert.deepEqual(problems, ['audit action c.typo: unknown policy clause P7.9 (not in policy/clauses.md)']);
});

test('generated config docs mention every environment variable in the schema', () => {
  const md = renderConfigDocs();
  for (const [, meta] of Object.values(settings)) assert.ok(md.includes(`\`${meta.env}\``), meta.env);
});

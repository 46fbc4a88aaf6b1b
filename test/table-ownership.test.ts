/**
 * Invariant: each table is read and written only by the module that owns it; above all,
 * nothing outside the vault touches the personal-data tables, so no code can read a
 * person's data without the vault's purpose and basis check. Tests are exempt: they play
 * auditors and attackers.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { subjectData } from '../src/modules/inventory/index.ts';
import { readSchema } from './support/schema.ts';

/**
 * Each table's owner, derived from the subject-data declarations (`*.data.ts`, gathered by
 * the inventory): the folder, or the one file, of the owner that declares it. Not a list
 * kept here: a table nobody declares has no owner, and the test below fails for it.
 */
const owners: Record<string, string> = Object.fromEntries(
  subjectData.flatMap((d) => Object.keys(d.tables).map((table) => [table, d.owner])),
);

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

const SQL_TABLE = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+([a-z_]+)\b/g;

export function violations(files: { path: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { path, text } of files) {
    for (const m of text.matchAll(SQL_TABLE)) {
      const owner = owners[m[1]!];
      if (owner && !path.startsWith(owner)) found.push(`${path}: uses ${m[1]} (owned by ${owner})`);
    }
  }
  return found;
}

test('P4 nothing outside the vault reads personal-data tables; no module reads another module’s tables', () => {
  const files = sources('src').map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  assert.ok(files.length > 20, 'the scan sees the source tree');
  assert.deepEqual(violations(files), []);
});

test('every table of the schema snapshot has an owner, so the scan knows it', () => {
  const unowned = [...readSchema().keys()].filter((table) => !Object.hasOwn(owners, table));
  assert.deepEqual(unowned, [], 'declare each table in its owner’s *.data.ts');
});

test('the ownership scan catches a query from outside the vault', () => {
  const bad = [
    {
      path: 'src/modules/identity/x.ts',
      text: "q.query('SELECT ciphertext FROM vault_field WHERE subject_id = $1')",
    },
  ];
  assert.deepEqual(violations(bad), [
    'src/modules/identity/x.ts: uses vault_field (owned by src/modules/vault/)',
  ]);
});

/**
 * Invariant (P6.2, P8.1): the subject-data declarations (`*.data.ts`, gathered by the
 * inventory) describe the real schema, completely: every table of the schema snapshot is
 * claimed by exactly one owner; every declared table and column exists; every column of
 * a table holding subject data is declared with a known category; every column that holds
 * a subject's id says whose, and its table has a machine-readable retention whose events
 * and columns exist. Export and erasure name only real columns and known legal bases.
 * Export, retention and erasure will read these declarations, so a gap here is a gap there.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import {
  holdsSubjectData,
  legalBases,
  notExported,
  retentionEvents,
  type Labels,
  type RetentionTrigger,
  type SubjectData,
} from '../src/kernel/subject-data.ts';
import { categories, subjectData } from '../src/modules/inventory/index.ts';
import { parseSchema, readSchema, SNAPSHOT_FILE, type Schema } from './support/schema.ts';

/** Columns that hold a subject's id by their name, whatever their type (text ids of actors). */
const SUBJECT_ID_NAMES = new Set([
  'subject_id',
  'actor_id',
  'staff_id',
  'agent_id',
  'representative_id',
  'granted_by',
  'company_id',
  'account_id',
]);
/** Columns that hold a subject's id by what they point at. */
const SUBJECT_TABLES = new Set(['vault_subject(id)', 'staff_account(id)', 'company(subject_id)']);
const TIME_TYPES = new Set(['timestamp with time zone', 'bigint']);
const STRUCTURAL = new Set(['technical', 'per-field']);

const holdsSubjectId = (column: string, c: { references?: string }) =>
  SUBJECT_ID_NAMES.has(column) || (c.references !== undefined && SUBJECT_TABLES.has(c.references));

const badLabels = (l: Labels) => (['zh-CN', 'en', 'cs'] as const).some((k) => !l[k]?.trim());

export function problems(schema: Schema, declarations: readonly SubjectData[]): string[] {
  const found: string[] = [];
  const claims = new Map<string, string[]>();
  for (const d of declarations) {
    const path = d.owner.replace(/\/$/, '');
    if (!existsSync(path)) found.push(`${d.owner}: the owner declared for its tables does not exist`);
    for (const table of Object.keys(d.tables)) claims.set(table, [...(claims.get(table) ?? []), d.owner]);
  }
  for (const table of [...schema.keys()].sort()) {
    const owners = claims.get(table) ?? [];
    if (owners.length === 0)
      found.push(
        `${table}: in the schema snapshot but declared by no module (declare it in its owner's *.data.ts)`,
      );
    if (owners.length > 1) found.push(`${table}: declared by ${owners.length} owners: ${owners.join(', ')}`);
  }
  for (const d of declarations) {
    for (const [table, decl] of Object.entries(d.tables)) {
      const at = `${table} (${d.owner})`;
      const columns = schema.get(table);
      if (!columns) {
        found.push(`${at}: declared but not in the schema snapshot`);
        continue;
      }
      if (!holdsSubjectData(decl)) {
        for (const [column, c] of columns)
          if (holdsSubjectId(column, c))
            found.push(
              `${table}.${column}: holds a subject id, but ${table} is declared as holding no subject data`,
            );
        continue;
      }
      const declared = decl.columns;
      for (const column of Object.keys(declared))
        if (!columns.has(column))
          found.push(`${table}.${column}: declared by ${d.owner} but not in the schema snapshot`);
      for (const [column, c] of columns) {
        const spec = declared[column];
        if (!spec) {
          found.push(`${table}.${column}: in the schema snapshot but not declared by ${d.owner}`);
          continue;
        }
        if (holdsSubjectId(column, c) && !spec.subject)
          found.push(
            `${table}.${column}: holds a subject id but its declaration does not say whose (subject)`,
          );
      }
      for (const [column, spec] of Object.entries(declared)) {
        if (!STRUCTURAL.has(spec.category) && !Object.hasOwn(categories, spec.category))
          found.push(`${table}.${column}: unknown category ${spec.category}`);
        if (spec.label && badLabels(spec.label))
          found.push(`${table}.${column}: a label is missing a language`);
      }
      // Retention: every subject table has one; its events and columns exist.
      const r = decl.retention as unknown;
      if (!r) found.push(`${table}: holds subject data but has no retention`);
      else if (typeof r === 'object' && 'byField' in r) {
        if (!columns.has(String(r.byField)))
          found.push(`${table}: retention by field: no column ${String(r.byField)}`);
      } else if (typeof r === 'object' && 'keep' in r) {
        if (!Object.hasOwn(legalBases, String(r.keep)))
          found.push(`${table}: retention keeps under unknown basis ${String(r.keep)}`);
      } else {
        const triggers = (Array.isArray(r) ? r : [r]) as RetentionTrigger[];
        if (triggers.length === 0) found.push(`${table}: an empty list of retention triggers`);
        for (const t of triggers) {
          const event = retentionEvents[t.after];
          if (!event) found.push(`${table}: retention after unknown event ${t.after}`);
          else if (event.on === 'row' && !t.at)
            found.push(`${table}: retention after ${t.after} names no column (at)`);
          else if (event.on === 'subject' && t.at)
            found.push(`${table}: retention after ${t.after} is not a row event (no at)`);
          if (t.at && !TIME_TYPES.has(columns.get(t.at)?.type ?? ''))
            found.push(`${table}: retention at ${t.at}: not a time column of ${table}`);
          if (!Number.isInteger(t.days) || t.days < 0) found.push(`${table}: retention days ${t.days}`);
        }
      }
      const e = decl.erase;
      if ('delete' in e) {
        for (const column of e.by ?? [])
          if (!declared[column]?.subject) found.push(`${table}: erasure by ${column}: not a subject column`);
      } else if ('blank' in e) {
        for (const column of e.blank)
          if (!columns.has(column)) found.push(`${table}: erasure blanks ${column}: no such column`);
      } else if ('keep' in e && !Object.hasOwn(legalBases, e.keep))
        found.push(`${table}: erasure keeps under unknown basis ${e.keep}`);
      if ('none' in decl.export) {
        if (!Object.hasOwn(notExported, decl.export.none))
          found.push(`${table}: unknown reason not to export`);
      } else {
        if (badLabels(decl.export)) found.push(`${table}: its export label is missing a language`);
        if (!Object.values(declared).some((c) => c.label))
          found.push(`${table}: exported, but no column has a label`);
      }
    }
  }
  return found;
}

test('P6.2 every table of the schema is declared once, completely, with a machine-readable retention', () => {
  assert.deepEqual(problems(readSchema(), subjectData), []);
});

test('the schema check fails a table no module declares, and a subject id without retention', () => {
  const snapshot = readFileSync(SNAPSHOT_FILE, 'utf8').replace(
    '## columns\n',
    '## columns\nparcel_locker.subject_id uuid not null\nparcel_locker.code text not null\n',
  );
  assert.deepEqual(problems(parseSchema(snapshot), subjectData), [
    "parcel_locker: in the schema snapshot but declared by no module (declare it in its owner's *.data.ts)",
  ]);

  // Declared as holding nothing, a table with a subject id fails; so does an undeclared column.
  const lying: SubjectData = {
    owner: 'src/modules/delivery/',
    tables: { parcel_locker: { none: 'codes only' } },
  };
  assert.deepEqual(problems(parseSchema(snapshot), [...subjectData, lying]), [
    'parcel_locker.subject_id: holds a subject id, but parcel_locker is declared as holding no subject data',
  ]);
  const partial: SubjectData = {
    owner: 'src/modules/delivery/',
    tables: {
      parcel_locker: {
        what: 'a locker code',
        retention: { days: 7, after: 'given', at: 'created_at' },
        erase: { delete: 'rows' },
        export: { none: 'transient' },
        columns: { subject_id: { category: 'technical' } },
      },
    },
  };
  assert.deepEqual(problems(parseSchema(snapshot), [...subjectData, partial]), [
    'parcel_locker.subject_id: holds a subject id but its declaration does not say whose (subject)',
    'parcel_locker.code: in the schema snapshot but not declared by src/modules/delivery/',
    'parcel_locker: retention at created_at: not a time column of parcel_locker',
  ]);
});

test('a table claimed twice, and a declared column the schema lacks, fail', () => {
  const twice: SubjectData = { owner: 'src/modules/sharing/', tables: { consent: { none: 'mistaken' } } };
  const found = problems(readSchema(), [...subjectData, twice]);
  assert.ok(
    found.includes('consent: declared by 2 owners: src/modules/consent/, src/modules/sharing/'),
    found.join('\n'),
  );
  const ghost: SubjectData = {
    owner: 'src/modules/sharing/',
    tables: { ghost_table: { none: 'no such table' } },
  };
  assert.deepEqual(problems(readSchema(), [...subjectData, ghost]), [
    'ghost_table (src/modules/sharing/): declared but not in the schema snapshot',
  ]);
});

test('every module declares its subject data in <module>.data.ts and exports it through index.ts', () => {
  for (const name of readdirSync('src/modules')) {
    const data = `src/modules/${name}/${name}.data.ts`;
    assert.ok(existsSync(data), `${data} is missing`);
    assert.match(
      readFileSync(`src/modules/${name}/index.ts`, 'utf8'),
      new RegExp(`from './${name}\\.data\\.ts'`),
      name,
    );
    assert.ok(
      subjectData.some((d) => d.owner === `src/modules/${name}/`),
      `${name}'s declaration is not gathered in modules/inventory/subject-data.ts`,
    );
  }
});

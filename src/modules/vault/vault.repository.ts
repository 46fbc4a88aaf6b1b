/**
 * SQL for the vault. This file and vault.access.ts are the only code that touches
 * vault_subject, vault_field and vault_access (enforced by src/modules/vault/boundary.test.ts).
 */
import type { Queryable } from '../../kernel/db/database.ts';

export interface SubjectKey {
  id: string;
  keyId: string | null;
  wrappedKey: Buffer | null;
}

export interface FieldRow {
  field: string;
  ciphertext: Buffer;
  collectedFor: string;
  source: string;
}

export async function insertSubject(
  q: Queryable,
  id: string,
  kind: 'person' | 'organisation',
  keyId: string,
  wrapped: Buffer,
): Promise<void> {
  await q.query('INSERT INTO vault_subject (id, kind, key_id, wrapped_key) VALUES ($1, $2, $3, $4)', [
    id,
    kind,
    keyId,
    wrapped,
  ]);
}

/**
 * People (not organisations) whose data the vault still holds (not shredded), by id after
 * `after`, at most `limit`: keyset pages over the primary key, so a million people are read
 * in short statements and never held in one array.
 */
export async function peopleAfter(q: Queryable, after: string | null, limit: number): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT id FROM vault_subject
      WHERE kind = 'person' AND wrapped_key IS NOT NULL AND ($1::uuid IS NULL OR id > $1::uuid)
      ORDER BY id LIMIT $2`,
    [after, limit],
  );
  return rows.map((r) => r.id);
}

/** Which of these ids are people whose data the vault still holds. */
export async function knownPeople(q: Queryable, ids: readonly string[]): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT id FROM vault_subject WHERE id = ANY ($1::uuid[]) AND kind = 'person' AND wrapped_key IS NOT NULL`,
    [ids],
  );
  return rows.map((r) => r.id);
}

export async function subjectKey(q: Queryable, id: string): Promise<SubjectKey | undefined> {
  const { rows } = await q.query<SubjectKey>(
    'SELECT id, key_id AS "keyId", wrapped_key AS "wrappedKey" FROM vault_subject WHERE id = $1',
    [id],
  );
  return rows[0];
}

/**
 * The query behind every read: a named statement, with the field filter written so that
 * PostgreSQL keeps one generic plan (with `= ANY($2)` PostgreSQL 18 re-plans each call).
 */
const SUBJECT_WITH_FIELDS = {
  name: 'vault_subject_with_fields',
  text: `SELECT s.id, s.key_id AS "keyId", s.wrapped_key AS "wrappedKey",
                f.field, f.ciphertext, f.collected_for AS "collectedFor", f.source
           FROM vault_subject s
           LEFT JOIN vault_field f ON f.subject_id = s.id AND array_position($2::text[], f.field) IS NOT NULL
                AND f.scope = $3
          WHERE s.id = $1`,
};

/** The subject's key and the requested fields of one compartment in one round trip (column `scope`). */
export async function subjectWithFields(
  q: Queryable,
  id: string,
  fields: readonly string[],
  compartment = '',
): Promise<{ key: SubjectKey | undefined; rows: FieldRow[] }> {
  const { rows } = await q.query<SubjectKey & Partial<FieldRow>>(SUBJECT_WITH_FIELDS, [
    id,
    fields,
    compartment,
  ]);
  const first = rows[0];
  if (!first) return { key: undefined, rows: [] };
  return {
    key: { id: first.id, keyId: first.keyId, wrappedKey: first.wrappedKey },
    rows: rows.filter((r) => r.field).map((r) => r as FieldRow),
  };
}

/**
 * Many subjects' keys and requested fields of one compartment in one statement (a batch
 * of reads): by subject id; an id not found is absent.
 */
export async function subjectsWithFields(
  q: Queryable,
  ids: readonly string[],
  fields: readonly string[],
  compartment = '',
): Promise<Map<string, { key: SubjectKey; rows: FieldRow[] }>> {
  const out = new Map<string, { key: SubjectKey; rows: FieldRow[] }>();
  if (ids.length === 0) return out;
  const { rows } = await q.query<SubjectKey & Partial<FieldRow>>(
    {
      name: 'vault_subjects_with_fields',
      text: `SELECT s.id, s.key_id AS "keyId", s.wrapped_key AS "wrappedKey",
                    f.field, f.ciphertext, f.collected_for AS "collectedFor", f.source
               FROM vault_subject s
               LEFT JOIN vault_field f ON f.subject_id = s.id AND array_position($2::text[], f.field) IS NOT NULL
                    AND f.scope = $3
              WHERE s.id = ANY ($1::uuid[])`,
    },
    [[...new Set(ids)], fields, compartment],
  );
  for (const r of rows) {
    let s = out.get(r.id);
    if (!s) out.set(r.id, (s = { key: { id: r.id, keyId: r.keyId, wrappedKey: r.wrappedKey }, rows: [] }));
    if (r.field) s.rows.push(r as FieldRow);
  }
  return out;
}

export async function upsertField(
  q: Queryable,
  f: {
    subjectId: string;
    field: string;
    ciphertext: Buffer;
    lookupUnique: Buffer | null;
    lookupShared: Buffer | null;
    source: string;
    collectedFor: string;
    /** Stored in the `scope` column. */
    compartment: string;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO vault_field (subject_id, field, ciphertext, lookup_unique, lookup_shared, source, collected_for, scope)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (subject_id, field, scope) DO UPDATE
       SET ciphertext = EXCLUDED.ciphertext, lookup_unique = EXCLUDED.lookup_unique,
           lookup_shared = EXCLUDED.lookup_shared, source = EXCLUDED.source,
           collected_for = EXCLUDED.collected_for, updated_at = now()`,
    [
      f.subjectId,
      f.field,
      f.ciphertext,
      f.lookupUnique,
      f.lookupShared,
      f.source,
      f.collectedFor,
      f.compartment,
    ],
  );
}

/** Deletes every value of one compartment (an application's values at the end of their retention). */
export async function deleteCompartment(
  q: Queryable,
  subjectId: string,
  compartment: string,
): Promise<string[]> {
  const { rows } = await q.query<{ field: string }>(
    `DELETE FROM vault_field WHERE subject_id = $1 AND scope = $2 AND scope <> '' RETURNING field`,
    [subjectId, compartment],
  );
  return rows.map((r) => r.field);
}

/** Deletes some of the person's own values (scope ''), never an application's compartment. */
export async function deleteFields(
  q: Queryable,
  subjectId: string,
  fields: readonly string[],
): Promise<string[]> {
  const { rows } = await q.query<{ field: string }>(
    `DELETE FROM vault_field WHERE subject_id = $1 AND scope = '' AND field = ANY ($2::text[]) RETURNING field`,
    [subjectId, fields],
  );
  return rows.map((r) => r.field);
}

/**
 * The people holding a value by any of its tokens: during a move between suites a value is
 * indexed by one suite or the other (ADR 0043), so lookups pass both. Both indexes serve
 * `= ANY`, a bitmap OR of at most four probes.
 */
export async function findByLookup(
  q: Queryable,
  field: string,
  tokens: readonly Buffer[],
): Promise<string[]> {
  // Named: prepared once per connection; every sign-in looks its number up here.
  const { rows } = await q.query<{ subject_id: string }>(
    {
      name: 'vault-find-by-lookups',
      text: `SELECT DISTINCT subject_id FROM vault_field
              WHERE field = $1 AND (lookup_unique = ANY ($2::bytea[]) OR lookup_shared = ANY ($2::bytea[]))`,
    },
    [field, tokens],
  );
  return rows.map((r) => r.subject_id);
}

/**
 * Destroys the subject's data key and every blind-index token of its values (P8.1.delete).
 * The tokens are keyed hashes, not ciphertexts: left behind, they would still find the
 * person by phone or ID number and hold those values' unique index against a new account.
 */
export async function shredSubject(q: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE vault_subject SET wrapped_key = NULL, key_id = NULL, shredded_at = now()
      WHERE id = $1 AND wrapped_key IS NOT NULL`,
    [id],
  );
  if (rowCount !== 1) return false;
  await q.query(
    `UPDATE vault_field SET lookup_unique = NULL, lookup_shared = NULL
      WHERE subject_id = $1 AND (lookup_unique IS NOT NULL OR lookup_shared IS NOT NULL)`,
    [id],
  );
  return true;
}

/**
 * Keys wrapped by a master key other than `activeKeyId`, or sealed by another suite than
 * the one whose envelopes start with `version`, locked for rewrapping.
 */
export async function keysToRewrap(
  q: Queryable,
  activeKeyId: string,
  version: number,
  limit: number,
): Promise<SubjectKey[]> {
  const { rows } = await q.query<SubjectKey>(
    `SELECT id, key_id AS "keyId", wrapped_key AS "wrappedKey" FROM vault_subject
      WHERE wrapped_key IS NOT NULL AND (key_id <> $1 OR get_byte(wrapped_key, 0) <> $2)
      LIMIT $3 FOR UPDATE SKIP LOCKED`,
    [activeKeyId, version, limit],
  );
  return rows;
}

/** Values sealed by another suite than the one whose envelopes start with `version`, locked to reseal. */
export async function valuesToReseal(
  q: Queryable,
  version: number,
  limit: number,
): Promise<
  {
    subjectId: string;
    field: string;
    scope: string;
    ciphertext: Buffer;
    keyId: string | null;
    wrappedKey: Buffer | null;
  }[]
> {
  const { rows } = await q.query<{
    subjectId: string;
    field: string;
    scope: string;
    ciphertext: Buffer;
    keyId: string | null;
    wrappedKey: Buffer | null;
  }>(
    `SELECT f.subject_id AS "subjectId", f.field, f.scope, f.ciphertext,
            s.key_id AS "keyId", s.wrapped_key AS "wrappedKey"
       FROM vault_field f JOIN vault_subject s ON s.id = f.subject_id
      WHERE get_byte(f.ciphertext, 0) <> $1 AND s.wrapped_key IS NOT NULL
      ORDER BY f.subject_id LIMIT $2 FOR UPDATE OF f SKIP LOCKED`,
    [version, limit],
  );
  return rows;
}

export async function updateCiphertext(
  q: Queryable,
  v: { subjectId: string; field: string; scope: string; ciphertext: Buffer },
): Promise<void> {
  await q.query(
    `UPDATE vault_field SET ciphertext = $4 WHERE subject_id = $1 AND field = $2 AND scope = $3`,
    [v.subjectId, v.field, v.scope, v.ciphertext],
  );
}

/**
 * Values whose blind-index token is of another suite than `length` says (16 bytes
 * `default`, 17 `national`), locked to recompute; shredded people hold no tokens.
 */
export async function lookupsToRecompute(
  q: Queryable,
  length: number,
  limit: number,
): Promise<
  {
    subjectId: string;
    field: string;
    scope: string;
    ciphertext: Buffer;
    keyId: string | null;
    wrappedKey: Buffer | null;
  }[]
> {
  const { rows } = await q.query<{
    subjectId: string;
    field: string;
    scope: string;
    ciphertext: Buffer;
    keyId: string | null;
    wrappedKey: Buffer | null;
  }>(
    `SELECT f.subject_id AS "subjectId", f.field, f.scope, f.ciphertext,
            s.key_id AS "keyId", s.wrapped_key AS "wrappedKey"
       FROM vault_field f JOIN vault_subject s ON s.id = f.subject_id
      WHERE (length(f.lookup_unique) <> $1 OR length(f.lookup_shared) <> $1) AND s.wrapped_key IS NOT NULL
      ORDER BY f.subject_id LIMIT $2 FOR UPDATE OF f SKIP LOCKED`,
    [length, limit],
  );
  return rows;
}

/** Replaces a value's token in whichever lookup column holds one. */
export async function updateLookup(
  q: Queryable,
  v: { subjectId: string; field: string; scope: string; token: Buffer },
): Promise<void> {
  await q.query(
    `UPDATE vault_field
        SET lookup_unique = CASE WHEN lookup_unique IS NULL THEN NULL ELSE $4::bytea END,
            lookup_shared = CASE WHEN lookup_shared IS NULL THEN NULL ELSE $4::bytea END
      WHERE subject_id = $1 AND field = $2 AND scope = $3`,
    [v.subjectId, v.field, v.scope, v.token],
  );
}

export async function updateWrappedKey(
  q: Queryable,
  id: string,
  keyId: string,
  wrapped: Buffer,
): Promise<void> {
  await q.query('UPDATE vault_subject SET key_id = $2, wrapped_key = $3 WHERE id = $1', [id, keyId, wrapped]);
}

/** The subject's row and every value it holds, in every compartment (P8.1.export). */
export async function ownValues(
  q: Queryable,
  id: string,
): Promise<
  | {
      key: SubjectKey;
      kind: string;
      createdAt: Date;
      rows: (FieldRow & { scope: string; collectedAt: Date; updatedAt: Date })[];
    }
  | undefined
> {
  const { rows } = await q.query<{
    id: string;
    keyId: string | null;
    wrappedKey: Buffer | null;
    kind: string;
    createdAt: Date;
    field: string | null;
    ciphertext: Buffer;
    collectedFor: string;
    source: string;
    scope: string;
    collectedAt: Date;
    updatedAt: Date;
  }>(
    `SELECT s.id, s.key_id AS "keyId", s.wrapped_key AS "wrappedKey", s.kind, s.created_at AS "createdAt",
            f.field, f.ciphertext, f.collected_for AS "collectedFor", f.source, f.scope,
            f.collected_at AS "collectedAt", f.updated_at AS "updatedAt"
       FROM vault_subject s LEFT JOIN vault_field f ON f.subject_id = s.id
      WHERE s.id = $1
      ORDER BY f.scope, f.field`,
    [id],
  );
  const first = rows[0];
  if (!first) return undefined;
  return {
    key: { id: first.id, keyId: first.keyId, wrappedKey: first.wrappedKey },
    kind: first.kind,
    createdAt: first.createdAt,
    rows: rows.filter((r) => r.field).map((r) => ({ ...r, field: r.field! })),
  };
}

// ---- retention (P6.2.purge): what is past its time, in bounded batches (vault.purge.ts) ----

/** Values of a field written longer ago than `days`, not of a held person. */
export async function purgeFieldsOlderThan(
  q: Queryable,
  p: { field: string; days: number; now: Date; held: readonly string[]; limit: number },
): Promise<number> {
  const r = await q.query(
    `WITH doomed AS (
       SELECT ctid FROM vault_field
        WHERE field = $1 AND updated_at < $2::timestamptz - make_interval(days => $3)
          AND NOT (subject_id::text = ANY($4::text[]))
        LIMIT $5 FOR UPDATE SKIP LOCKED)
     DELETE FROM vault_field WHERE ctid IN (SELECT ctid FROM doomed)`,
    [p.field, p.now, p.days, p.held, p.limit],
  );
  return r.rowCount ?? 0;
}

/** Values of a person whose key was shredded longer ago than `days` (nothing can read them). */
export async function purgeFieldsOfShredded(
  q: Queryable,
  p: { fields: readonly string[]; days: number; now: Date; held: readonly string[]; limit: number },
): Promise<number> {
  const r = await q.query(
    `WITH doomed AS (
       SELECT f.ctid FROM vault_field f JOIN vault_subject s ON s.id = f.subject_id
        WHERE f.field = ANY($1::text[]) AND s.shredded_at < $2::timestamptz - make_interval(days => $3)
          AND NOT (f.subject_id::text = ANY($4::text[]))
        LIMIT $5 FOR UPDATE OF f SKIP LOCKED)
     DELETE FROM vault_field WHERE ctid IN (SELECT ctid FROM doomed)`,
    [p.fields, p.now, p.days, p.held, p.limit],
  );
  return r.rowCount ?? 0;
}

/** Who holds a value of this field (a page, for a consent check by the caller). */
export async function holdersOf(
  q: Queryable,
  field: string,
  after: string | null,
  limit: number,
): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT subject_id::text AS id FROM vault_field WHERE field = $1 AND ($2::uuid IS NULL OR subject_id > $2::uuid)
      ORDER BY subject_id LIMIT $3`,
    [field, after, limit],
  );
  return rows.map((r) => r.id);
}

export async function deleteFieldOf(
  q: Queryable,
  field: string,
  subjects: readonly string[],
): Promise<number> {
  const r = await q.query(`DELETE FROM vault_field WHERE field = $1 AND subject_id = ANY($2::uuid[])`, [
    field,
    subjects,
  ]);
  return r.rowCount ?? 0;
}

/** Access entries older than `days`, not of a held person. */
export async function purgeAccessOlderThan(
  q: Queryable,
  p: { days: number; now: Date; held: readonly string[]; limit: number },
): Promise<number> {
  const r = await q.query(
    `WITH doomed AS (
       SELECT id FROM vault_access
        WHERE occurred_at < $1::timestamptz - make_interval(days => $2)
          AND NOT (subject_id::text = ANY($3::text[]))
        ORDER BY occurred_at LIMIT $4 FOR UPDATE SKIP LOCKED)
     DELETE FROM vault_access WHERE id IN (SELECT id FROM doomed)`,
    [p.now, p.days, p.held, p.limit],
  );
  return r.rowCount ?? 0;
}

/**
 * Shredded subjects past their grace period that nothing of the vault still names; a row
 * another owner still references (a consent kept as evidence) stays until that goes.
 */
export async function shreddedSubjectsDue(
  q: Queryable,
  p: { days: number; now: Date; held: readonly string[]; limit: number },
): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT s.id::text AS id FROM vault_subject s
      WHERE s.shredded_at < $1::timestamptz - make_interval(days => $2)
        AND NOT (s.id::text = ANY($3::text[]))
        AND NOT EXISTS (SELECT 1 FROM vault_field f WHERE f.subject_id = s.id)
        AND NOT EXISTS (SELECT 1 FROM vault_access a WHERE a.subject_id = s.id)
      ORDER BY s.shredded_at LIMIT $4`,
    [p.now, p.days, p.held, p.limit],
  );
  return rows.map((r) => r.id);
}

export async function deleteSubjects(q: Queryable, ids: readonly string[]): Promise<number> {
  const r = await q.query(`DELETE FROM vault_subject WHERE id = ANY($1::uuid[])`, [ids]);
  return r.rowCount ?? 0;
}

export async function countFieldsOlderThan(
  q: Queryable,
  p: { field: string; days: number; now: Date; held: readonly string[] },
): Promise<number> {
  const { rows } = await q.query<{ n: string }>(
    `SELECT count(*) AS n FROM vault_field WHERE field = $1 AND updated_at < $2::timestamptz - make_interval(days => $3)
        AND NOT (subject_id::text = ANY($4::text[]))`,
    [p.field, p.now, p.days, p.held],
  );
  return Number(rows[0]!.n);
}

export async function countAccessOlderThan(
  q: Queryable,
  p: { days: number; now: Date; held: readonly string[] },
): Promise<number> {
  const { rows } = await q.query<{ n: string }>(
    `SELECT count(*) AS n FROM vault_access WHERE occurred_at < $1::timestamptz - make_interval(days => $2)
        AND NOT (subject_id::text = ANY($3::text[]))`,
    [p.now, p.days, p.held],
  );
  return Number(rows[0]!.n);
}

/** How many access entries a month holds, and whether any is about one of these people. */
export async function accessInMonth(
  q: Queryable,
  p: { from: Date; to: Date; held: readonly string[] },
): Promise<{ rows: number; held: boolean }> {
  const { rows } = await q.query<{ n: string; held: boolean }>(
    `SELECT count(*)::text AS n, coalesce(bool_or(subject_id::text = ANY($3::text[])), false) AS held
       FROM vault_access WHERE occurred_at >= $1 AND occurred_at < $2`,
    [p.from, p.to, p.held],
  );
  return { rows: Number(rows[0]!.n), held: rows[0]!.held };
}

/**
 * SQL of the closure module: its own table `account_closure`, and the erasure's generic
 * statements (ADR 0039).
 *
 * Rules:
 * - `account_closure` is read and written only here.
 * - `erasureStatement` builds the one statement this module runs on other owners' tables,
 *   the way their `*.data.ts` declares the person's erasure: every identifier in it comes
 *   from those declarations (checked against a plain-identifier pattern and quoted), never
 *   from input; the person's id is its one parameter.
 */
import type { Queryable } from '../../kernel/db/database.ts';
import type { ClosureState } from './closure.lifecycle.ts';

const IDENT = /^[a-z_][a-z0-9_]*$/;
const ident = (name: string): string => {
  if (!IDENT.test(name)) throw new Error(`not a plain identifier: ${name}`);
  return `"${name}"`;
};

/** Where a table holds the person: a column holding their id, or a key of a JSON column. */
export type SubjectMatch = { column: string } | { column: string; json: string };

/** A column's SQL type, to cast the one parameter to it (so every index still serves). */
export type ColumnTypes = ReadonlyMap<string, string>;

const whereOf = (table: string, matches: readonly SubjectMatch[], types: ColumnTypes) =>
  matches
    .map((m) => {
      if ('json' in m) return `${ident(m.column)} ->> '${m.json.replace(/'/g, "''")}' = $1::text`;
      const type = types.get(`${table}.${m.column}`) === 'uuid' ? 'uuid' : 'text';
      return `${ident(m.column)} = $1::${type}`;
    })
    .join(' OR ');

export interface EraseStatementStep {
  table: string;
  action: { delete: true } | { blank: readonly string[] };
  matches: readonly SubjectMatch[];
}

/**
 * The whole erasure of one person as one statement (data-modifying CTEs, `$1` the person's
 * id): one round trip per account. The foreign keys are checked at the end of the statement,
 * when the children are gone with their parents; the steps still come children first.
 */
export function erasureStatement(steps: readonly EraseStatementStep[], types: ColumnTypes): string {
  const parts = steps.map((s, i) => {
    const where = whereOf(s.table, s.matches, types);
    if ('delete' in s.action) return `e${i} AS (DELETE FROM ${ident(s.table)} WHERE ${where} RETURNING 1)`;
    const cols = s.action.blank;
    return `e${i} AS (UPDATE ${ident(s.table)} SET ${cols.map((c) => `${ident(c)} = NULL`).join(', ')}
       WHERE (${where}) AND (${cols.map((c) => `${ident(c)} IS NOT NULL`).join(' OR ')}) RETURNING 1)`;
  });
  const count = steps.map((_, i) => `(SELECT count(*) FROM e${i})`).join(' + ');
  return `WITH ${parts.join(',\n')}\nSELECT (${count})::int AS n`;
}

export async function erase(q: Queryable, statement: string, subjectId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(statement, [subjectId]);
  return rows[0]!.n;
}

/** The type of every column of the schema, as `table.column` → type. */
export async function columnTypes(q: Queryable): Promise<Map<string, string>> {
  const { rows } = await q.query<{ t: string; c: string; type: string }>(
    `SELECT table_name AS t, column_name AS c, data_type AS type FROM information_schema.columns
      WHERE table_schema = current_schema()`,
  );
  return new Map(rows.map((r) => [`${r.t}.${r.c}`, r.type]));
}

export { foreignKeys } from '../../kernel/db/foreign-keys.ts';

export interface ClosureRow {
  id: string;
  subjectId: string;
  state: ClosureState;
  channel: 'self-service' | 'support';
  recordedBy: string | null;
  ticketRef: string | null;
  locale: string;
  requestedAt: Date;
  closesAt: Date;
  dueAt: Date;
  undoneAt: Date | null;
  closedAt: Date | null;
  servicesTold: number | null;
  rowsErased: number | null;
}

const ROW = `id, subject_id AS "subjectId", state, channel, recorded_by AS "recordedBy",
  ticket_ref AS "ticketRef", locale, requested_at AS "requestedAt", closes_at AS "closesAt",
  due_at AS "dueAt", undone_at AS "undoneAt", closed_at AS "closedAt",
  services_told AS "servicesTold", rows_erased AS "rowsErased"`;

/** A new closure; undefined when one is already waiting (account_closure_waiting_idx). */
export async function insertClosure(
  q: Queryable,
  c: Pick<
    ClosureRow,
    'subjectId' | 'channel' | 'recordedBy' | 'ticketRef' | 'locale' | 'requestedAt' | 'closesAt' | 'dueAt'
  >,
): Promise<ClosureRow | undefined> {
  const { rows } = await q.query<ClosureRow>(
    `INSERT INTO account_closure (subject_id, state, channel, recorded_by, ticket_ref, locale,
       requested_at, closes_at, due_at)
     VALUES ($1, 'cooling-off', $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (subject_id) WHERE state = 'cooling-off' DO NOTHING RETURNING ${ROW}`,
    [c.subjectId, c.channel, c.recordedBy, c.ticketRef, c.locale, c.requestedAt, c.closesAt, c.dueAt],
  );
  return rows[0];
}

/** The person's waiting closure, if any. */
export async function waiting(
  q: Queryable,
  subjectId: string,
  lock = false,
): Promise<ClosureRow | undefined> {
  const { rows } = await q.query<ClosureRow>(
    `SELECT ${ROW} FROM account_closure WHERE subject_id = $1 AND state = 'cooling-off'${lock ? ' FOR UPDATE' : ''}`,
    [subjectId],
  );
  return rows[0];
}

export async function markUndone(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query(`UPDATE account_closure SET state = 'undone', undone_at = $2 WHERE id = $1`, [id, at]);
}

export async function markClosed(
  q: Queryable,
  id: string,
  c: { at: Date; servicesTold: number; rowsErased: number; heldCategories: readonly string[] | null },
): Promise<void> {
  await q.query(
    `UPDATE account_closure SET state = 'closed', closed_at = $2, services_told = $3, rows_erased = $4,
            held_categories = $5
      WHERE id = $1`,
    [id, c.at, c.servicesTold, c.rowsErased, c.heldCategories],
  );
}

/** Closed accounts whose erasure a legal hold interrupted (oldest first, locked for this node). */
export async function heldClosures(
  q: Queryable,
  limit: number,
): Promise<{ id: string; subjectId: string; heldCategories: string[] }[]> {
  const { rows } = await q.query<{ id: string; subjectId: string; heldCategories: string[] }>(
    `SELECT id, subject_id AS "subjectId", held_categories AS "heldCategories" FROM account_closure
      WHERE state = 'closed' AND held_categories IS NOT NULL
      ORDER BY closed_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return rows;
}

export async function markErasureCompleted(q: Queryable, id: string, rowsErased: number): Promise<void> {
  await q.query(
    `UPDATE account_closure SET held_categories = NULL, rows_erased = COALESCE(rows_erased, 0) + $2 WHERE id = $1`,
    [id, rowsErased],
  );
}

/** Closures whose cooling-off period has passed, locked for this node (SKIP LOCKED). */
export async function claimDue(q: Queryable, now: Date, limit: number): Promise<ClosureRow[]> {
  const { rows } = await q.query<ClosureRow>(
    `SELECT ${ROW} FROM account_closure WHERE state = 'cooling-off' AND closes_at <= $1
      ORDER BY closes_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [now, limit],
  );
  return rows;
}

export async function closure(q: Queryable, id: string): Promise<ClosureRow | undefined> {
  const { rows } = await q.query<ClosureRow>(`SELECT ${ROW} FROM account_closure WHERE id = $1`, [id]);
  return rows[0];
}

/** P6.2.schedule when a person's account closed, for the retention purge: the ids closed before `cutoff` (SQL). */
export const closedBefore = (cutoff: string): string =>
  `SELECT subject_id::text FROM account_closure WHERE state = 'closed' AND closed_at < ${cutoff}`;

/** Closed closures from `after` on (inclusive), oldest first: what the erasure ledger copies. */
export async function closedSince(
  q: Queryable,
  after: Date | undefined,
  limit: number,
): Promise<{ closureId: string; subjectId: string; closedAt: Date }[]> {
  const { rows } = await q.query<{ closureId: string; subjectId: string; closedAt: Date }>(
    `SELECT id AS "closureId", subject_id AS "subjectId", closed_at AS "closedAt" FROM account_closure
      WHERE state = 'closed' AND ($1::timestamptz IS NULL OR closed_at >= $1)
      ORDER BY closed_at, id LIMIT $2`,
    [after ?? null, limit],
  );
  return rows;
}

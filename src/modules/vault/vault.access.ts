/**
 * The access log behind "who accessed my data" (P5.3.3, P8.1).
 *
 * An entry is durable before the data it records is returned: `record` resolves only
 * after the INSERT that holds the entry has committed. Entries arriving while one INSERT
 * is in flight are written together by the next (group commit), so concurrent readers
 * share commits instead of queueing on them (ADR 0004).
 */
import type { Database, Queryable } from '../../kernel/db/database.ts';

export interface AccessEntry {
  subjectId: string;
  operation: 'read' | 'share' | 'transfer' | 'disclose';
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  purpose: string;
  basis: string;
  basisRef: Record<string, string>;
  fields: string[];
  categories: string[];
  visibleFrom: Date | null;
  /** A refused attempt keeps the error code that refused it (absent: the access happened). */
  refusal?: string;
}

export interface AccessView {
  id: number;
  occurredAt: Date;
  operation: AccessEntry['operation'];
  actorType: string;
  actorLabel: string;
  purpose: string;
  basis: string;
  categories: string[];
  outcome: 'allowed' | 'refused';
  /** The error code of a refusal. */
  refusal: string | null;
}

const MAX_BATCH = 500;

export async function insertAccess(q: Queryable, entries: AccessEntry[]): Promise<void> {
  const cols = 13;
  const values: unknown[] = [];
  const tuples = entries.map((e, i) => {
    values.push(
      e.subjectId,
      e.operation,
      e.actorType,
      e.actorId,
      e.actorLabel,
      e.purpose,
      e.basis,
      JSON.stringify(e.basisRef),
      e.fields,
      e.categories,
      e.visibleFrom,
      e.refusal ? 'refused' : 'allowed',
      e.refusal ?? null,
    );
    return `(${Array.from({ length: cols }, (_, j) => `$${i * cols + j + 1}`).join(', ')})`;
  });
  await q.query(
    `INSERT INTO vault_access (subject_id, operation, actor_type, actor_id, actor_label, purpose, basis,
                               basis_ref, fields, categories, visible_from, outcome, refusal)
     VALUES ${tuples.join(', ')}`,
    values,
  );
}

/**
 * A refused attempt, for the person to see beside what happened (P8.1). The attempt may
 * name a subject that does not exist (a staff member's wrong id): then nothing is recorded
 * here; the audit entry of the refusal remains.
 */
export async function insertRefusal(q: Queryable, e: AccessEntry & { refusal: string }): Promise<void> {
  await q.query(
    `INSERT INTO vault_access (subject_id, operation, actor_type, actor_id, actor_label, purpose, basis,
                               basis_ref, fields, categories, visible_from, outcome, refusal)
     SELECT s.id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'refused', $12
       FROM vault_subject s WHERE s.id = $1::uuid`,
    [
      e.subjectId,
      e.operation,
      e.actorType,
      e.actorId,
      e.actorLabel,
      e.purpose,
      e.basis,
      JSON.stringify(e.basisRef),
      e.fields,
      e.categories,
      e.visibleFrom,
      e.refusal,
    ],
  );
}

export function createAccessWriter(db: Database): { record(e: AccessEntry): Promise<void> } {
  let pending: { entry: AccessEntry; done: (err?: unknown) => void }[] = [];
  let inFlight = false;

  const flush = async (): Promise<void> => {
    inFlight = true;
    while (pending.length > 0) {
      const batch = pending.slice(0, MAX_BATCH);
      pending = pending.slice(batch.length);
      try {
        await insertAccess(
          db,
          batch.map((b) => b.entry),
        );
        for (const b of batch) b.done();
      } catch (err) {
        for (const b of batch) b.done(err);
      }
    }
    inFlight = false;
  };

  return {
    record(entry) {
      return new Promise<void>((resolve, reject) => {
        pending.push({ entry, done: (err) => (err ? reject(err) : resolve()) });
        if (!inFlight) void flush();
      });
    },
  };
}

/** What happened (refusals left out), newest first; entries under a legal restriction stay hidden until it ends. */
export async function accessPage(
  q: Queryable,
  subjectId: string,
  beforeId: number | null,
  limit: number,
): Promise<AccessView[]> {
  // `= ANY (ARRAY[$1])` with `ORDER BY subject_id, id DESC`: only the subject index gives
  // this order, so the planner cannot walk the primary key backwards filtering by subject
  // (for a subject whose entries are all old, that reads every newer entry in the table).
  const { rows } = await q.query<AccessView>(
    `SELECT id, occurred_at AS "occurredAt", operation, actor_type AS "actorType", actor_label AS "actorLabel",
            purpose, basis, categories, outcome, refusal
       FROM vault_access
      WHERE subject_id = ANY (ARRAY[$1::uuid]) AND ($2::bigint IS NULL OR id < $2)
        AND outcome = 'allowed' AND (visible_from IS NULL OR visible_from <= now())
      ORDER BY subject_id, id DESC LIMIT $3`,
    [subjectId, beforeId, limit],
  );
  return rows;
}

/** What the person narrows "who accessed my data" by; all optional. */
export interface AccessFilter {
  /** An actor code as recorded (`department:tax`, `role:support`). */
  who?: string;
  purpose?: string;
  /** From this instant (inclusive) to that one (exclusive). */
  from?: Date;
  to?: Date;
}

/** A page of entries: `after` pages towards newer entries, `before` towards older. */
export interface AccessQuery extends AccessFilter {
  before?: number;
  after?: number;
  limit: number;
}

export interface AccessPage {
  entries: AccessView[];
  newer: boolean;
  older: boolean;
}

const FILTER = `subject_id = ANY (ARRAY[$1::uuid])
        AND (visible_from IS NULL OR visible_from <= now())
        AND ($2::text IS NULL OR actor_label = $2) AND ($3::text IS NULL OR purpose = $3)
        AND ($4::timestamptz IS NULL OR occurred_at >= $4) AND ($5::timestamptz IS NULL OR occurred_at < $5)`;

/**
 * Allowed and refused entries, newest first, one page of them. Keyset paging on
 * `vault_access_subject_idx` in either direction (never OFFSET: a page costs the same
 * however deep it is, and an entry arriving meanwhile does not shift the pages).
 */
export async function accessWindow(q: Queryable, subjectId: string, query: AccessQuery): Promise<AccessPage> {
  const filter = [subjectId, query.who ?? null, query.purpose ?? null, query.from ?? null, query.to ?? null];
  const towardsNewer = query.after !== undefined && query.before === undefined;
  const cursor = towardsNewer ? query.after : query.before;
  const { rows } = await q.query<AccessView>(
    `SELECT id, occurred_at AS "occurredAt", operation, actor_type AS "actorType", actor_label AS "actorLabel",
            purpose, basis, categories, outcome, refusal
       FROM vault_access
      WHERE ${FILTER} AND ($6::bigint IS NULL OR id ${towardsNewer ? '>' : '<'} $6)
      ORDER BY subject_id ${towardsNewer ? 'ASC' : 'DESC'}, id ${towardsNewer ? 'ASC' : 'DESC'} LIMIT $7`,
    [...filter, cursor ?? null, query.limit + 1],
  );
  const more = rows.length > query.limit;
  const entries = rows.slice(0, query.limit);
  if (towardsNewer) entries.reverse();
  // The other direction: is there anything beyond the cursor this page started from?
  const beyond = async (id: number, op: '<' | '>') =>
    (await q.query(`SELECT 1 FROM vault_access WHERE ${FILTER} AND id ${op} $6 LIMIT 1`, [...filter, id]))
      .rows.length > 0;
  const first = entries[0];
  const last = entries[entries.length - 1];
  if (towardsNewer) {
    return { entries, newer: more, older: last ? await beyond(last.id, '<') : false };
  }
  return {
    entries,
    newer: cursor !== undefined && first ? await beyond(first.id, '>') : false,
    older: more,
  };
}

/** Who has appeared in the person's log, and for which purposes: the choices of its filter. */
export async function accessFacets(
  q: Queryable,
  subjectId: string,
): Promise<{ who: { code: string; actorType: string }[]; purposes: string[] }> {
  const { rows } = await q.query<{ code: string; actorType: string; purpose: string }>(
    `SELECT DISTINCT actor_label AS code, actor_type AS "actorType", purpose FROM vault_access
      WHERE subject_id = $1 AND (visible_from IS NULL OR visible_from <= now())`,
    [subjectId],
  );
  const who = new Map(rows.map((r) => [r.code, r.actorType]));
  return {
    who: [...who].map(([code, actorType]) => ({ code, actorType })),
    purposes: [...new Set(rows.map((r) => r.purpose))],
  };
}

/**
 * Which people had data accessed (P7.2i: who an incident affected): allowed entries in
 * [from, to), optionally only of these categories (any of them) and by these actors (codes
 * as recorded, `partner:face-id`, `department:tax`).
 */
export interface AccessedScope {
  from: Date;
  to: Date;
  categories?: readonly string[] | undefined;
  actors?: readonly string[] | undefined;
}

/**
 * One batch of the people of `scope` after `after` (keyset on the subject id), ascending.
 * It walks people in id order and asks the window index (`vault_access_window_idx`, one
 * descent each) whether they had an access in the window; the planner may merge the two
 * orders instead. Entries under a legal restriction count: the data was accessed, and the
 * notice does not name the access. A batch is one short statement: nothing is held open
 * between batches.
 */
export async function accessedSubjects(
  q: Queryable,
  scope: AccessedScope,
  after: string | null,
  limit: number,
): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT s.id FROM vault_subject s
      WHERE s.kind = 'person' AND ($1::uuid IS NULL OR s.id > $1::uuid)
        AND EXISTS (SELECT 1 FROM vault_access a
                     WHERE a.subject_id = s.id AND a.outcome = 'allowed'
                       AND a.occurred_at >= $2 AND a.occurred_at < $3
                       AND ($4::text[] IS NULL OR a.categories && $4::text[])
                       AND ($5::text[] IS NULL OR a.actor_label = ANY ($5::text[])))
      ORDER BY s.id LIMIT $6`,
    [after, scope.from, scope.to, scope.categories ?? null, scope.actors ?? null, limit],
  );
  return rows.map((r) => r.id);
}

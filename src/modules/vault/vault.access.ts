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
}

const MAX_BATCH = 500;

export async function insertAccess(q: Queryable, entries: AccessEntry[]): Promise<void> {
  const cols = 11;
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
    );
    return `(${Array.from({ length: cols }, (_, j) => `$${i * cols + j + 1}`).join(', ')})`;
  });
  await q.query(
    `INSERT INTO vault_access (subject_id, operation, actor_type, actor_id, actor_label, purpose, basis,
                               basis_ref, fields, categories, visible_from)
     VALUES ${tuples.join(', ')}`,
    values,
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

/** Newest first; entries under a legal restriction stay hidden until it ends. */
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
            purpose, basis, categories
       FROM vault_access
      WHERE subject_id = ANY (ARRAY[$1::uuid]) AND ($2::bigint IS NULL OR id < $2)
        AND (visible_from IS NULL OR visible_from <= now())
      ORDER BY subject_id, id DESC LIMIT $3`,
    [subjectId, beforeId, limit],
  );
  return rows;
}

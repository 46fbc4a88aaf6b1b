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
  /** `export`: the person downloaded an archive of their data (P8.1.export). */
  operation: 'read' | 'share' | 'transfer' | 'disclose' | 'export';
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

/**
 * P8.1.export every entry the person may see (a legally restricted one stays hidden until
 * its restriction ends), oldest first, `limit` after id `after`: keyset pages on
 * `vault_access_subject_idx`, so 100,000 entries are read in short statements. Each page
 * comes as one JSON text (the entries' objects joined by commas, keyed by column, instants
 * in ISO 8601 with their offset), built by PostgreSQL: parsing 100,000 rows into objects
 * only to write them out as JSON again cost more than the rest of an archive.
 */
export async function accessRecordsJsonAfter(
  q: Queryable,
  subjectId: string,
  after: string | null,
  limit: number,
): Promise<{ json: string; count: number; last: string | null }> {
  const { rows } = await q.query<{ json: string | null; count: number; last: string | null }>(
    {
      name: 'vault_access_records_json_after',
      text: `SELECT string_agg(j, ',' ORDER BY id) AS json, count(*)::int AS count, max(id)::text AS last
               FROM (SELECT id, json_build_object(
                              'occurred_at', occurred_at, 'operation', operation, 'actor_type', actor_type,
                              'actor_label', actor_label, 'purpose', purpose, 'basis', basis, 'basis_ref', basis_ref,
                              'fields', fields, 'categories', categories, 'outcome', outcome, 'refusal', refusal)::text AS j
                       FROM vault_access
                      WHERE subject_id = ANY (ARRAY[$1::uuid]) AND id > $2::bigint
                        AND (visible_from IS NULL OR visible_from <= now())
                      ORDER BY subject_id DESC, id LIMIT $3) page`,
    },
    // `vault_access_subject_idx` is (subject_id, id DESC): read backwards it gives exactly
    // this order, so no sort. Ids start at 1: "after 0" is the first page. A plain bound (not `$2 IS NULL OR …`) lets
    // the generic plan of this named statement start each page at its key in the index.
    [subjectId, after ?? '0', limit],
  );
  const r = rows[0]!;
  return { json: r.json ?? '', count: r.count, last: r.last };
}

/** One actor that received the person's data, as "connected services" shows it (P8.1.view). */
export interface Recipient {
  actorType: string;
  actorId: string;
  /** The fields and categories it received (allowed entries only). */
  fields: string[];
  categories: string[];
  /** The consents the entries name as their basis. */
  consentIds: string[];
  lastAt: Date;
}

/**
 * Who outside the platform received the person's data (departments' services, partners),
 * aggregated over the allowed entries the person may see: what, under which consents, when
 * last. Entries under a legal restriction stay hidden until it ends, as in the log.
 */
export async function recipientsOf(
  q: Queryable,
  subjectId: string,
  actorTypes: readonly string[],
): Promise<Recipient[]> {
  // Grouped by what was received and on which consent: few groups however long the log,
  // merged per actor below.
  const { rows } = await q.query<{
    actorType: string;
    actorId: string;
    fields: string[];
    categories: string[];
    consentId: string | null;
    lastAt: Date;
  }>(
    `SELECT actor_type AS "actorType", actor_id AS "actorId", fields, categories,
            basis_ref->>'consentId' AS "consentId", max(occurred_at) AS "lastAt"
       FROM vault_access
      WHERE subject_id = ANY (ARRAY[$1::uuid]) AND outcome = 'allowed' AND actor_type = ANY ($2::text[])
        AND actor_id IS NOT NULL AND (visible_from IS NULL OR visible_from <= now())
      GROUP BY actor_type, actor_id, fields, categories, basis_ref->>'consentId'`,
    [subjectId, actorTypes],
  );
  const by = new Map<string, Recipient>();
  for (const r of rows) {
    const key = `${r.actorType}:${r.actorId}`;
    const was = by.get(key) ?? {
      actorType: r.actorType,
      actorId: r.actorId,
      fields: [],
      categories: [],
      consentIds: [],
      lastAt: r.lastAt,
    };
    was.fields = [...new Set([...was.fields, ...r.fields])];
    was.categories = [...new Set([...was.categories, ...r.categories])];
    if (r.consentId && !was.consentIds.includes(r.consentId)) was.consentIds.push(r.consentId);
    if (r.lastAt > was.lastAt) was.lastAt = r.lastAt;
    by.set(key, was);
  }
  return [...by.values()].sort((a, b) => b.lastAt.getTime() - a.lastAt.getTime());
}

/** One release of the person's data to someone outside the platform, for the activity history. */
export interface Release {
  id: number;
  /** Microseconds since the epoch, as text (the history cursor's `at`). */
  at: string;
  occurredAt: Date;
  operation: AccessEntry['operation'];
  actorType: string;
  actorLabel: string;
  purpose: string;
  categories: string[];
}

const RELEASE_AT = `(extract(epoch FROM occurred_at) * 1000000)::bigint`;

/**
 * P8.1.view one page of the allowed entries by actors outside the platform (departments'
 * services, partners, authorities; not the person, staff or the platform's jobs), ordered by
 * (time, `rank`, id) from the cursor like the audit's `personEntries`, so the activity
 * history merges the two. Hidden entries stay hidden until their restriction ends.
 */
export async function releasesPage(
  q: Queryable,
  subjectId: string,
  s: {
    rank: number;
    cursor: { at: string; rank: number; id: number } | null;
    direction: 'older' | 'newer';
    limit: number;
  },
): Promise<Release[]> {
  const older = s.direction === 'older';
  const { rows } = await q.query<Release>(
    `SELECT id, ${RELEASE_AT}::text AS at, occurred_at AS "occurredAt", operation, actor_type AS "actorType",
            actor_label AS "actorLabel", purpose, categories
       FROM vault_access
      WHERE subject_id = ANY (ARRAY[$1::uuid]) AND outcome = 'allowed'
        AND actor_type <> ALL (ARRAY['self', 'staff', 'system']) AND (visible_from IS NULL OR visible_from <= now())
        AND ($2::bigint IS NULL OR (${RELEASE_AT}, $3::int, id) ${older ? '<' : '>'} ($2::bigint, $4::int, $5::bigint))
      ORDER BY occurred_at ${older ? 'DESC' : 'ASC'}, id ${older ? 'DESC' : 'ASC'} LIMIT $6`,
    [subjectId, s.cursor?.at ?? null, s.rank, s.cursor?.rank ?? 0, s.cursor?.id ?? 0, s.limit],
  );
  return rows;
}

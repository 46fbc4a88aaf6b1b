/** SQL for the audit chain. No rules here: see audit.service.ts and audit.verify.ts. */
import type { Queryable } from '../../kernel/db/database.ts';
import type { Json } from '../../shared/canonical-json.ts';
import type { ChainVersion, RecordedFields } from './audit.chain.ts';
import type { SignatureAlg } from './audit.signature.ts';
import { lockForTransaction } from '../../kernel/locks.ts';

export interface LaneHead {
  lane: number;
  seq: number;
  head: Buffer;
}

export interface CheckpointRow {
  id: number;
  createdAt: string;
  heads: { lane: number; seq: number; hash: string }[];
  prevSig: Buffer | null;
  keyId: string;
  signature: Buffer;
  /** 2 or 3: signed after the chain became keyed; every later entry must be keyed. */
  chain: ChainVersion;
  /** What signed it (0037; every earlier checkpoint is Ed25519). */
  alg: SignatureAlg;
}

/** The chain key's HMAC pads, passed to audit_append (never stored). */
export interface Pads {
  ipad: Buffer;
  opad: Buffer;
}

export interface StoredEntry extends RecordedFields {
  id: number;
  lane: number;
  seq: number;
  contentHash: Buffer;
  hash: Buffer;
  chain: ChainVersion;
}

const ISO = `to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export async function insertEntry(
  q: Queryable,
  f: RecordedFields,
  contentHash: Buffer,
  pads: Pads,
): Promise<{ id: number; lane: number; seq: number }> {
  // Named: prepared once per connection, so an append skips parsing and planning the call
  // (about a fifth of an append's server CPU, measured by bench/audit-append).
  const { rows } = await q.query<{ entry_id: number; entry_lane: number; entry_seq: number }>(
    {
      name: 'civitas_audit_append',
      text: 'SELECT * FROM audit_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)',
    },
    [
      f.occurredAt,
      f.actorType,
      f.actorId,
      f.action,
      f.subjectType,
      f.subjectId,
      f.purpose,
      f.legalBasis,
      f.clause,
      f.detail,
      f.requestId,
      contentHash,
      pads.ipad,
      pads.opad,
    ],
  );
  const row = rows[0];
  if (!row) throw new Error('audit_append returned no row');
  return { id: row.entry_id, lane: row.entry_lane, seq: row.entry_seq };
}

/**
 * Runs a data-modifying statement and appends its audit entry in ONE statement (one round
 * trip, one implicit transaction): `WITH change AS (<text>) SELECT … FROM change,
 * LATERAL audit_append(…)`. The change must return at most one row with a column
 * `audit_subject` holding the entry's subject id: that reference makes the append run once
 * per changed row, so a change that touched nothing appends nothing.
 */
export async function insertEntryWith(
  q: Queryable,
  change: { name: string; text: string; values: unknown[] },
  f: RecordedFields,
  contentHash: Buffer,
  pads: Pads,
): Promise<{ id: number; lane: number; seq: number } | undefined> {
  const n = change.values.length;
  const p = (i: number) => `$${n + i}`;
  const { rows } = await q.query<{ entry_id: number; entry_lane: number; entry_seq: number }>(
    {
      name: `civitas_audit_with_${change.name}`,
      text: `WITH change AS (${change.text})
             SELECT a.* FROM change, LATERAL audit_append(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)},
               change.audit_subject::text, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)}, ${p(11)},
               ${p(12)}, ${p(13)}) a`,
    },
    [
      ...change.values,
      f.occurredAt,
      f.actorType,
      f.actorId,
      f.action,
      f.subjectType,
      f.purpose,
      f.legalBasis,
      f.clause,
      f.detail,
      f.requestId,
      contentHash,
      pads.ipad,
      pads.opad,
    ],
  );
  if (rows.length > 1) throw new Error(`audited change ${change.name} touched ${rows.length} rows`);
  const row = rows[0];
  return row ? { id: row.entry_id, lane: row.entry_lane, seq: row.entry_seq } : undefined;
}

/** Computes an entry's chain-3 link over the head `audit_lane_take` returned. */
export type Linker = (prev: Buffer, lane: number, seq: number) => Buffer;

const fieldValues = (f: RecordedFields) => [
  f.occurredAt,
  f.actorType,
  f.actorId,
  f.action,
  f.subjectType,
  f.subjectId,
  f.purpose,
  f.legalBasis,
  f.clause,
  f.detail,
  f.requestId,
];

/** Locks a lane for this transaction (as audit_append does) and links the next entry on it. */
async function takeLane(
  q: Queryable,
  link: Linker,
): Promise<[lane: number, seq: number, prev: Buffer, hash: Buffer]> {
  const { rows } = await q.query<{ take_lane: number; take_seq: number; take_head: Buffer }>({
    name: 'civitas_audit_lane_take',
    text: 'SELECT * FROM audit_lane_take()',
  });
  const t = rows[0];
  if (!t) throw new Error('audit_lane_take returned no row');
  return [t.take_lane, t.take_seq, t.take_head, link(t.take_head, t.take_lane, t.take_seq)];
}

/**
 * Chain 3 (0037): the lane taken, the link computed here, the entry appended by
 * `audit_append_linked`, which refuses it if the lane moved. Two statements on the
 * caller's transaction (the lane stays locked between them).
 */
export async function insertLinkedEntry(
  q: Queryable,
  f: RecordedFields,
  contentHash: Buffer,
  link: Linker,
): Promise<{ id: number; lane: number; seq: number }> {
  const taken = await takeLane(q, link);
  const { rows } = await q.query<{ entry_id: number; entry_lane: number; entry_seq: number }>(
    {
      name: 'civitas_audit_append_linked',
      text: 'SELECT * FROM audit_append_linked($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 3::smallint)',
    },
    [...fieldValues(f), contentHash, ...taken],
  );
  const row = rows[0];
  if (!row) throw new Error('audit_append_linked returned no row');
  return { id: row.entry_id, lane: row.entry_lane, seq: row.entry_seq };
}

/** `insertEntryWith` for chain 3: the lane taken first, then the change and its entry in one statement. */
export async function insertLinkedEntryWith(
  q: Queryable,
  change: { name: string; text: string; values: unknown[] },
  f: RecordedFields,
  contentHash: Buffer,
  link: Linker,
): Promise<{ id: number; lane: number; seq: number } | undefined> {
  const taken = await takeLane(q, link);
  const n = change.values.length;
  const p = (i: number) => `$${n + i}`;
  const { rows } = await q.query<{ entry_id: number; entry_lane: number; entry_seq: number }>(
    {
      name: `civitas_audit_linked_with_${change.name}`,
      text: `WITH change AS (${change.text})
             SELECT a.* FROM change, LATERAL audit_append_linked(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)},
               change.audit_subject::text, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)}, ${p(11)},
               ${p(12)}, ${p(13)}, ${p(14)}, ${p(15)}, 3::smallint) a`,
    },
    [...change.values, ...fieldValues(f).filter((_, i) => i !== 5), contentHash, ...taken],
  );
  if (rows.length > 1) throw new Error(`audited change ${change.name} touched ${rows.length} rows`);
  const row = rows[0];
  return row ? { id: row.entry_id, lane: row.entry_lane, seq: row.entry_seq } : undefined;
}

export async function laneHeads(q: Queryable): Promise<LaneHead[]> {
  const { rows } = await q.query<LaneHead>('SELECT lane, seq, head FROM audit_lane ORDER BY lane');
  return rows;
}

export async function lockCheckpointWriter(q: Queryable): Promise<void> {
  await lockForTransaction(q, 'auditCheckpoint');
}

export async function lastCheckpoint(q: Queryable): Promise<CheckpointRow | undefined> {
  return (await checkpoints(q, 'ORDER BY id DESC LIMIT 1'))[0];
}

export async function allCheckpoints(q: Queryable): Promise<CheckpointRow[]> {
  return checkpoints(q, 'ORDER BY id');
}

async function checkpoints(q: Queryable, tail: string): Promise<CheckpointRow[]> {
  const { rows } = await q.query<CheckpointRow>(
    `SELECT id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
            heads, prev_sig AS "prevSig", key_id AS "keyId", signature, chain, alg
       FROM audit_checkpoint ${tail}`,
  );
  return rows;
}

export async function insertCheckpoint(q: Queryable, c: Omit<CheckpointRow, 'id'>): Promise<number> {
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO audit_checkpoint (created_at, heads, prev_sig, key_id, signature, chain, alg)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [c.createdAt, JSON.stringify(c.heads), c.prevSig, c.keyId, c.signature, c.chain, c.alg],
  );
  return rows[0]!.id;
}

/** One page of the chain in id order (keyset pagination, so the walk is linear). */
export async function entriesAfter(q: Queryable, afterId: number, limit: number): Promise<StoredEntry[]> {
  const { rows } = await q.query<StoredEntry>(
    `SELECT id, lane, seq, ${ISO} AS "occurredAt", actor_type AS "actorType", actor_id AS "actorId",
            action, subject_type AS "subjectType", subject_id AS "subjectId", purpose,
            legal_basis AS "legalBasis", clause, detail, request_id AS "requestId",
            content_hash AS "contentHash", hash, chain
       FROM audit_entry WHERE id > $1 ORDER BY id LIMIT $2`,
    [afterId, limit],
  );
  return rows;
}

/** An entry as verification reads it: hashes as hex text, which pg decodes far faster than bytea. */
export interface ChainRow extends RecordedFields {
  id: number;
  lane: number;
  seq: number;
  contentHash: string;
  hash: string;
  chain: ChainVersion;
}

/** One page of a lane in seq order, through the (lane, seq) unique index. */
export async function lanePage(
  q: Queryable,
  lane: number,
  afterSeq: number,
  limit: number,
): Promise<ChainRow[]> {
  const { rows } = await q.query<ChainRow>(
    {
      name: 'civitas_audit_lane_page',
      text: `SELECT id, lane, seq, ${ISO} AS "occurredAt", actor_type AS "actorType", actor_id AS "actorId",
                    action, subject_type AS "subjectType", subject_id AS "subjectId", purpose,
                    legal_basis AS "legalBasis", clause, detail, request_id AS "requestId",
                    encode(content_hash, 'hex') AS "contentHash", encode(hash, 'hex') AS hash, chain
               FROM audit_entry WHERE lane = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    },
    [lane, afterSeq, limit],
  );
  return rows;
}

export interface RecentEntry {
  id: number;
  occurredAt: string;
  actorType: string;
  action: string;
  subjectType: string | null;
  clause: string | null;
  detail: { [key: string]: Json };
}

export async function recentEntries(q: Queryable, limit: number): Promise<RecentEntry[]> {
  const { rows } = await q.query<RecentEntry>(
    `SELECT id, ${ISO} AS "occurredAt", actor_type AS "actorType", action,
            subject_type AS "subjectType", clause, detail
       FROM audit_entry ORDER BY id DESC LIMIT $1`,
    [limit],
  );
  return rows;
}

export async function entryCount(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>('SELECT coalesce(sum(seq), 0)::bigint AS n FROM audit_lane');
  return rows[0]?.n ?? 0;
}

export async function holdsCheckpointSigned(q: Queryable, signature: Buffer): Promise<boolean> {
  const { rowCount } = await q.query('SELECT 1 FROM audit_checkpoint WHERE signature = $1', [signature]);
  return (rowCount ?? 0) > 0;
}

/** What `subjectsInWindow` selects (audit.service.ts). */
export interface WindowScope {
  from: Date;
  to: Date;
  actions: readonly string[];
  /** Actors as `<type>:<id>` (`partner:face-id`); none: anyone. */
  actors?: readonly string[] | undefined;
  /** Entries whose `detail.fields` names any of these; none: any entry. */
  fields?: readonly string[] | undefined;
  /** Leaves out what the person did to their own data (actor = subject). */
  othersOnly?: boolean | undefined;
}

const UUID = `'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'`;

/**
 * One batch of the people (subject type `person`) of the window's entries after `after`,
 * ascending. The window is found by `audit_entry_occurred_brin` (entries are appended in
 * time order); each batch reads the window's entries again, which stays cheap because the
 * actions asked for are rare ones (writes by others), not the per-read traffic.
 */
export async function subjectsInWindow(
  q: Queryable,
  s: WindowScope,
  after: string | null,
  limit: number,
): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT id FROM (
       SELECT DISTINCT CASE WHEN subject_id ~ ${UUID} THEN subject_id::uuid END AS id
         FROM audit_entry
        WHERE occurred_at >= $1 AND occurred_at < $2 AND action = ANY ($3::text[])
          AND subject_type = 'person'
          AND ($4::text[] IS NULL OR actor_type || ':' || coalesce(actor_id, '') = ANY ($4::text[]))
          AND ($5::text[] IS NULL OR detail->'fields' ?| $5::text[])
          AND (NOT $6::boolean OR actor_id IS DISTINCT FROM subject_id)) e
      WHERE id IS NOT NULL AND ($7::uuid IS NULL OR id > $7::uuid)
      ORDER BY id LIMIT $8`,
    [s.from, s.to, s.actions, s.actors ?? null, s.fields ?? null, s.othersOnly ?? false, after, limit],
  );
  return rows.map((r) => r.id);
}

/** A place in a person's history merged from several logs: time in µs, the log's rank, the id. */
export interface HistoryCursor {
  /** Microseconds since the epoch, as text (int8). */
  at: string;
  rank: number;
  id: number;
}

export interface PersonEntry {
  id: number;
  /** Microseconds since the epoch, as text: the cursor's `at`. */
  at: string;
  occurredAt: Date;
  actorType: string;
  action: string;
  detail: { [key: string]: Json };
}

const AT_US = `(extract(epoch FROM occurred_at) * 1000000)::bigint`;

/**
 * P8.1.view one page of the entries about a person (subject `person`) with these actions,
 * ordered by (time, `rank`, id) from `cursor`: `older` descending below it, `newer`
 * ascending above it. Keyset: no OFFSET, an entry appended meanwhile shifts nothing.
 */
export async function personEntries(
  q: Queryable,
  subjectId: string,
  s: {
    actions: readonly string[];
    rank: number;
    cursor: HistoryCursor | null;
    direction: 'older' | 'newer';
    limit: number;
  },
): Promise<PersonEntry[]> {
  const older = s.direction === 'older';
  const { rows } = await q.query<PersonEntry>(
    `SELECT id, ${AT_US}::text AS at, occurred_at AS "occurredAt", actor_type AS "actorType", action, detail
       FROM audit_entry
      WHERE subject_type = 'person' AND subject_id = $1 AND action = ANY ($2::text[])
        AND ($3::bigint IS NULL OR (${AT_US}, $4::int, id) ${older ? '<' : '>'} ($3::bigint, $5::int, $6::bigint))
      ORDER BY occurred_at ${older ? 'DESC' : 'ASC'}, id ${older ? 'DESC' : 'ASC'} LIMIT $7`,
    [subjectId, s.actions, s.cursor?.at ?? null, s.rank, s.cursor?.rank ?? 0, s.cursor?.id ?? 0, s.limit],
  );
  return rows;
}

/** One entry about a person, if it is theirs and of these actions. */
export async function personEntry(
  q: Queryable,
  subjectId: string,
  id: number,
  actions: readonly string[],
): Promise<PersonEntry | undefined> {
  const { rows } = await q.query<PersonEntry>(
    `SELECT id, ${AT_US}::text AS at, occurred_at AS "occurredAt", actor_type AS "actorType", action, detail
       FROM audit_entry
      WHERE id = $1 AND subject_type = 'person' AND subject_id = $2 AND action = ANY ($3::text[])`,
    [id, subjectId, actions],
  );
  return rows[0];
}

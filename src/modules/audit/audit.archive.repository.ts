/** SQL for the archive records of dropped months of the audit chain (migration 0036). */
import type { Queryable } from '../../kernel/db/database.ts';
import type { SignatureAlg } from './audit.signature.ts';

/** Where a lane stood at the end of the dropped months: its last dropped entry. */
export interface Boundary {
  lane: number;
  seq: number;
  hash: string;
  chain: number;
}

export interface ArchiveRow {
  id: number;
  createdAt: string;
  partition: string;
  rangeFrom: string;
  rangeTo: string;
  entries: number;
  boundary: Boundary[];
  prevSig: Buffer | null;
  keyId: string;
  alg: SignatureAlg;
  signature: Buffer;
}

const iso = (c: string) => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export async function allArchives(q: Queryable): Promise<ArchiveRow[]> {
  const { rows } = await q.query<ArchiveRow & { entries: string }>(
    `SELECT id, ${iso('created_at')} AS "createdAt", partition, ${iso('range_from')} AS "rangeFrom",
            ${iso('range_to')} AS "rangeTo", entries::text AS entries, boundary, prev_sig AS "prevSig",
            key_id AS "keyId", alg, signature
       FROM audit_archive ORDER BY id`,
  );
  return rows.map((r) => ({ ...r, entries: Number(r.entries) }));
}

export async function insertArchive(q: Queryable, a: Omit<ArchiveRow, 'id'>): Promise<number> {
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO audit_archive (created_at, partition, range_from, range_to, entries, boundary, prev_sig, key_id, alg, signature)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      a.createdAt,
      a.partition,
      a.rangeFrom,
      a.rangeTo,
      a.entries,
      JSON.stringify(a.boundary),
      a.prevSig,
      a.keyId,
      a.alg,
      a.signature,
    ],
  );
  return rows[0]!.id;
}

/** Each lane's last entry in the range, and how many entries the range holds. */
export async function lastPerLane(
  q: Queryable,
  from: Date,
  to: Date,
): Promise<{ last: Boundary[]; entries: number }> {
  const { rows } = await q.query<Boundary & { n: string }>(
    `SELECT DISTINCT ON (lane) lane, seq, encode(hash, 'hex') AS hash, chain::int AS chain,
            (count(*) OVER (PARTITION BY lane))::text AS n
       FROM audit_entry WHERE occurred_at >= $1 AND occurred_at < $2
      ORDER BY lane, seq DESC`,
    [from, to],
  );
  return {
    last: rows.map(({ n: _n, ...b }) => b),
    entries: rows.reduce((s, r) => s + Number(r.n), 0),
  };
}

/**
 * A lane whose entries up to `seq` do not all lie in the months going (`runFrom` up to
 * `to`): a later month, or the default partition, holds one that comes before the range's
 * last (clocks disagreed), so the range cannot go alone.
 */
export async function laneStraddling(
  q: Queryable,
  r: { from: Date; to: Date; runFrom: Date },
  last: readonly Boundary[],
): Promise<number | undefined> {
  if (last.length === 0) return undefined;
  const { rows } = await q.query<{ lane: number }>(
    `SELECT e.lane FROM audit_entry e
       JOIN unnest($3::smallint[], $4::bigint[]) AS b(lane, seq) ON e.lane = b.lane AND e.seq <= b.seq
      WHERE e.occurred_at < $1 OR e.occurred_at >= $2
      LIMIT 1`,
    [r.runFrom, r.to, last.map((b) => b.lane), last.map((b) => b.seq)],
  );
  return rows[0]?.lane;
}

/** Whether any entry in the range is by or about one of these people. */
export async function namesAnyOf(
  q: Queryable,
  from: Date,
  to: Date,
  people: readonly string[],
): Promise<boolean> {
  if (people.length === 0) return false;
  const { rowCount } = await q.query(
    `SELECT 1 FROM audit_entry
      WHERE occurred_at >= $1 AND occurred_at < $2 AND (subject_id = ANY($3) OR actor_id = ANY($3))
      LIMIT 1`,
    [from, to, people],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * The month partitions of the two logs that grow forever, the access log and the audit
 * chain (migration 0036, ADR 0044). The owner role's functions make and drop them; the
 * application calls those, it never owns a partition.
 */
import type { Queryable } from './database.ts';

export type PartitionedLog = 'vault_access' | 'audit_entry';

export interface MonthPartition {
  name: string;
  from: Date;
  to: Date;
}

/** Months made ahead of time, so the default partition stays empty. */
export const MONTHS_AHEAD = 3;

/** Makes the month partitions from `from`'s month for `months` months; returns those made. */
export async function ensurePartitions(
  q: Queryable,
  table: PartitionedLog,
  from: Date,
  months: number,
): Promise<string[]> {
  const { rows } = await q.query<{ name: string }>(
    'SELECT civitas_partitions_ensure AS name FROM civitas_partitions_ensure($1, $2::date, $3)',
    [table, from.toISOString().slice(0, 10), months],
  );
  return rows.map((r) => r.name);
}

/** This month's partition, the previous one and the next `MONTHS_AHEAD`. */
export async function ensureCurrentPartitions(q: Queryable, now: Date): Promise<string[]> {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const made: string[] = [];
  for (const t of ['vault_access', 'audit_entry'] as const)
    made.push(...(await ensurePartitions(q, t, from, MONTHS_AHEAD + 2)));
  return made;
}

export async function monthPartitions(q: Queryable, table: PartitionedLog): Promise<MonthPartition[]> {
  const { rows } = await q.query<{ name: string; from: Date; to: Date }>(
    'SELECT name, range_from AS "from", range_to AS "to" FROM civitas_partitions($1)',
    [table],
  );
  return rows;
}

/** Rows in the default partition: months that had no partition when they were written. */
export async function defaultPartitionRows(q: Queryable, table: PartitionedLog): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${table} WHERE tableoid = $1::regclass`,
    [`${table}_default`],
  );
  return rows[0]!.n;
}

/**
 * Drops one month and returns how many rows it held. A short lock timeout: dropping needs a
 * moment's exclusive lock on the log, and waiting in line for it would stall every write.
 */
export async function dropPartition(q: Queryable, table: PartitionedLog, name: string): Promise<number> {
  await q.query(`SET LOCAL lock_timeout = '2s'`);
  const { rows } = await q.query<{ n: string }>('SELECT civitas_partition_drop($1, $2)::text AS n', [
    table,
    name,
  ]);
  return Number(rows[0]!.n);
}

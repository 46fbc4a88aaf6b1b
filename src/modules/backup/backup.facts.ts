/**
 * What a backup records about its source, read in the same snapshot as the data: the row
 * count of every table and the applied migrations. The restore drill compares them.
 */
import type pg from 'pg';

export interface SourceFacts {
  serverVersion: string;
  database: string;
  recoveryPoint: { lsn: string; time: string; timeline?: number };
  rows: Record<string, number>;
  migrations: Record<string, string>;
}

type Client = Pick<pg.ClientBase, 'query'>;

export async function countRows(q: Client): Promise<Pick<SourceFacts, 'rows' | 'migrations'>> {
  const { rows: tables } = await q.query<{ t: string }>(
    `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  const rows: Record<string, number> = {};
  for (const { t } of tables) {
    const { rows: c } = await q.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM public."${t.replace(/"/g, '""')}"`,
    );
    rows[t] = Number(c[0]!.n);
  }
  const migrations: Record<string, string> = {};
  if ('schema_migration' in rows) {
    const { rows: m } = await q.query<{ version: number; checksum: string }>(
      'SELECT version, checksum FROM schema_migration ORDER BY version',
    );
    for (const r of m) migrations[String(r.version)] = r.checksum;
  }
  return { rows, migrations };
}

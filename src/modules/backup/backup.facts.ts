/**
 * What a backup records about its source, read in the same snapshot as the data: the row
 * count of every table and the applied migrations. The restore drill compares them.
 */
import type pg from 'pg';
import { appliedMigrations, type Queryable } from '../../kernel/db/index.ts';

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
    // A partitioned table counts once, by its parent: its months are its own business.
    `SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`,
  );
  const rows: Record<string, number> = {};
  for (const { t } of tables) {
    const { rows: c } = await q.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM public."${t.replace(/"/g, '""')}"`,
    );
    rows[t] = Number(c[0]!.n);
  }
  return { rows, migrations: await appliedMigrations(q as Queryable) };
}

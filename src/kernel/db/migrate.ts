/**
 * Forward-only SQL migrations: `migrations/NNNN_name.sql`, applied in order, each in its
 * own transaction, recorded with a checksum. An applied migration whose file changed is
 * an error: migrations are never edited after release, a new one is added instead.
 * Several processes starting at once serialise on an advisory lock.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Database, Queryable } from './database.ts';
import { LOCKS } from '../locks.ts';

const dir = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.slice(5, -4),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

const ensureTable = `
  CREATE TABLE IF NOT EXISTS schema_migration (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

export interface MigrationStatus {
  applied: number[];
  pending: number[];
  edited: number[];
}

/** Applied migrations, version → checksum (a backup records them with its snapshot). */
export async function appliedMigrations(q: Queryable): Promise<Record<string, string>> {
  const exists = await q.query<{ t: string | null }>(`SELECT to_regclass('schema_migration')::text AS t`);
  if (!exists.rows[0]?.t) return {};
  const { rows } = await q.query<{ version: number; checksum: string }>(
    'SELECT version, checksum FROM schema_migration ORDER BY version',
  );
  return Object.fromEntries(rows.map((r) => [String(r.version), r.checksum]));
}

export async function migrationStatus(db: Database): Promise<MigrationStatus> {
  const exists = await db.query<{ t: string | null }>(`SELECT to_regclass('schema_migration')::text AS t`);
  const rows = exists.rows[0]?.t
    ? (
        await db.query<{ version: number; checksum: string }>(
          'SELECT version, checksum FROM schema_migration',
        )
      ).rows
    : [];
  const applied = new Map(rows.map((r) => [r.version, r.checksum]));
  const all = listMigrations();
  return {
    applied: [...applied.keys()].sort((a, b) => a - b),
    pending: all.filter((m) => !applied.has(m.version)).map((m) => m.version),
    edited: all
      .filter((m) => applied.has(m.version) && applied.get(m.version) !== m.checksum)
      .map((m) => m.version),
  };
}

export async function migrate(db: Database, log: (msg: string) => void = () => undefined): Promise<number> {
  // Nothing pending: no DDL at all, so the application role (which may not create
  // anything) can start on a schema its owner migrated.
  const status = await migrationStatus(db);
  if (status.applied.length > 0 && status.pending.length === 0 && status.edited.length === 0) return 0;
  const client = await db.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCKS.schema]);
    await client.query(ensureTable);
    const { rows } = await client.query<{ version: number; checksum: string }>(
      'SELECT version, checksum FROM schema_migration',
    );
    const applied = new Map(rows.map((r) => [r.version, r.checksum]));
    let count = 0;
    for (const m of listMigrations()) {
      const seen = applied.get(m.version);
      if (seen !== undefined) {
        if (seen !== m.checksum) {
          throw new Error(
            `migration ${m.version}_${m.name} was edited after it was applied; add a new migration instead`,
          );
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migration (version, name, checksum) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          m.checksum,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${m.version}_${m.name} failed: ${(err as Error).message}`);
      }
      log(`applied migration ${m.version}_${m.name}`);
      count++;
    }
    return count;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCKS.schema]).catch(() => undefined);
    client.release();
  }
}

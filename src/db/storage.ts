/**
 * Opens the platform's storage: the external PostgreSQL named by DATABASE_URL, or the
 * embedded server under the data directory. Either way the result is a pooled `Database`
 * with migrations applied.
 */
import pg from 'pg';
import type { Config } from '../config/index.ts';
import { openDatabase, type Database } from './database.ts';
import { startEmbedded, type EmbeddedRole } from './embedded.ts';
import { migrate } from './migrate.ts';

export interface Storage {
  db: Database;
  kind: 'embedded' | 'external';
  close(): Promise<void>;
}

const EMBEDDED_DB = 'civitas';

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

export async function openStorage(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'databasePoolMax'>,
  log: (msg: string) => void,
  opts: { role?: EmbeddedRole; migrate?: boolean } = {},
): Promise<Storage> {
  const shouldMigrate = opts.migrate ?? true;
  if (config.databaseUrl) {
    const db = openDatabase(config.databaseUrl, config.databasePoolMax);
    try {
      if (shouldMigrate) await migrate(db, log);
    } catch (err) {
      await db.close();
      throw err;
    }
    return { db, kind: 'external', close: () => db.close() };
  }
  const server = await startEmbedded(config.dataDir, log, opts.role ?? 'server');
  try {
    await ensureDatabase(server.url(), EMBEDDED_DB);
    const db = openDatabase(server.url(EMBEDDED_DB), config.databasePoolMax);
    if (shouldMigrate) await migrate(db, log);
    return {
      db,
      kind: 'embedded',
      close: async () => {
        await db.close();
        await server.stop();
      },
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/**
 * Opens the platform's storage: the external PostgreSQL named by DATABASE_URL, or the
 * embedded server under the data directory. Either way the result is a pooled `Database`
 * with migrations applied, connected as the application role where one is set up.
 *
 * Rules (P7.2, src/kernel/db/roles.ts):
 * - Migrations run as the schema owner: DATABASE_OWNER_URL (external) or the embedded
 *   cluster's `civitas_owner`; the owner then grants the application role its privileges.
 * - The pool connects as the application role: DATABASE_URL, or the embedded `civitas_app`.
 * - `roleProblems` says what the application role may do beyond that (a superuser, the
 *   owner); the platform refuses to start with any in production.
 */
import pg from 'pg';
import type { Config } from '../config/index.ts';
import { openDatabase, type Database } from './database.ts';
import {
  EMBEDDED_ROLES,
  embeddedPaths,
  startEmbedded,
  type EmbeddedRole,
  type EmbeddedServer,
} from './embedded.ts';
import { migrate } from './migrate.ts';
import { applicationRoleProblems, grantApplicationRole } from './roles.ts';
import { lockForTransaction } from '../locks.ts';

export interface Storage {
  db: Database;
  kind: 'embedded' | 'external';
  /** Privileges the application role holds beyond what it needs (empty when least-privilege). */
  roleProblems: string[];
  /** Whether the database server this process runs is up (always true for an external one). */
  serverAlive(): boolean;
  /** The embedded server's files and its superuser, for physical backups (src/modules/backup). */
  embedded?: EmbeddedCluster;
  close(): Promise<void>;
}

export interface EmbeddedCluster {
  dataDir: string;
  clusterDir: string;
  stateFile: string;
  archiveDir: string;
  /** The bootstrap superuser's URL (pg_backup_start needs it; nothing else uses it). */
  adminUrl: string;
}

/** A throw-away embedded server with the Civitas database and roles, e.g. for a restore drill. */
export interface ScratchServer {
  adminUrl: string;
  ownerUrl: string;
  appUrl: string;
  stop(): Promise<void>;
}

export async function openScratchServer(dataDir: string, log: (msg: string) => void): Promise<ScratchServer> {
  const server = await startEmbedded(dataDir, log, 'server');
  try {
    await ensureEmbeddedSchemaOwner(server);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return {
    adminUrl: server.url(EMBEDDED_DB),
    ownerUrl: server.url(EMBEDDED_DB, 'owner'),
    appUrl: server.url(EMBEDDED_DB, 'app'),
    stop: server.stop,
  };
}

const EMBEDDED_DB = 'civitas';

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * The embedded cluster's database and roles, as its bootstrap superuser: creates what is
 * missing and hands a database made before the roles existed (owned by the superuser) to
 * the owner role, with everything in its public schema.
 */
async function ensureEmbeddedSchemaOwner(server: EmbeddedServer): Promise<void> {
  const { owner, app } = EMBEDDED_ROLES;
  await withClient(server.url(), async (c) => {
    for (const [role, password] of [
      [owner, server.rolePasswords.owner],
      [app, server.rolePasswords.app],
    ] as const) {
      const exists = (await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount;
      const pw = c.escapeLiteral(password);
      await c.query(
        exists
          ? `ALTER ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${pw}`
          : `CREATE ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${pw}`,
      );
    }
    const db = await c.query<{ owner: string }>(
      'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
      [EMBEDDED_DB],
    );
    if (!db.rowCount) await c.query(`CREATE DATABASE ${EMBEDDED_DB} OWNER ${owner}`);
    else if (db.rows[0]!.owner !== owner) await c.query(`ALTER DATABASE ${EMBEDDED_DB} OWNER TO ${owner}`);
  });
  await withClient(server.url(EMBEDDED_DB), async (c) => {
    await c.query(`ALTER SCHEMA public OWNER TO ${owner}`);
    const { rows } = await c.query<{ sql: string }>(
      `SELECT format('ALTER TABLE %I OWNER TO ${owner}', c.relname) AS sql
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND pg_get_userbyid(c.relowner) <> $1
       UNION ALL
       SELECT format('ALTER SEQUENCE %I OWNER TO ${owner}', c.relname)
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'S' AND pg_get_userbyid(c.relowner) <> $1
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
       UNION ALL
       SELECT format('ALTER FUNCTION %s OWNER TO ${owner}', p.oid::regprocedure)
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> $1`,
      [owner],
    );
    for (const r of rows) await c.query(r.sql);
  });
}

async function migrateAsOwner(ownerUrl: string, appUrl: string, log: (msg: string) => void): Promise<void> {
  const appRole = decodeURIComponent(new URL(appUrl).username);
  const owner = openDatabase(ownerUrl, 2);
  try {
    await migrate(owner, log);
    const self = (await owner.query<{ u: string }>('SELECT current_user AS u')).rows[0]!.u;
    // A single-role setup (DATABASE_OWNER_URL naming the same role) has nothing to grant.
    if (appRole && appRole !== self)
      await owner.tx(async (q) => {
        // Processes starting together would update the same catalog rows: take turns.
        await lockForTransaction(q, 'schema');
        await grantApplicationRole(q, appRole);
      });
  } finally {
    await owner.close();
  }
}

export async function openStorage(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'databasePoolMax'> &
    Partial<Pick<Config, 'databaseOwnerUrl'>>,
  log: (msg: string) => void,
  opts: { role?: EmbeddedRole; migrate?: boolean } = {},
): Promise<Storage> {
  const shouldMigrate = opts.migrate ?? true;
  if (config.databaseUrl) {
    if (shouldMigrate && config.databaseOwnerUrl)
      await migrateAsOwner(config.databaseOwnerUrl, config.databaseUrl, log);
    const db = openDatabase(config.databaseUrl, config.databasePoolMax);
    try {
      // Without an owner URL, DATABASE_URL migrates (a no-op with no DDL when current).
      if (shouldMigrate && !config.databaseOwnerUrl) await migrate(db, log);
      const roleProblems = await applicationRoleProblems(db);
      return { db, kind: 'external', roleProblems, serverAlive: () => true, close: () => db.close() };
    } catch (err) {
      await db.close();
      throw err;
    }
  }
  const paths = embeddedPaths(config.dataDir);
  const server = await startEmbedded(config.dataDir, log, opts.role ?? 'server', {
    archiveDir: paths.archiveDir,
  });
  try {
    await ensureEmbeddedSchemaOwner(server);
    const appUrl = server.url(EMBEDDED_DB, 'app');
    if (shouldMigrate) await migrateAsOwner(server.url(EMBEDDED_DB, 'owner'), appUrl, log);
    const db = openDatabase(appUrl, config.databasePoolMax);
    const roleProblems = await applicationRoleProblems(db).catch(async (err: unknown) => {
      await db.close();
      throw err;
    });
    return {
      db,
      kind: 'embedded',
      roleProblems,
      serverAlive: server.alive,
      embedded: { dataDir: config.dataDir, ...paths, adminUrl: server.url(EMBEDDED_DB) },
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

/**
 * Each test file gets its own migrated database cloned from the run's template (see
 * scripts/test.ts), so tests see real PostgreSQL behaviour without sharing state.
 *
 * `url` and `db` connect as the application role, as the server does in production: it
 * may not alter tables, disable triggers, or UPDATE/DELETE audit rows. A test that plays
 * an attacker with the owner's rights, or needs DDL, uses `owner` / `ownerUrl`. An
 * `empty` database is for migrating: its `db` is the owner's.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/kernel/db/database.ts';

export interface TestDatabase {
  url: string;
  db: Database;
  /** The schema owner's connection string for this database (runs migrations, owns tables). */
  ownerUrl: string;
  /** A pool connected as the owner, opened on first use. */
  readonly owner: Database;
  drop(): Promise<void>;
}

function env(name: string): string {
  const v = process.env[name];
  if (!v)
    throw new Error(
      `${name} is not set: run tests with \`npm test\` (scripts/test.ts provides the database)`,
    );
  return v;
}

export function adminUrl(): string {
  return env('CIVITAS_TEST_ADMIN_URL');
}

function withDatabase(base: string, database: string): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The superuser's URL for `database` (creating and dropping databases, inspecting the server). */
export function urlFor(database: string): string {
  return withDatabase(adminUrl(), database);
}

/** The owner and application roles of this run; the superuser for both under an older runner. */
function roleUrls(): { owner: string; app: string } {
  return {
    owner: process.env.CIVITAS_TEST_OWNER_URL || adminUrl(),
    app: process.env.CIVITAS_TEST_APP_URL || adminUrl(),
  };
}

export async function adminQuery(sql: string, values?: unknown[]): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await c.query(sql, values);
  } finally {
    await c.end();
  }
}

/** A fresh database: migrated (`template`) or completely empty (`empty`). */
export async function createTestDatabase(
  kind: 'template' | 'empty' = 'template',
  poolMax = 20,
): Promise<TestDatabase> {
  const template = env('CIVITAS_TEST_TEMPLATE');
  const name = `${template}_${randomBytes(5).toString('hex')}`;
  const ownerRole = process.env.CIVITAS_TEST_OWNER_ROLE;
  const ownedBy = ownerRole ? ` OWNER ${ownerRole}` : '';
  await adminQuery(
    kind === 'template'
      ? `CREATE DATABASE ${name} TEMPLATE ${template}${ownedBy}`
      : `CREATE DATABASE ${name}${ownedBy}`,
  );
  const roles = roleUrls();
  const ownerUrl = withDatabase(roles.owner, name);
  const url = kind === 'template' ? withDatabase(roles.app, name) : ownerUrl;
  const db = openDatabase(url, poolMax);
  let owner: Database | undefined;
  return {
    url,
    db,
    ownerUrl,
    get owner() {
      return (owner ??= openDatabase(ownerUrl, 4));
    },
    async drop() {
      await db.close();
      await owner?.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/**
 * Each test file gets its own migrated database cloned from the run's template (see
 * scripts/test.ts), so tests see real PostgreSQL behaviour without sharing state.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.ts';

export interface TestDatabase {
  url: string;
  db: Database;
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

export function urlFor(database: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${database}`;
  return u.toString();
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
  await adminQuery(
    kind === 'template' ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`,
  );
  const url = urlFor(name);
  const db = openDatabase(url, poolMax);
  return {
    url,
    db,
    async drop() {
      await db.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

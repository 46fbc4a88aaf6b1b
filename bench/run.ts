/**
 * Runs the benchmarks: every bench/*.bench.ts, or only the one named on the command line
 * (`npm run bench -- audit-append`).
 *
 * Each bench gets a fresh, migrated database:
 * - DATABASE_URL set: `CREATE DATABASE civitas_bench_<random>` on that server (connecting
 *   to its `postgres` database to do so), dropped afterwards;
 * - otherwise: an embedded PostgreSQL started in a temporary directory, stopped and
 *   removed afterwards.
 * Cleanup runs on failure and on Ctrl-C too. The exit code is non-zero only when a bench
 * throws; a missed target prints MISSED and still exits 0.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { openDatabase } from '../src/kernel/db/database.ts';
import { startEmbedded } from '../src/kernel/db/embedded.ts';
import { migrate } from '../src/kernel/db/migrate.ts';
import { context, type Bench } from './lib.ts';

interface Server {
  kind: 'external' | 'embedded';
  url(database: string): string;
  stop(): Promise<void>;
}

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];

async function cleanup(): Promise<void> {
  while (cleanups.length) {
    const fn = cleanups.pop()!;
    await fn().catch((err: unknown) => console.error(`cleanup failed: ${(err as Error).message}`));
  }
}

function listBenches(only: string | undefined): { name: string; file: string }[] {
  const all = readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()
    .map((f) => ({ name: f.slice(0, -'.bench.ts'.length), file: join(benchDir, f) }));
  if (!only) return all;
  const picked = all.filter((b) => b.name === only || `${b.name}.bench.ts` === only);
  if (picked.length === 0) {
    throw new Error(`no bench named ${only}; have: ${all.map((b) => b.name).join(', ') || '(none)'}`);
  }
  return picked;
}

async function openServer(): Promise<Server> {
  const external = process.env.DATABASE_URL;
  if (external) {
    return {
      kind: 'external',
      url(database) {
        const u = new URL(external);
        u.pathname = `/${encodeURIComponent(database)}`;
        return u.toString();
      },
      stop: async () => undefined,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'civitas-bench-pg-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const t0 = performance.now();
  const server = await startEmbedded(dir, (msg) => context(msg), 'server');
  cleanups.push(() => server.stop());
  context(`embedded PostgreSQL started in ${dir} (${Math.round(performance.now() - t0)} ms)`);
  return { kind: 'embedded', url: (database) => server.url(database), stop: () => server.stop() };
}

async function admin<T>(server: Server, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server.url('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function runOne(server: Server, bench: { name: string; file: string }): Promise<void> {
  const mod = (await import(pathToFileURL(bench.file).href)) as { default?: Bench };
  if (typeof mod.default !== 'function') throw new Error(`${bench.file} has no default export function`);
  const dbName = `civitas_bench_${randomBytes(6).toString('hex')}`;
  const local: (() => Promise<void>)[] = [];
  try {
    await admin(server, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(dbName)}`));
    local.push(() =>
      admin(server, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(dbName)} WITH (FORCE)`);
      }),
    );
    const tmpDir = mkdtempSync(join(tmpdir(), `civitas-bench-${bench.name}-`));
    local.push(async () => rmSync(tmpDir, { recursive: true, force: true }));
    const url = server.url(dbName);
    const db = openDatabase(url, 20);
    local.push(() => db.close());
    await migrate(db);
    // Registered globally too, so Ctrl-C in the middle of a bench still cleans up.
    cleanups.push(...local);
    await mod.default({ url, db, tmpDir });
  } finally {
    for (const fn of local) {
      const i = cleanups.indexOf(fn);
      if (i >= 0) cleanups.splice(i, 1);
    }
    while (local.length) {
      const fn = local.pop()!;
      await fn().catch((err: unknown) => console.error(`cleanup failed: ${(err as Error).message}`));
    }
  }
}

async function main(): Promise<number> {
  const benches = listBenches(process.argv[2]);
  const server = await openServer();
  const version = await admin(
    server,
    async (c) => (await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]?.v,
  );
  context(`PostgreSQL ${version ?? '?'} (${server.kind}), node ${process.version}`);
  let failed = 0;
  for (const bench of benches) {
    console.log(`== ${bench.name}`);
    const t0 = performance.now();
    try {
      await runOne(server, bench);
      context(`${bench.name} took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      failed++;
      console.error(`error: ${bench.name} failed: ${(err as Error).stack ?? String(err)}`);
    }
  }
  return failed ? 1 : 0;
}

let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n${sig}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(`error: ${(err as Error).stack ?? String(err)}`);
} finally {
  await cleanup();
}
process.exit(code);

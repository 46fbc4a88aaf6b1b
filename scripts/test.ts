/**
 * `npm test`: the whole suite against a real PostgreSQL.
 *
 * Without DATABASE_URL it starts the embedded server in a temp dir; with it, it uses
 * that server (CI points it at a fresh database on the machine's PostgreSQL 15). Either
 * way it migrates one template database and each test file clones its own database from
 * it (CREATE DATABASE … TEMPLATE), so files run in parallel without sharing state.
 *
 * As in production (src/kernel/db/roles.ts), the schema belongs to an owner role that migrates it,
 * and tests connect as an application role that owns nothing. Both are created for this run
 * with names unique to it (roles are cluster-wide: parallel runs on one server must not
 * share them) and dropped at the end.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/kernel/db/database.ts';
import { startEmbedded } from '../src/kernel/db/embedded.ts';
import { migrate } from '../src/kernel/db/migrate.ts';
import { grantApplicationRole } from '../src/kernel/db/roles.ts';

/**
 * `--interop` (npm run test:interop) runs the interoperability suites instead
 * (`*.interop.ts`: Apache httpd + mod_auth_openidc), which need Debian packages that
 * `npm test` must not depend on.
 */
const interop = process.argv.includes('--interop');
const TEST_FILE = interop ? /\.interop\.tsx?$/ : /\.test\.tsx?$/;

function findTests(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (TEST_FILE.test(name)) out.push(p);
  }
  return out;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function asRole(url: string, role: string, password: string): string {
  const u = new URL(url);
  u.username = role;
  u.password = password;
  return u.toString();
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Traceability and generated docs must be current; an unknown clause ID fails the run. */
function checkDocs(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/docs.ts', '--check'], {
      stdio: 'inherit',
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<number> {
  const filter = process.argv.slice(2).filter((a) => a !== '--interop');
  if (filter.length === 0 && !interop && (await checkDocs()) !== 0) return 1;
  const files = ['src', 'test', 'scripts']
    .flatMap((d) => findTests(d))
    .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
    .sort();

  let adminUrl: string;
  let stopEmbedded: (() => Promise<void>) | undefined;
  let tmp: string | undefined;
  const external = process.env.DATABASE_URL;
  if (external) {
    adminUrl = withDatabase(external, 'postgres');
    process.stdout.write(`# database: external PostgreSQL (${new URL(external).host})\n`);
  } else {
    tmp = mkdtempSync(join(tmpdir(), 'civitas-test-'));
    chmodSync(tmp, 0o711); // as root, PostgreSQL runs as `postgres` and must traverse it
    const server = await startEmbedded(join(tmp, 'data'), () => undefined);
    adminUrl = server.url('postgres');
    stopEmbedded = server.stop;
    process.stdout.write('# database: embedded PostgreSQL\n');
  }

  const template = `civitas_tpl_${process.pid}`;
  const run = `civitas_t${process.pid}_${randomBytes(3).toString('hex')}`;
  const roles = { owner: `${run}_owner`, app: `${run}_app` };
  const password = randomBytes(18).toString('base64url');
  for (const role of [roles.owner, roles.app])
    await adminQuery(
      adminUrl,
      `CREATE ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password}'`,
    );
  const ownerUrl = asRole(adminUrl, roles.owner, password);
  const appUrl = asRole(adminUrl, roles.app, password);
  await adminQuery(adminUrl, `CREATE DATABASE ${template} OWNER ${roles.owner}`);
  const db = openDatabase(withDatabase(ownerUrl, template), 2);
  await migrate(db);
  await grantApplicationRole(db, roles.app);
  await db.close();

  // One browser for every browser test file, unpacked here (if it is the packaged one)
  // before the files run in parallel: see test/support/browser.ts.
  let chromiumPath: string | undefined;
  if (files.some((f) => f.includes('.browser.test.'))) {
    const { chromiumExecutable } = await import('../test/support/browser.ts');
    chromiumPath = await chromiumExecutable();
    process.stdout.write(`# browser: ${chromiumPath}\n`);
  }

  const tap = join(tmpdir(), `civitas-test-${process.pid}.tap`);
  try {
    const code = await new Promise<number>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          '--test',
          '--test-concurrency=2',
          '--test-reporter=spec',
          '--test-reporter-destination=stdout',
          '--test-reporter=tap',
          `--test-reporter-destination=${tap}`,
          ...files,
        ],
        {
          stdio: 'inherit',
          env: {
            ...process.env,
            CIVITAS_TEST_ADMIN_URL: adminUrl,
            CIVITAS_TEST_OWNER_URL: ownerUrl,
            CIVITAS_TEST_APP_URL: appUrl,
            CIVITAS_TEST_OWNER_ROLE: roles.owner,
            CIVITAS_TEST_TEMPLATE: template,
            CIVITAS_TEST_EMBEDDED: external ? '' : '1',
            ...(chromiumPath ? { CHROMIUM_PATH: chromiumPath } : {}),
          },
        },
      );
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
    // One plain closing line, the same for every runner that reads our output.
    const summary = readFileSync(tap, 'utf8');
    const count = (what: string) => Number(new RegExp(`^# ${what} (\\d+)$`, 'm').exec(summary)?.[1] ?? 0);
    // The slowest top-level suites (in practice one per file), to say where the time goes.
    const byFile = [...summary.matchAll(/^(?:not )?ok \d+ - (.+)\n {2}---\n {2}duration_ms: ([\d.]+)/gm)]
      .map((m) => ({ file: m[1]!, ms: Number(m[2]) }))
      .sort((a, b) => b.ms - a.ms);
    if (byFile.length > 1)
      process.stdout.write(
        `\n# slowest top-level suites (one per file, mostly):\n${byFile
          .slice(0, 15)
          .map((f) => `#   ${(f.ms / 1000).toFixed(1).padStart(7)} s  ${f.file}`)
          .join('\n')}\n`,
      );
    process.stdout.write(
      `\ntests: ${count('pass')} passed, ${count('fail') + count('cancelled')} failed, ${count('skipped')} skipped\n`,
    );
    return code;
  } finally {
    rmSync(tap, { force: true });
    // Test files drop their own databases; this catches any a crashed file left behind.
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    const { rows } = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
      [template, `${template}\\_%`],
    );
    for (const r of rows)
      await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(r.datname)} WITH (FORCE)`);
    for (const role of [roles.app, roles.owner])
      await c
        .query(`DROP ROLE IF EXISTS ${role}`)
        .catch((err: unknown) => process.stderr.write(`could not drop role ${role}: ${String(err)}\n`));
    await c.end();
    await stopEmbedded?.();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`test run failed to start: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);

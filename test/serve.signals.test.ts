/**
 * Invariant (issue 10 item 21): the embedded PostgreSQL never outlives Civitas, and
 * Civitas never outlives it pretending to work. Ctrl-C on `npm start` (SIGINT to the
 * whole process group, so node gets it twice) and a supervisor's SIGTERM to the group both
 * end in the graceful path: final audit checkpoint, pool closed, embedded server stopped,
 * each logged. A killed postmaster makes Civitas exit non-zero so a supervisor restarts it.
 *
 * Each test runs the real `node bin/civitas.js serve` in its own process group on a
 * temporary data directory, as `npm start` would.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const root = mkdtempSync(join(tmpdir(), 'civitas-serve-'));
chmodSync(root, 0o711); // as root, PostgreSQL runs as `postgres` and must traverse it
const dataDir = join(root, 'data');
const clusterDir = join(dataDir, 'pg');

/** Pids of every process whose command line names this data directory's cluster. */
function postgresOfDataDir(): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmd.includes(clusterDir) && !cmd.includes('bin/civitas.js')) found.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** PostgreSQL's backends outlive a SIGKILLed postmaster briefly; wait (bounded) for them. */
async function noPostgresLeft(): Promise<number[]> {
  for (let i = 0; i < 200 && postgresOfDataDir().length > 0; i++) await new Promise((r) => setTimeout(r, 50));
  return postgresOfDataDir();
}

interface Served {
  child: ChildProcess;
  output: () => string;
  url: string;
  exited: Promise<number | null>;
}

async function serve(): Promise<Served> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && k !== 'DATABASE_URL' && !k.startsWith('CIVITAS_')) env[k] = v;
  const child = spawn(process.execPath, ['bin/civitas.js', 'serve'], {
    detached: true, // its own process group, as a terminal or supervisor would run it
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, CIVITAS_MODE: 'test', CIVITAS_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = /Portal:\s+(\S+)\//.exec(out);
      if (m && out.includes('Civitas is ready')) resolve(m[1]!);
    };
    child.stdout!.on('data', check);
    void exited.then((code) => reject(new Error(`civitas serve exited (${code}) before ready:\n${out}`)));
  });
  return { child, output: () => out, url, exited };
}

const postmasterPid = () => Number(readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

describe('civitas serve: stop signals and the embedded PostgreSQL', () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  test(
    'Ctrl-C on npm start (SIGINT twice to the process group) stops gracefully, PostgreSQL included',
    { timeout: 180_000 },
    async () => {
      const s = await serve();
      assert.ok(postgresOfDataDir().length > 0, 'the embedded PostgreSQL runs');
      assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
      // What the terminal and npm deliver: the same signal, twice, at once.
      process.kill(-s.child.pid!, 'SIGINT');
      process.kill(-s.child.pid!, 'SIGINT');
      const code = await s.exited;
      const out = s.output();
      assert.equal(code, 0, out);
      for (const line of [
        'shutting down',
        'final audit checkpoint written',
        'embedded PostgreSQL stopped',
        'Civitas stopped',
      ])
        assert.ok(out.includes(line), `logged "${line}":\n${out}`);
      assert.deepEqual(postgresOfDataDir(), [], 'no PostgreSQL process of the data directory survives');
    },
  );

  test(
    'a supervisor SIGTERM to the process group stops gracefully, PostgreSQL included',
    { timeout: 180_000 },
    async () => {
      const s = await serve();
      process.kill(-s.child.pid!, 'SIGTERM');
      const code = await s.exited;
      const out = s.output();
      assert.equal(code, 0, out);
      assert.ok(out.includes('final audit checkpoint written'), out);
      assert.ok(out.includes('embedded PostgreSQL stopped'), out);
      assert.deepEqual(postgresOfDataDir(), []);
    },
  );

  test(
    'a killed postmaster makes Civitas say so and exit non-zero, leaving no PostgreSQL behind',
    { timeout: 180_000 },
    async () => {
      const s = await serve();
      process.kill(postmasterPid(), 'SIGKILL');
      const code = await s.exited;
      const out = s.output();
      assert.equal(code, 1, out);
      assert.match(out, /embedded PostgreSQL stopped unexpectedly/);
      assert.deepEqual(await noPostgresLeft(), []);
      // The next start recovers the crashed cluster.
      const again = await serve();
      assert.equal((await fetch(`${again.url}/readyz`)).status, 200);
      process.kill(-again.child.pid!, 'SIGTERM');
      assert.equal(await again.exited, 0, again.output());
      assert.deepEqual(postgresOfDataDir(), []);
    },
  );
});

/**
 * Invariant: the embedded PostgreSQL is one real server per data directory. It is
 * created on first start, reachable only on loopback with its generated password, never
 * duplicated by a second start, and a server left behind by a killed process is taken
 * over and stopped cleanly.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { startEmbedded } from './embedded.ts';

const root = mkdtempSync(join(tmpdir(), 'civitas-embedded-'));
chmodSync(root, 0o711);
const dataDir = join(root, 'data');
const postmasterPid = () =>
  Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('embedded PostgreSQL', () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  test('first start creates a password-protected cluster on loopback; a second start is refused', async () => {
    const server = await startEmbedded(dataDir, () => undefined);
    try {
      const state = JSON.parse(readFileSync(join(dataDir, 'embedded-pg.json'), 'utf8')) as { port: number };
      assert.equal(statSync(join(dataDir, 'embedded-pg.json')).mode & 0o777, 0o600);
      const c = new pg.Client({ connectionString: server.url() });
      await c.connect();
      const { rows } = await c.query<{ fsync: string; listen: string }>(
        `SELECT current_setting('fsync') AS fsync, current_setting('listen_addresses') AS listen`,
      );
      await c.end();
      assert.deepEqual(rows[0], { fsync: 'on', listen: '127.0.0.1' });
      const noPassword = new pg.Client({
        host: '127.0.0.1',
        port: state.port,
        user: 'civitas',
        password: 'wrong',
        database: 'postgres',
      });
      await assert.rejects(noPassword.connect(), /password authentication failed/);
      // A second Civitas on the same data directory must not start a duplicate server.
      const second = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '-e',
          `import('./src/kernel/db/embedded.ts').then(m => m.startEmbedded(${JSON.stringify(dataDir)}, () => {}))`,
        ],
        { encoding: 'utf8' },
      );
      assert.notEqual(second.status, 0);
      assert.match(second.stderr, new RegExp(`another Civitas process \\(pid ${process.pid}\\) is using`));
    } finally {
      await server.stop();
    }
  });

  test('a server left running by a killed process is taken over, then stopped', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        // Stays alive until killed, as a running Civitas would.
        `import('./src/kernel/db/embedded.ts').then(m => m.startEmbedded(${JSON.stringify(dataDir)}, () => {})).then(() => { console.log('up'); setInterval(() => {}, 1000); })`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('up') && resolve());
      child.on('exit', () => reject(new Error('child exited before starting PostgreSQL')));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const orphan = postmasterPid();
    assert.ok(alive(orphan), 'PostgreSQL outlived its killed owner');

    const server = await startEmbedded(dataDir, () => undefined);
    assert.equal(server.tookOver, true);
    assert.equal(postmasterPid(), orphan, 'no second server was started');
    const c = new pg.Client({ connectionString: server.url() });
    await c.connect();
    await c.end();
    await server.stop();
    assert.equal(alive(orphan), false);
  });
});

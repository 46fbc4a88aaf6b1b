/**
 * Invariant (ADR 0012; P6.2, P7.2): housekeeping, the audit checkpoint and the delivery
 * sweep are jobs, and with two real `civitas serve` processes on one PostgreSQL each of
 * their runs happens on one process only: no scheduled run is carried out twice. Their
 * work still gets done (an expired provider row goes, a moved audit log gets a new signed
 * checkpoint), and an operator sees each job's last run, outcome and next run in
 * `civitas jobs`.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { createAuditService } from '../src/modules/audit/index.ts';
import { testAuditActions } from './support/audit.ts';
import { startPrivacyEngine, type PrivacyEngine } from './support/privacy.ts';

const JOBS = ['audit.checkpoint', 'platform.housekeeping', 'delivery.sweep'] as const;
let e: PrivacyEngine;
let env: Record<string, string>;
const servers: { child: ChildProcess; out: () => string; exited: Promise<number | null> }[] = [];

async function serve(): Promise<(typeof servers)[0]> {
  const child = spawn(process.execPath, ['bin/civitas.js', 'serve'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  // 'close', not 'exit': the output is read to its end before the test looks at it.
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', () => out.includes('Civitas is ready') && resolve());
    void exited.then((code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
  return { child, out: () => out, exited };
}

interface Finished {
  job: string;
  run: number;
  due: string;
  node: string;
}

/** The 'job finished' lines of one process's log. */
function finished(out: string): Finished[] {
  const runs: Finished[] = [];
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as Partial<Finished> & { msg?: string };
    if (entry.msg === 'job finished' && JOBS.includes(entry.job as (typeof JOBS)[number]))
      runs.push(entry as Finished);
  }
  return runs;
}

const allRuns = () => servers.flatMap((s) => finished(s.out()));

async function until(what: string, ok: () => boolean | Promise<boolean>): Promise<void> {
  // Bounded by the test runner's timeout, not by a clock here.
  while (!(await ok())) {
    if (servers.some((s) => s.child.exitCode !== null))
      throw new Error(`a server stopped while waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function cli(args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['bin/civitas.js', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out })));
}

describe('jobs across two server processes', () => {
  before(async () => {
    e = await startPrivacyEngine();
    env = {
      CIVITAS_MODE: 'test',
      DATABASE_URL: e.t.url,
      CIVITAS_DATA_DIR: e.dataDir,
      PORT: '0',
      LOG_LEVEL: 'debug',
      AUDIT_CHECKPOINT_SECONDS: '1',
      HOUSEKEEPING_SECONDS: '1',
      JOBS_POLL_SECONDS: '0.2',
      DATABASE_POOL_MAX: '5',
    };
    servers.push(...(await Promise.all([serve(), serve()])));
  });
  after(async () => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => s.exited));
    await e.close();
  });

  test('housekeeping, checkpoints and the delivery sweep each run once per scheduled run across both processes', async () => {
    const db = e.t.db;
    await db.query(
      `INSERT INTO oidc_model (kind, id, payload, expires_at)
       VALUES ('AccessToken', 'expired-two-process', '{}', now() - interval '1 minute')`,
    );
    const checkpoints = async () =>
      (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_checkpoint')).rows[0]!.n;
    const before = await checkpoints();
    // One entry of a test action (not the platform's), so the next checkpoint has moved heads to sign.
    const audit = createAuditService({ db, key: e.signingKey, actions: testAuditActions('test.moved') });
    await audit.append(db, { actor: { type: 'system', id: 'test' }, action: 'test.moved' });

    await until('three runs of every job', () =>
      JOBS.every((job) => allRuns().filter((r) => r.job === job).length >= 3),
    );
    await until('the expired provider row to go', async () => {
      const r = await db.query(`SELECT 1 FROM oidc_model WHERE id = 'expired-two-process'`);
      return r.rowCount === 0;
    });
    await until('a checkpoint of the moved log', async () => (await checkpoints()) > before);

    const runs = allRuns();
    for (const job of JOBS) {
      const mine = runs.filter((r) => r.job === job);
      const dues = mine.map((r) => r.due);
      assert.equal(
        new Set(dues).size,
        dues.length,
        `${job}: no scheduled run carried out twice (${dues.join(', ')})`,
      );
      const numbers = mine.map((r) => r.run);
      assert.equal(new Set(numbers).size, numbers.length, `${job}: each run counted once`);
    }

    const { code, out } = await cli(['jobs']);
    assert.equal(code, 0, out);
    for (const job of JOBS)
      assert.match(
        out,
        new RegExp(
          `${job.replace('.', '\\.')}\\s+every 1 s\\s+\\S+Z\\s+(succeeded|running on \\S+)\\s+\\S+Z\\s+\\d+`,
        ),
        out,
      );
    assert.match(out, /No failed or retrying jobs\./);
  });

  test('a stopping process finishes its job runs before it closes the pool', async () => {
    const [first] = servers;
    first!.child.kill('SIGTERM');
    assert.equal(await first!.exited, 0);
    const log = first!.out();
    assert.ok(log.includes('Civitas stopped'), log.slice(-2000));
    const order = ['job runs in progress finished', 'final audit checkpoint written', 'database pool closed'];
    // By each line's own time (pino stamps it at the call): the merged stdout/stderr pipes
    // of a child do not always arrive in the order the lines were written.
    const timeOf = (m: string) => {
      const line = log.split('\n').find((l) => l.includes(`"msg":"${m}`));
      return line ? (JSON.parse(line) as { time: number }).time : -1;
    };
    const at = order.map(timeOf);
    assert.ok(
      at.every((t, n) => t >= 0 && (n === 0 || t >= at[n - 1]!)),
      `logged in this order: ${order.join(' → ')}\n${log.slice(-2000)}`,
    );
  });
});

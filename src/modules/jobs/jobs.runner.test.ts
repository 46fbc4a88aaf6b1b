/**
 * Invariant: the job runner's contract. Two workers share one database (as two server
 * processes do): a recurring run and a one-off job each happen on one worker only, and not
 * again while the run lasts; a one-off job waits for its due time and gets its payload; a
 * failure is retried with growing back-off, then stays visible to operators as failed
 * (`civitas jobs`), logged without its payload or personal data; a run whose worker died
 * is taken up by the other once its lease has run out.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { createJobRunner, formatJobsStatus, type JobLog, type JobRunner } from './index.ts';

let t: TestDatabase;
const logs: { level: string; obj: object; msg: string }[] = [];
const log: JobLog = {
  debug: (obj, msg) => logs.push({ level: 'debug', obj, msg }),
  info: (obj, msg) => logs.push({ level: 'info', obj, msg }),
  warn: (obj, msg) => logs.push({ level: 'warn', obj, msg }),
  error: (obj, msg) => logs.push({ level: 'error', obj, msg }),
};
const logText = () => JSON.stringify(logs);
// Polling is left to the test (runDue), so nothing runs behind its back.
const options = { pollSeconds: 60, concurrency: 2, leaseSeconds: 30, retrySeconds: 5 };

let recurringRuns = 0;
let recurringGate: Promise<void> = Promise.resolve();
let recurringFails = false;
const received: unknown[] = [];

function worker(): JobRunner {
  const w = createJobRunner({ db: t.db, log, options });
  w.recurring('test.tick', { everySeconds: 3600 }, async () => {
    recurringRuns += 1;
    if (recurringRuns === 1) await recurringGate;
    if (recurringFails) throw new Error('the registry answered 503 for 13800138000');
    return { done: recurringRuns };
  });
  w.handle<{ caseId: string }>('test.once', async (payload) => {
    received.push(payload);
    // Only the count may reach the log, not the text beside it.
    return { handled: 1, caseId: payload.caseId };
  });
  w.handle(
    'test.flaky',
    async () => {
      throw Object.assign(new Error('gateway refused 13800138000'), { code: 'sms.unavailable' });
    },
    { maxAttempts: 3 },
  );
  return w;
}

let a: JobRunner;
let b: JobRunner;
const both = async () => (await Promise.all([a.runDue(), b.runDue()])).reduce((x, y) => x + y, 0);
const makeDue = (table: 'job' | 'job_schedule', where: string) =>
  t.db.query(
    table === 'job'
      ? `UPDATE job SET run_at = now() - interval '1 second' WHERE ${where}`
      : `UPDATE job_schedule SET next_run_at = now() - interval '1 second' WHERE ${where}`,
  );

describe('job runner', () => {
  before(async () => {
    t = await createTestDatabase();
    a = worker();
    b = worker();
    await a.start();
    await b.start();
  });
  after(async () => {
    await a.stop();
    await b.stop();
    await t.drop();
  });

  test('a recurring run happens on one of two workers, and not again while it lasts', async () => {
    assert.equal(await both(), 0, 'a first run is due one interval after registration');
    await makeDue('job_schedule', `name = 'test.tick'`);
    let release!: () => void;
    recurringGate = new Promise((r) => (release = r));
    const first = both();
    try {
      while (recurringRuns === 0) await new Promise((r) => setTimeout(r, 10));
      // The run is in progress (its next_run_at still in the past): neither worker takes it again.
      assert.equal(await a.runDue(), 0);
      assert.equal(await b.runDue(), 0);
    } finally {
      release();
    }
    assert.equal(await first, 1);
    assert.equal(recurringRuns, 1);
    const [row] = (await a.status()).recurring.filter((r) => r.name === 'test.tick');
    assert.equal(row?.runs, 1);
    assert.equal(row?.last_outcome, 'succeeded');
    assert.equal(row?.schedule, 'every 3600 s');
    assert.ok(row!.next_run_at > new Date(Date.now() + 3_000_000), 'the next run is an interval later');
    assert.equal(await both(), 0, 'and not before');
  });

  test('a one-off job runs once, with its payload, when it is due', async () => {
    const inAnHour = new Date(Date.now() + 3_600_000);
    const id = await a.enqueue(undefined, 'test.once', { caseId: 'c-1' }, { runAt: inAnHour, key: 'c-1' });
    assert.ok(id);
    assert.equal(
      await b.enqueue(undefined, 'test.once', { caseId: 'c-1' }, { key: 'c-1' }),
      undefined,
      'the same key is not enqueued twice while the first waits',
    );
    assert.equal(await both(), 0, 'not yet due');
    assert.deepEqual(received, []);
    await makeDue('job', `id = ${id}`);
    assert.equal(await both(), 1);
    assert.deepEqual(received, [{ caseId: 'c-1' }]);
    const done = logs.find((l) => l.msg === 'job finished' && (l.obj as { id?: number }).id === id);
    assert.deepEqual((done?.obj as { result: unknown }).result, { handled: 1 });
    assert.equal(await both(), 0);
    const left = await t.db.query('SELECT 1 FROM job WHERE id = $1', [id]);
    assert.equal(left.rowCount, 0, 'a job that succeeded is gone');
  });

  test('a job enqueued on a transaction exists only if the transaction commits', async () => {
    await t.db
      .tx(async (q) => {
        await a.enqueue(q, 'test.once', { caseId: 'rolled-back' });
        throw new Error('the change failed');
      })
      .catch(() => undefined);
    assert.equal(await both(), 0);
    assert.ok(!received.some((p) => (p as { caseId: string }).caseId === 'rolled-back'));
  });

  test('a failing job is retried with growing back-off, then listed as failed; the log holds no payload or personal data', async () => {
    const id = (await a.enqueue(undefined, 'test.flaky', { subjectRef: 'payload-sentinel-41' }))!;
    const row = () =>
      t.db
        .query<{ state: string; attempts: number; wait: number; last_error: string | null }>(
          `SELECT state, attempts, extract(epoch FROM run_at - now())::float8 AS wait, last_error
             FROM job WHERE id = $1`,
          [id],
        )
        .then((r) => r.rows[0]!);

    assert.equal(await both(), 1);
    let r = await row();
    assert.equal(r.state, 'pending');
    assert.equal(r.attempts, 1);
    assert.ok(r.wait > 0 && r.wait <= 5, `first retry within the retry delay (waits ${r.wait} s)`);

    await makeDue('job', `id = ${id}`);
    assert.equal(await both(), 1);
    r = await row();
    assert.equal(r.attempts, 2);
    assert.ok(r.wait > 5 && r.wait <= 10, `the delay doubles (waits ${r.wait} s)`);

    await makeDue('job', `id = ${id}`);
    assert.equal(await both(), 1);
    r = await row();
    assert.equal(r.state, 'failed', 'no attempts left');
    assert.equal(r.attempts, 3);
    await makeDue('job', `id = ${id}`);
    assert.equal(await both(), 0, 'a failed job is not run again');

    const status = await a.status();
    const listed = status.troubled.find((j) => j.id === id);
    assert.equal(listed?.state, 'failed');
    assert.match(listed!.last_error!, /^Error sms\.unavailable: gateway refused \[redacted\]$/);
    assert.equal(status.counts.failed, 1);
    const text = formatJobsStatus(status, new Date());
    assert.match(text, new RegExp(`${id}\\s+test\\.flaky\\s+FAILED\\s+3/3`));

    const lines = logs.filter((l) => (l.obj as { job?: string }).job === 'test.flaky');
    assert.deepEqual(
      lines.map((l) => [l.level, l.msg]),
      [
        ['warn', 'job failed; retrying'],
        ['warn', 'job failed; retrying'],
        ['error', 'job failed; no attempts left (civitas jobs lists it)'],
      ],
    );
    assert.ok(!logText().includes('payload-sentinel-41'), 'the payload is not logged');
    assert.ok(!logText().includes('13800138000'), 'a phone number in an error is not logged');
  });

  test('a recurring job that fails is retried before its next regular run, and shows as failed', async () => {
    recurringFails = true;
    await makeDue('job_schedule', `name = 'test.tick'`);
    assert.equal(await both(), 1);
    const [row] = (await a.status()).recurring.filter((r) => r.name === 'test.tick');
    assert.equal(row?.last_outcome, 'failed');
    assert.equal(row?.failures, 1);
    assert.ok(
      row!.next_run_at <= new Date(Date.now() + 5_000),
      'retried after the retry delay, not in an hour',
    );
    assert.match(row!.last_error!, /\[redacted\]/);
    const text = formatJobsStatus(await a.status(), new Date());
    assert.match(text, /test\.tick\s+every 3600 s\s+\S+\s+FAILED/);
    assert.match(text, /test\.tick last error: Error: the registry answered 503 for \[redacted\]/);
    assert.ok(
      logs.some((l) => l.msg === 'recurring job failed' && (l.obj as { job: string }).job === 'test.tick'),
    );

    recurringFails = false;
    await makeDue('job_schedule', `name = 'test.tick'`);
    assert.equal(await both(), 1);
    const [again] = (await a.status()).recurring.filter((r) => r.name === 'test.tick');
    assert.equal(again?.last_outcome, 'succeeded');
    assert.equal(again?.failures, 0);
  });

  test('a run whose worker died is taken up by another once its lease has run out', async () => {
    const id = (await a.enqueue(undefined, 'test.once', { caseId: 'orphan' }))!;
    await t.db.query(
      `UPDATE job SET state = 'running', attempts = 1, locked_by = 'a-dead-node',
                      locked_until = now() + interval '1 minute' WHERE id = $1`,
      [id],
    );
    assert.equal(await both(), 0, 'not while the dead node’s lease lasts');
    await t.db.query(`UPDATE job SET locked_until = now() - interval '1 second' WHERE id = $1`, [id]);
    assert.equal(await both(), 1);
    assert.deepEqual(received.at(-1), { caseId: 'orphan' });

    const runsBefore = recurringRuns;
    await t.db.query(
      `UPDATE job_schedule SET locked_by = 'a-dead-node', locked_until = now() - interval '1 second',
                               next_run_at = now() - interval '1 minute' WHERE name = 'test.tick'`,
    );
    assert.equal(await both(), 1);
    assert.equal(recurringRuns, runsBefore + 1);
  });
});

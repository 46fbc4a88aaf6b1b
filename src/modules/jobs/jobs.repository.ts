/**
 * The job runner's SQL (tables from migration 0016). Claims use FOR UPDATE SKIP LOCKED and
 * a lease (`locked_until`, renewed while the run lasts): a row another node is claiming is
 * skipped, a row another node holds is not due, a row whose node stopped renewing is due
 * again. Times come from the database's clock, never a node's.
 */
import type { Queryable } from '../../kernel/db/database.ts';

export interface ScheduleRow {
  name: string;
  schedule: string;
  next_run_at: Date;
  locked_by: string | null;
  locked_until: Date | null;
  runs: number;
  failures: number;
  last_started_at: Date | null;
  last_finished_at: Date | null;
  last_outcome: 'succeeded' | 'failed' | null;
  last_error: string | null;
}

export interface JobRow {
  id: number;
  name: string;
  state: 'pending' | 'running' | 'failed';
  run_at: Date;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  last_error: string | null;
  created_at: Date;
  failed_at: Date | null;
}

/** Registers a recurring job; a changed schedule takes effect from `firstRun`. */
export async function upsertSchedule(
  q: Queryable,
  name: string,
  schedule: string,
  firstRun: Date,
): Promise<void> {
  await q.query(
    `INSERT INTO job_schedule (name, schedule, next_run_at) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET schedule = EXCLUDED.schedule,
       next_run_at = CASE WHEN job_schedule.schedule = EXCLUDED.schedule
                          THEN job_schedule.next_run_at ELSE EXCLUDED.next_run_at END`,
    [name, schedule, firstRun],
  );
}

export interface ClaimedRun {
  name: string;
  due: Date;
  started: Date;
  run: number;
  failures: number;
}

/** Takes up to `limit` due recurring runs among `names` for `node`. */
export async function claimSchedules(
  q: Queryable,
  names: string[],
  node: string,
  leaseSeconds: number,
  limit: number,
): Promise<ClaimedRun[]> {
  const { rows } = await q.query<ClaimedRun>(
    `WITH due AS (
       SELECT name, next_run_at FROM job_schedule
        WHERE name = ANY($1::text[]) AND next_run_at <= now()
          AND (locked_until IS NULL OR locked_until < now())
        ORDER BY next_run_at LIMIT $4
        FOR UPDATE SKIP LOCKED)
     UPDATE job_schedule s
        SET locked_by = $2, locked_until = now() + make_interval(secs => $3),
            runs = s.runs + 1, last_started_at = now()
       FROM due WHERE s.name = due.name
     RETURNING s.name, due.next_run_at AS due, now() AS started, s.runs::int AS run, s.failures`,
    [names, node, leaseSeconds, limit],
  );
  return rows;
}

/** Ends a recurring run this node holds; false if its lease was lost to another node. */
export async function finishSchedule(
  q: Queryable,
  name: string,
  node: string,
  outcome: { ok: true } | { ok: false; error: string },
  nextRunAt: Date,
): Promise<boolean> {
  const r = await q.query(
    `UPDATE job_schedule
        SET locked_by = NULL, locked_until = NULL, next_run_at = $3, last_finished_at = now(),
            last_outcome = $4, last_error = $5,
            failures = CASE WHEN $4 = 'succeeded' THEN 0 ELSE failures + 1 END
      WHERE name = $1 AND locked_by = $2`,
    [name, node, nextRunAt, outcome.ok ? 'succeeded' : 'failed', outcome.ok ? null : outcome.error],
  );
  return (r.rowCount ?? 0) > 0;
}

export async function enqueue(
  q: Queryable,
  job: { name: string; payload: unknown; runAt: Date | null; key: string | null; maxAttempts: number },
): Promise<number | undefined> {
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO job (name, payload, run_at, dedupe_key, max_attempts)
     VALUES ($1, $2, coalesce($3, now()), $4, $5)
     ON CONFLICT (name, dedupe_key) WHERE dedupe_key IS NOT NULL AND state IN ('pending', 'running')
     DO NOTHING
     RETURNING id`,
    [job.name, JSON.stringify(job.payload ?? {}), job.runAt, job.key, job.maxAttempts],
  );
  return rows[0]?.id;
}

export interface ClaimedJob {
  id: number;
  name: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
}

/**
 * Takes up to `limit` due one-off jobs among `names`: pending ones whose time has come, and
 * running ones whose node stopped renewing the lease (that run counts as an attempt).
 */
export async function claimJobs(
  q: Queryable,
  names: string[],
  node: string,
  leaseSeconds: number,
  limit: number,
): Promise<ClaimedJob[]> {
  const { rows } = await q.query<ClaimedJob>(
    `WITH due AS (
       SELECT id FROM job
        WHERE name = ANY($1::text[])
          AND ((state = 'pending' AND run_at <= now()) OR (state = 'running' AND locked_until < now()))
        ORDER BY run_at LIMIT $4
        FOR UPDATE SKIP LOCKED)
     UPDATE job j
        SET state = 'running', locked_by = $2, locked_until = now() + make_interval(secs => $3),
            attempts = j.attempts + 1
       FROM due WHERE j.id = due.id
     RETURNING j.id, j.name, j.payload, j.attempts, j.max_attempts`,
    [names, node, leaseSeconds, limit],
  );
  return rows;
}

export async function jobSucceeded(q: Queryable, id: number, node: string): Promise<void> {
  await q.query(`DELETE FROM job WHERE id = $1 AND locked_by = $2`, [id, node]);
}

/** A failed attempt: due again after `retryInMs`, or failed for good when attempts ran out. */
export async function jobFailed(
  q: Queryable,
  id: number,
  node: string,
  error: string,
  retryInMs: number | null,
): Promise<void> {
  await q.query(
    retryInMs === null
      ? `UPDATE job SET state = 'failed', locked_by = NULL, locked_until = NULL, last_error = $3,
                        failed_at = now()
          WHERE id = $1 AND locked_by = $2`
      : `UPDATE job SET state = 'pending', locked_by = NULL, locked_until = NULL, last_error = $3,
                        run_at = now() + make_interval(secs => $4::float8 / 1000)
          WHERE id = $1 AND locked_by = $2`,
    retryInMs === null ? [id, node, error] : [id, node, error, retryInMs],
  );
}

/** Running jobs whose lease ran out with no attempts left: failed, not taken up again. */
export async function failAbandoned(q: Queryable): Promise<number> {
  const r = await q.query(
    `UPDATE job SET state = 'failed', locked_by = NULL, locked_until = NULL, failed_at = now(),
                    last_error = coalesce(last_error || '; ', '') || 'its node stopped during the last attempt'
      WHERE state = 'running' AND locked_until < now() AND attempts >= max_attempts`,
  );
  return r.rowCount ?? 0;
}

/** Renews the leases this node holds (runs still in progress). */
export async function renewLeases(
  q: Queryable,
  node: string,
  schedules: string[],
  jobs: number[],
  leaseSeconds: number,
): Promise<void> {
  await q.query(
    `WITH s AS (
       UPDATE job_schedule SET locked_until = now() + make_interval(secs => $4)
        WHERE locked_by = $1 AND name = ANY($2::text[]) RETURNING 1)
     UPDATE job SET locked_until = now() + make_interval(secs => $4)
      WHERE locked_by = $1 AND id = ANY($3::bigint[])`,
    [node, schedules, jobs, leaseSeconds],
  );
}

export async function sweepFailed(q: Queryable, keepDays: number): Promise<number> {
  const r = await q.query(
    `DELETE FROM job WHERE state = 'failed' AND failed_at < now() - make_interval(days => $1)`,
    [keepDays],
  );
  return r.rowCount ?? 0;
}

export async function schedules(q: Queryable): Promise<ScheduleRow[]> {
  const { rows } = await q.query<ScheduleRow>(
    `SELECT name, schedule, next_run_at, locked_by, locked_until, runs::int AS runs, failures,
            last_started_at, last_finished_at, last_outcome, last_error
       FROM job_schedule ORDER BY name`,
  );
  return rows;
}

/** One-off jobs an operator should see: failed ones, and ones that failed and wait to retry. */
export async function troubled(q: Queryable, limit: number): Promise<JobRow[]> {
  const { rows } = await q.query<JobRow>(
    `SELECT id::int AS id, name, state, run_at, attempts, max_attempts, locked_by, last_error,
            created_at, failed_at
       FROM job WHERE state = 'failed' OR last_error IS NOT NULL
      ORDER BY coalesce(failed_at, run_at) DESC LIMIT $1`,
    [limit],
  );
  return rows;
}

export async function counts(q: Queryable): Promise<{ pending: number; running: number; failed: number }> {
  const { rows } = await q.query<{ pending: number; running: number; failed: number }>(
    `SELECT count(*) FILTER (WHERE state = 'pending')::int AS pending,
            count(*) FILTER (WHERE state = 'running')::int AS running,
            count(*) FILTER (WHERE state = 'failed')::int AS failed
       FROM job`,
  );
  return rows[0] ?? { pending: 0, running: 0, failed: 0 };
}

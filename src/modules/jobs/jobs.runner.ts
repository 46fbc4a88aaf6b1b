/**
 * The job runner: modules register recurring jobs and one-off job handlers; every node
 * runs the same registrations and polls the database; each run happens on one node.
 *
 * Rules (ADR 0012):
 * - Once across all nodes: a run is claimed with FOR UPDATE SKIP LOCKED and held by a
 *   lease that the running node renews; another node takes it up only once the lease has
 *   run out (its node died). Handlers must therefore be safe to run again after a crash
 *   (every job here is: sweeps, checkpoints under their own lock).
 * - A node claims only jobs it has a handler for (a node of an older release leaves a new
 *   kind of job to the nodes that know it).
 * - Retries with back-off (jobs.schedule.ts): a one-off job up to its `maxAttempts`, then it
 *   stays `failed`; a recurring job sooner than its next regular run.
 * - A failure is logged (job name, attempt, error type and code; the error text redacted)
 *   and recorded on the row for `civitas jobs`. Payloads hold identifiers, never personal
 *   data, and are never logged.
 * - The platform owns no timers for this work: `start` begins polling, `stop` stops
 *   claiming and waits for runs in progress.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../../kernel/db/database.ts';
import type { Logger } from '../../kernel/logger.ts';
import { redactText } from '../../kernel/log/redact.ts';
import * as repo from './jobs.repository.ts';
import { backoffMs, describeSchedule, nextRun, type Schedule } from './jobs.schedule.ts';

/** What the runner writes to the log: the kernel's logger port. */
export type JobLog = Logger;

export interface JobsOptions {
  /** Seconds between looks for due work. */
  pollSeconds: number;
  /** Runs this node carries out at once. */
  concurrency: number;
  /** Seconds a run is held without renewal; a crashed node's run is taken up after this. */
  leaseSeconds: number;
  /** First retry delay in seconds, doubling per failure (capped at an hour). */
  retrySeconds: number;
}

export interface RunContext {
  /** Which attempt this is (1 for the first). */
  attempt: number;
}

/**
 * What a job resolves to. Only counts reach the log (a number, or the number, boolean and
 * null fields of a flat object, such as `{ erased: 3 }`); anything else is left out, so a
 * handler returning rows cannot put their contents in the log.
 */
export type JobResult = unknown;

function summary(result: unknown): unknown {
  if (typeof result === 'number' || typeof result === 'boolean' || result === null) return result;
  if (typeof result !== 'object' || Array.isArray(result)) return undefined;
  const kept = Object.entries(result).filter(
    ([, v]) => typeof v === 'number' || typeof v === 'boolean' || v === null,
  );
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

export interface OneOffOptions {
  /** Attempts before the job stays failed (default 5). */
  maxAttempts?: number;
}

export interface EnqueueOptions {
  /** When the job becomes due (default: now). */
  runAt?: Date;
  /** At most one job waiting or running per name and key: a second enqueue is a no-op. */
  key?: string;
  /** Overrides the handler's default, for the CLI or a caller enqueueing a job this node does not handle. */
  maxAttempts?: number;
}

export interface JobsStatus {
  recurring: repo.ScheduleRow[];
  /** Failed one-off jobs, and those waiting to retry after a failure (newest first). */
  troubled: repo.JobRow[];
  counts: { pending: number; running: number; failed: number };
}

export interface JobRunner {
  /** This node's name in leases and logs (host, process, random). */
  readonly node: string;
  /**
   * A recurring job: runs once across all nodes on the schedule, e.g.
   * `jobs.recurring('audit.checkpoint', { everySeconds: 10 }, () => audit.checkpoint())`.
   */
  recurring(name: string, schedule: Schedule, run: (ctx: RunContext) => Promise<JobResult>): void;
  /** The handler of a one-off job kind (enqueued by `enqueue`). */
  handle<P>(
    name: string,
    run: (payload: P, ctx: RunContext) => Promise<JobResult>,
    opts?: OneOffOptions,
  ): void;
  /**
   * Enqueues a one-off job, on the caller's transaction when given one (the job exists if
   * and only if the change that asked for it committed). Returns its id, or undefined when
   * a job with the same key is already waiting.
   */
  enqueue(
    q: Queryable | undefined,
    name: string,
    payload: unknown,
    opts?: EnqueueOptions,
  ): Promise<number | undefined>;
  /** Registers the schedules and starts polling. */
  start(): Promise<void>;
  /** Claims and runs what is due now, once (tests, and each poll); resolves when those runs end. */
  runDue(): Promise<number>;
  /** Stops claiming and waits for the runs in progress. */
  stop(): Promise<void>;
  status(): Promise<JobsStatus>;
}

const NAME = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;
const DEFAULT_ATTEMPTS = 5;
/** Failed one-off jobs are kept this long for operators, then deleted by `jobs.sweep`. */
export const FAILED_KEEP_DAYS = 30;

/** What is recorded and logged of an error: its type, code and redacted message, short. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return 'non-error thrown';
  const code = (err as { code?: unknown }).code;
  const head = typeof code === 'string' && code ? `${err.name} ${code}` : err.name;
  return `${head}: ${redactText(err.message)}`.slice(0, 500);
}

interface Recurring {
  schedule: Schedule;
  text: string;
  run: (ctx: RunContext) => Promise<JobResult>;
}
interface OneOff {
  run: (payload: unknown, ctx: RunContext) => Promise<JobResult>;
  maxAttempts: number;
}

export function createJobRunner(deps: { db: Database; log: JobLog; options: JobsOptions }): JobRunner {
  const { db, log, options } = deps;
  const node = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const recurring = new Map<string, Recurring>();
  const oneOff = new Map<string, OneOff>();
  const runningSchedules = new Set<string>();
  const runningJobs = new Set<number>();
  const inFlight = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let renewer: NodeJS.Timeout | undefined;
  let ticking: Promise<number> | undefined;
  let stopped = false;
  let started = false;

  const checkName = (name: string) => {
    if (!NAME.test(name)) throw new Error(`job name ${name}: lower-case words joined by dots`);
    if (recurring.has(name) || oneOff.has(name)) throw new Error(`job ${name} is registered twice`);
    if (started) throw new Error(`job ${name}: register before the runner starts`);
  };

  const track = (p: Promise<void>) => {
    inFlight.add(p);
    void p.catch(() => undefined).finally(() => inFlight.delete(p));
    return p;
  };

  async function runRecurring(claim: repo.ClaimedRun): Promise<void> {
    const job = recurring.get(claim.name)!;
    runningSchedules.add(claim.name);
    let outcome: { ok: true } | { ok: false; error: string } = { ok: true };
    let next: Date;
    try {
      const result = await job.run({ attempt: claim.failures + 1 });
      next = nextRun(job.schedule, claim.started);
      log.debug(
        { job: claim.name, run: claim.run, due: claim.due.toISOString(), node, result: summary(result) },
        'job finished',
      );
    } catch (err) {
      const error = describeError(err);
      outcome = { ok: false, error };
      const failures = claim.failures + 1;
      const regular = nextRun(job.schedule, claim.started);
      const retry = new Date(claim.started.getTime() + backoffMs(options.retrySeconds, failures));
      next = retry < regular ? retry : regular;
      log.warn(
        { job: claim.name, run: claim.run, failures, error, nextRunAt: next.toISOString(), node },
        'recurring job failed',
      );
    } finally {
      runningSchedules.delete(claim.name);
    }
    const held = await repo.finishSchedule(db, claim.name, node, outcome, next).catch((err: unknown) => {
      log.warn({ job: claim.name, error: describeError(err) }, 'recording a job run failed');
      return true;
    });
    if (!held)
      log.warn({ job: claim.name, node }, 'job ran past its lease; another node may have run it too');
  }

  async function runOneOff(claim: repo.ClaimedJob): Promise<void> {
    const job = oneOff.get(claim.name)!;
    runningJobs.add(claim.id);
    try {
      const result = await job.run(claim.payload, { attempt: claim.attempts });
      runningJobs.delete(claim.id);
      await repo.jobSucceeded(db, claim.id, node);
      log.debug(
        { job: claim.name, id: claim.id, attempt: claim.attempts, node, result: summary(result) },
        'job finished',
      );
    } catch (err) {
      runningJobs.delete(claim.id);
      const error = describeError(err);
      const last = claim.attempts >= claim.max_attempts;
      const retryIn = last ? null : backoffMs(options.retrySeconds, claim.attempts);
      await repo
        .jobFailed(db, claim.id, node, error, retryIn)
        .catch((e: unknown) =>
          log.warn(
            { job: claim.name, id: claim.id, error: describeError(e) },
            'recording a job failure failed',
          ),
        );
      const detail = {
        job: claim.name,
        id: claim.id,
        attempt: claim.attempts,
        of: claim.max_attempts,
        error,
        node,
      };
      if (last) log.error(detail, 'job failed; no attempts left (civitas jobs lists it)');
      else log.warn({ ...detail, retryInSeconds: retryIn! / 1000 }, 'job failed; retrying');
    }
  }

  /** Claims what is due, up to the free concurrency, and starts it; returns the runs. */
  async function claim(): Promise<Promise<void>[]> {
    const free = options.concurrency - runningSchedules.size - runningJobs.size;
    if (free <= 0 || stopped) return [];
    const runs: Promise<void>[] = [];
    if (recurring.size > 0) {
      const claimed = await repo.claimSchedules(db, [...recurring.keys()], node, options.leaseSeconds, free);
      for (const c of claimed) runs.push(track(runRecurring(c)));
    }
    const left = free - runs.length;
    if (oneOff.size > 0 && left > 0) {
      await repo.failAbandoned(db);
      const claimed = await repo.claimJobs(db, [...oneOff.keys()], node, options.leaseSeconds, left);
      for (const c of claimed) runs.push(track(runOneOff(c)));
    }
    return runs;
  }

  const runner: JobRunner = {
    node,
    recurring(name, schedule, run) {
      checkName(name);
      recurring.set(name, { schedule, text: describeSchedule(schedule), run });
    },
    handle(name, run, opts = {}) {
      checkName(name);
      oneOff.set(name, {
        run: run as OneOff['run'],
        maxAttempts: opts.maxAttempts ?? DEFAULT_ATTEMPTS,
      });
    },
    async enqueue(q, name, payload, opts = {}) {
      if (!NAME.test(name)) throw new Error(`job name ${name}: lower-case words joined by dots`);
      return repo.enqueue(q ?? db, {
        name,
        payload,
        runAt: opts.runAt ?? null,
        key: opts.key ?? null,
        maxAttempts: opts.maxAttempts ?? oneOff.get(name)?.maxAttempts ?? DEFAULT_ATTEMPTS,
      });
    },
    async start() {
      if (started) return;
      // The runner's own upkeep: failed one-off jobs are kept a while for operators.
      if (!recurring.has('jobs.sweep'))
        runner.recurring('jobs.sweep', { everySeconds: 3600 }, async () => ({
          deleted: await repo.sweepFailed(db, FAILED_KEEP_DAYS),
        }));
      started = true;
      const { rows } = await db.query<{ now: Date }>('SELECT now() AS now');
      const now = rows[0]!.now;
      for (const [name, job] of recurring)
        await repo.upsertSchedule(db, name, job.text, nextRun(job.schedule, now));
      const poll = () => {
        if (stopped) return;
        // Claiming is serialised; the runs it starts are not awaited here, so a long run
        // does not keep the node from claiming others (up to its concurrency).
        ticking ??= claim()
          .then((runs) => runs.length)
          .catch((err: unknown) => {
            log.warn({ error: describeError(err), node }, 'looking for due jobs failed; trying again');
            return 0;
          })
          .finally(() => (ticking = undefined));
      };
      timer = setInterval(poll, options.pollSeconds * 1000);
      timer.unref();
      renewer = setInterval(
        () => {
          if (runningSchedules.size === 0 && runningJobs.size === 0) return;
          void repo
            .renewLeases(db, node, [...runningSchedules], [...runningJobs], options.leaseSeconds)
            .catch((err: unknown) =>
              log.warn({ error: describeError(err), node }, 'renewing job leases failed'),
            );
        },
        (options.leaseSeconds * 1000) / 3,
      );
      renewer.unref();
    },
    async runDue() {
      const runs = await claim();
      await Promise.all(runs);
      return runs.length;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await ticking?.catch(() => undefined);
      await Promise.allSettled([...inFlight]);
      clearInterval(renewer);
    },
    status: () => jobsStatus(db),
  };
  return runner;
}

/** The operator's view of jobs without running any (`civitas jobs`). */
export async function jobsStatus(q: Queryable): Promise<JobsStatus> {
  const [recurring, troubled, counts] = await Promise.all([
    repo.schedules(q),
    repo.troubled(q, 50),
    repo.counts(q),
  ]);
  return { recurring, troubled, counts };
}

/**
 * Chained audit appends per second: one writer, then 16 concurrent writers, each append a
 * standalone autocommitted `audit.append(db, entry)`. For context: raw single-row INSERTs
 * of the same shape into a scratch table with the same concurrency, and what the
 * PostgreSQL backends were waiting on (pg_stat_activity samples) during each run.
 *
 * Env: BENCH_MEASURE_MS (default 5000), BENCH_WARMUP_MS (default 1000).
 */
import { createHash } from 'node:crypto';
import { openDatabase } from '../src/kernel/db/database.ts';
import { createAuditService, loadSigningKey } from '../src/modules/audit/index.ts';
import { canonicalJson } from '../src/shared/canonical-json.ts';
import {
  context,
  cpuLine,
  fmt,
  percentile,
  realisticEntry,
  report,
  serverCpuPerOp,
  tallyLine,
  timed,
  waitSampler,
  withAppName,
  type BenchContext,
  type TimedResult,
} from './lib.ts';

const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1000);
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 5000);
const WRITERS = 16;

/** CPU cost per operation: robust where throughput is not, e.g. on a machine shared with other work. */
async function perOp(label: string, ctx: BenchContext, app: string, r: TimedResult): Promise<string> {
  const server = await serverCpuPerOp(ctx.db, app, r);
  const node = (r.cpu.node * r.seconds * 1e6) / r.ops;
  return `${label} CPU per operation: server backends ${server === undefined ? 'n/a (remote server)' : `${fmt(server)} µs`}, node ${fmt(node)} µs`;
}

export default async function auditAppend(ctx: BenchContext): Promise<void> {
  const key = loadSigningKey({ mode: 'test', dataDir: ctx.tmpDir, auditSigningKeyFile: undefined });
  let n = 0;

  // (a) One writer, one connection, sequential autocommitted appends.
  {
    const app = 'civitas-bench-append-1';
    const db = openDatabase(withAppName(ctx.url, app), 1);
    try {
      const audit = createAuditService({ db, key });
      const sampler = waitSampler(ctx.db, app);
      const r = await timed(1, WARMUP_MS, MEASURE_MS, () => audit.append(db, realisticEntry(n++)));
      const waits = await sampler.stop();
      report('audit-append-1', r.rate, 'appends/s', '>=', 1000);
      context(
        `audit-append-1 latency p50 ${fmt(percentile(r.latencies, 50))} ms, p99 ${fmt(percentile(r.latencies, 99))} ms`,
      );
      context(cpuLine('audit-append-1', r.cpu));
      context(await perOp('audit-append-1', ctx, app, r));
      context(`audit-append-1 backend states: ${tallyLine(waits)}`);
    } finally {
      await db.close();
    }
  }

  // (b) 16 writers on a pool of 16: 16 async loops of standalone appends.
  {
    const app = 'civitas-bench-append-16';
    const db = openDatabase(withAppName(ctx.url, app), WRITERS);
    try {
      const audit = createAuditService({ db, key });
      const sampler = waitSampler(ctx.db, app);
      const r = await timed(WRITERS, WARMUP_MS, MEASURE_MS, () => audit.append(db, realisticEntry(n++)));
      const waits = await sampler.stop();
      report(`audit-append-${WRITERS}`, r.rate, 'appends/s', '>=', 5000);
      context(`audit-append-${WRITERS} latency p50 ${fmt(percentile(r.latencies, 50))} ms`);
      report(`audit-append-${WRITERS}-p99`, percentile(r.latencies, 99), 'ms', '<=', 20);
      context(cpuLine(`audit-append-${WRITERS}`, r.cpu));
      context(await perOp(`audit-append-${WRITERS}`, ctx, app, r));
      context(`audit-append-${WRITERS} backend states: ${tallyLine(waits)}`);
      const lanes = await ctx.db.query<{ lane: number; seq: number }>(
        'SELECT lane, seq FROM audit_lane ORDER BY lane',
      );
      context(`entries per lane after both runs: ${lanes.rows.map((l) => `${l.lane}:${l.seq}`).join(' ')}`);
      // audit_lane takes one UPDATE per append; without (auto)vacuum its 16 rows spread over
      // ever more pages and each append walks longer HOT chains.
      const bloat = await ctx.db.query<{ size: string; dead: number; av: string }>(
        `SELECT pg_size_pretty(pg_relation_size('audit_lane')) AS size, n_dead_tup::int AS dead,
                current_setting('autovacuum') AS av
           FROM pg_stat_user_tables WHERE relname = 'audit_lane'`,
      );
      const b = bloat.rows[0];
      if (b)
        context(
          `audit_lane after the runs: ${b.size} heap for 16 rows, ${b.dead} dead tuples, autovacuum ${b.av}`,
        );
    } finally {
      await db.close();
    }
  }

  // Baseline: the same row shape, plain INSERT, no lane lock, no chain, same 16 writers.
  {
    await ctx.db.query(`
      CREATE TABLE bench_scratch (
        id bigserial PRIMARY KEY, occurred_at timestamptz NOT NULL, actor_type text NOT NULL,
        actor_id text, action text NOT NULL, subject_type text, subject_id text, purpose text,
        legal_basis text, clause text, detail jsonb NOT NULL, request_id text,
        content_hash bytea NOT NULL)`);
    await ctx.db.query(
      'CREATE INDEX bench_scratch_subject_idx ON bench_scratch (subject_type, subject_id, id)',
    );
    const app = 'civitas-bench-raw-16';
    const db = openDatabase(withAppName(ctx.url, app), WRITERS);
    try {
      const sampler = waitSampler(ctx.db, app);
      const r = await timed(WRITERS, WARMUP_MS, MEASURE_MS, () => {
        const e = realisticEntry(n++);
        const f = {
          occurredAt: new Date().toISOString(),
          actorType: e.actor.type,
          actorId: e.actor.id ?? null,
          action: e.action,
          subjectType: e.subject?.type ?? null,
          subjectId: e.subject?.id ?? null,
          purpose: e.purpose ?? null,
          legalBasis: e.legalBasis ?? null,
          clause: e.clause ?? null,
          detail: e.detail ?? {},
          requestId: e.requestId ?? null,
        };
        return db.query(
          `INSERT INTO bench_scratch (occurred_at, actor_type, actor_id, action, subject_type, subject_id,
                                      purpose, legal_basis, clause, detail, request_id, content_hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            f.occurredAt,
            f.actorType,
            f.actorId,
            f.action,
            f.subjectType,
            f.subjectId,
            f.purpose,
            f.legalBasis,
            f.clause,
            f.detail,
            f.requestId,
            createHash('sha256')
              .update(canonicalJson({ v: 1, ...f }))
              .digest(),
          ],
        );
      });
      const waits = await sampler.stop();
      context(
        `raw-insert-${WRITERS} = ${fmt(r.rate)} rows/s (baseline: same row, no chain), ` +
          `p50 ${fmt(percentile(r.latencies, 50))} ms, p99 ${fmt(percentile(r.latencies, 99))} ms`,
      );
      context(cpuLine(`raw-insert-${WRITERS}`, r.cpu));
      context(await perOp(`raw-insert-${WRITERS}`, ctx, app, r));
      context(`raw-insert-${WRITERS} backend states: ${tallyLine(waits)}`);
    } finally {
      await db.close();
    }
  }
}

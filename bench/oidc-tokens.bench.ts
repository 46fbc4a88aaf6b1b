/**
 * A code flow's rate must not fall as provider tokens accumulate (P1.1): the same whole
 * authorization-code flow as bench/oidc.bench.ts (authorize, token with PKCE, userinfo),
 * measured on an empty token table and again after the table is filled with a million
 * live rows (tokens, grants, sessions; one INSERT … generate_series, test/support/oidc-tokens.ts).
 * Target: at least 80 % of the empty-table rate measured in the same run.
 *
 * It also prints the plan (EXPLAIN ANALYZE, BUFFERS) of the statement that read a session
 * with its grants, on the filled table (src/oidc/README.md "Plans with a million tokens").
 * BENCH_OIDC_FILL overrides the number of rows (a multiple of ten).
 */
import { performance } from 'node:perf_hooks';
import { findWithRelated } from '../src/oidc/unit-of-work.ts';
import { fillTokens } from '../test/support/oidc-tokens.ts';
import { context, fmt, percentile, postgresTicks, report, type BenchContext } from './lib.ts';
import { runOidcLoad } from './oidc-load.ts';
import { setUpOidcBench } from './oidc-setup.ts';

const FILL = Number(process.env.BENCH_OIDC_FILL ?? 1_000_000);

export default async function oidcTokens(ctx: BenchContext): Promise<void> {
  const { platform: p, webSecret, cookies, base } = await setUpOidcBench(ctx);
  try {
    // CPU of this database's own backends (the machine's PostgreSQL serves others too).
    const backendTicks = async () => {
      const { rows } = await ctx.db.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`,
      );
      const all = postgresTicks();
      return new Map(rows.map((r) => [r.pid, all.get(r.pid)]));
    };
    const flows = async (label: string) => {
      const before = await backendTicks();
      const cpu0 = process.cpuUsage();
      const r = await runOidcLoad({
        ...base,
        mode: 'code-flow',
        clientId: 'bench-web',
        clientSecret: webSecret,
        seeds: cookies,
      });
      const cpu = process.cpuUsage(cpu0);
      const after = await backendTicks();
      let ticks = 0;
      // A backend the pool opened during the run counts from its start.
      for (const [pid, t] of after) if (t !== undefined) ticks += t - (before.get(pid) ?? 0);
      context(
        `${label}: ${fmt(r.rate)} flows/s, p50 ${fmt(percentile(r.latencies, 50))} ms, ` +
          `p99 ${fmt(percentile(r.latencies, 99))} ms; per flow (warm-up included): ` +
          `PostgreSQL ${fmt((ticks * 10) / r.ops)} ms CPU (this database's backends), ` +
          `Node server ${fmt((cpu.user + cpu.system) / 1000 / r.ops)} ms CPU`,
      );
      return r.rate;
    };
    const empty = await flows('code flow, empty token table');

    const t0 = performance.now();
    await fillTokens(ctx.db, FILL);
    const { rows } = await ctx.db.query<{ n: string }>('SELECT count(*) AS n FROM oidc_model');
    context(`filled oidc_model to ${rows[0]!.n} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // Measure the filled table, not the aftermath of the fill: without this, autovacuum's
    // pass over a million new rows and the checkpoint of their WAL run during the
    // measurement and take the cores the flows need.
    const t1 = performance.now();
    await ctx.db
      .query('VACUUM (ANALYZE) oidc_model')
      .catch((err: unknown) => context(`VACUUM refused (${(err as Error).message}): measuring anyway`));
    await ctx.db.query('CHECKPOINT').catch(() => undefined); // needs superuser or pg_checkpoint
    context(
      `vacuum, analyze and checkpoint after the fill: ${((performance.now() - t1) / 1000).toFixed(1)} s`,
    );

    const filled = await flows(`code flow, ${rows[0]!.n} rows`);
    report('oidc-code-flow-1m-tokens', filled, 'flows/s', '>=', Math.round(empty * 0.8));

    // The plan of a real session's read (one of the bench people's, holding its grant).
    const session = await ctx.db.query<{ id: string }>(
      `SELECT id FROM oidc_model WHERE kind = 'Session' AND id NOT LIKE 'fill-%'
        AND payload->'authorizations' <> '{}'::jsonb LIMIT 1`,
    );
    const id = session.rows[0]?.id;
    if (id) {
      // The generic plan: what a pooled connection caches for the named statement.
      await ctx.db.tx(async (q) => {
        await q.query('SET LOCAL plan_cache_mode = force_generic_plan');
        await q.query(`PREPARE related_probe AS ${findWithRelated.text}`);
        // A utility statement takes no bind parameters: the id (random, ours) as a literal.
        const literal = `'${id.replaceAll("'", "''")}'`;
        const plan = await q.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) EXECUTE related_probe('Session', ${literal})`,
        );
        await q.query('DEALLOCATE related_probe');
        for (const line of plan.rows) context(`plan: ${line['QUERY PLAN']}`);
      });
    }
  } finally {
    await p.close();
  }
}

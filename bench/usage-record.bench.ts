/**
 * Recording usage events (P4 "improving services"): the hot path is one call per counted
 * page view, so it must be cheap, and the buffered writer must keep up with the portal.
 *
 * (a) BENCH_USAGE_EVENTS (default 200,000) events through `usage.record` from one caller,
 *     then `flush`: events per second until every one is committed in PostgreSQL (batches of
 *     500, one INSERT … SELECT FROM unnest each). Target >= 5,000 events/s: well above the
 *     page views two cores serve (the login bench runs in the hundreds per second).
 * (b) The same calls alone (the request's share): nanoseconds per `record`, target <= 5,000 ns.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createUsageService } from '../src/modules/usage/index.ts';
import { context, report, type BenchContext } from './lib.ts';

const EVENTS = Number(process.env.BENCH_USAGE_EVENTS ?? 200_000);

export default async function usageRecord(ctx: BenchContext): Promise<void> {
  const usage = createUsageService({ db: ctx.db });
  const visitors = Array.from({ length: 1000 }, () => randomUUID());
  const names = ['/', '/privacy', '/me', '/me/consents', '/cookies', '/oidc/interaction/:uid'];

  const t0 = performance.now();
  let callsMs = 0;
  for (let i = 0; i < EVENTS; i++) {
    const c0 = performance.now();
    usage.record({
      visitorId: visitors[i % visitors.length]!,
      subjectId: i % 3 === 0 ? visitors[(i * 7) % visitors.length] : undefined,
      kind: 'page',
      name: names[i % names.length]!,
    });
    callsMs += performance.now() - c0;
    // Let the writes run as they would between requests.
    if (i % 5000 === 4999) await new Promise((r) => setImmediate(r));
  }
  await usage.flush();
  const elapsed = (performance.now() - t0) / 1000;
  const { rows } = await ctx.db.query<{ n: string }>('SELECT count(*) AS n FROM usage_event');
  context(`${rows[0]!.n} events committed of ${EVENTS} recorded in ${elapsed.toFixed(2)} s`);
  report('usage-record committed', EVENTS / elapsed, 'events/s', '>=', 5000);
  report('usage-record call', (callsMs * 1e6) / EVENTS, 'ns', '<=', 5000);

  const a0 = performance.now();
  await usage.aggregate();
  context(`aggregating the day: ${Math.round(performance.now() - a0)} ms`);
  await usage.close();
}

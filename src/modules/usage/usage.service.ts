/**
 * Usage statistics (P4 "improving services", P3.4; ADR 0045): first-party counts of page and
 * service use, aggregated per day.
 *
 * Rules:
 * - P3.2.optional the web layer records an event only for a request whose cookie choice
 *   consents to analytics (web/http/usage.ts); this module trusts that and keeps nothing else.
 * - An event holds the analytics cookie's random id, the person's id when signed in, the
 *   route's pattern (never a query string or an id from the path) and the time: no IP
 *   address, no user agent, nothing that fingerprints a browser.
 * - P3.4 raw events are personal data declared in usage.data.ts: exported, erased with the
 *   account, purged 90 days after they happened (the retention purge reads the declaration).
 * - Recording is cheap: events are buffered and written in one statement per batch (at most
 *   `batch` events or `flushMs` old); a failed write drops that batch (statistics, not
 *   records anyone relies on) and is logged without any id.
 * - The job `usage.aggregate` recomputes yesterday and today (China time) from the raw events,
 *   so a late flush or a purge never leaves a day half counted twice.
 */
import type { Database } from '../../kernel/db/database.ts';
import { clock } from '../../kernel/clock.ts';
import type { Logger } from '../../kernel/logger.ts';
import * as repo from './usage.repository.ts';

export type UsageKind = repo.UsageEventRow['kind'];
export type DailyUsage = repo.DailyRow;

export interface UsageEvent {
  visitorId: string;
  subjectId?: string | undefined;
  kind: UsageKind;
  name: string;
}

export interface UsageService {
  /** Buffers one event (no await needed; `flush` writes it). */
  record(e: UsageEvent): void;
  /** Writes every buffered event now; resolves with how many were written. */
  flush(): Promise<number>;
  /** Recomputes the daily aggregates from yesterday (China time) on. */
  aggregate(): Promise<{ days: number; rows: number }>;
  /** The aggregates of the days from `from` to `to` (YYYY-MM-DD, China time), newest first. */
  daily(from: string, to: string): Promise<DailyUsage[]>;
  close(): Promise<void>;
}

const CST = 8 * 3_600_000;
const DAY = 86_400_000;
/** The day (YYYY-MM-DD) in China `daysAgo` days before now. */
export const chinaDay = (daysAgo = 0, now = clock.now()): string =>
  new Date(now + CST - daysAgo * DAY).toISOString().slice(0, 10);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createUsageService(deps: {
  db: Database;
  log?: Logger;
  /** Events per statement (default 500). */
  batch?: number;
  /** Longest an event waits in the buffer (default 1000 ms). */
  flushMs?: number;
}): UsageService {
  const batch = deps.batch ?? 500;
  let buffer: repo.UsageEventRow[] = [];
  const writing = new Set<Promise<number>>();

  const write = (events: repo.UsageEventRow[]): Promise<number> => {
    const p = repo.insertEvents(deps.db, events).catch((err: unknown) => {
      deps.log?.warn({ err: (err as Error).name, events: events.length }, 'usage events not recorded');
      return 0;
    });
    writing.add(p);
    void p.finally(() => writing.delete(p));
    return p;
  };
  const take = () => {
    const events = buffer;
    buffer = [];
    return events;
  };
  const timer = setInterval(() => {
    if (buffer.length > 0) void write(take());
  }, deps.flushMs ?? 1000);
  timer.unref();

  const flush = async () => {
    const mine = buffer.length > 0 ? write(take()) : Promise.resolve(0);
    const [n] = await Promise.all([mine, ...writing]);
    return n;
  };

  return {
    record(e) {
      if (!UUID.test(e.visitorId) || (e.subjectId && !UUID.test(e.subjectId))) return;
      buffer.push({
        visitorId: e.visitorId,
        subjectId: e.subjectId ?? null,
        kind: e.kind,
        name: e.name.slice(0, 200),
        occurredAt: clock.date(),
      });
      if (buffer.length >= batch) void write(take());
    },
    flush,
    async aggregate() {
      await flush();
      const rows = await repo.aggregateFrom(deps.db, chinaDay(1));
      return { days: 2, rows };
    },
    daily: (from, to) => repo.daily(deps.db, from, to),
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}

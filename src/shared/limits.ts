/**
 * Counters for attempts (P7.3), shared by every process of the platform: PostgreSQL by
 * default (table `rate_limit`, migration 0013), Redis when REDIS_URL is set. Both through
 * rate-limiter-flexible (ADR 0009), so the same policy reads the same way on either store.
 *
 * Rules:
 * - One bucket per limit and key, whichever process or route counts it (the page and the
 *   API of one sign-in share it). Nothing is kept in process memory.
 * - Keys are keyed hashes: source addresses and phone tokens never reach the store as
 *   they are (an IPv4 address hashed without a key is found by trying them all).
 * - A limit is counted in fixed windows that start at the first hit; `slide` gives a
 *   sliding window (the sliding-window counter: this window's count plus the previous
 *   window's, weighted by how much of it still overlaps).
 */
import type pg from 'pg';
import type { Redis } from 'ioredis';
import {
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

export interface Limit {
  /** Stable name: part of every stored key. */
  name: string;
  /** Hits allowed per window. */
  points: number;
  /** Window length. */
  seconds: number;
}

export interface Count {
  /** Hits in the window, this one included. */
  count: number;
  /** Whether this hit stayed within the limit. */
  allowed: boolean;
  /** Seconds until the window ends (0: no window open). */
  retrySeconds: number;
}

export interface Limiter {
  /** Counts one attempt against the limit. */
  hit(limit: Limit, key: string): Promise<Count>;
  /** The window's count without adding to it. */
  peek(limit: Limit, key: string): Promise<Count>;
  /** Fills the bucket for `seconds`: `peek` reports it over the limit until then. */
  block(limit: Limit, key: string, seconds: number): Promise<void>;
  /** Sliding-window count over `limit.seconds`, after adding this attempt when `add`. */
  slide(limit: Limit, key: string, add: boolean): Promise<number>;
  reset(limit: Limit, key: string): Promise<void>;
}

export type LimiterStore = { kind: 'postgres'; pool: pg.Pool } | { kind: 'redis'; client: Redis };

const TABLE = 'rate_limit';

export function createLimiter(store: LimiterStore, keyedHash: (data: string) => Buffer): Limiter {
  const made = new Map<string, RateLimiterAbstract>();
  const of = (limit: Limit): RateLimiterAbstract => {
    const id = `${limit.name}/${limit.points}/${limit.seconds}`;
    let l = made.get(id);
    if (!l) {
      const opts = { keyPrefix: limit.name, points: limit.points, duration: limit.seconds };
      l =
        store.kind === 'redis'
          ? new RateLimiterRedis({ ...opts, storeClient: store.client })
          : // The table comes from a migration; expired rows are swept by `sweepLimits`.
            new RateLimiterPostgres({
              ...opts,
              storeClient: store.pool,
              storeType: 'pool',
              tableName: TABLE,
              tableCreated: true,
              clearExpiredByTimeout: false,
            });
      made.set(id, l);
    }
    return l;
  };
  const keyOf = (limit: Limit, key: string) => keyedHash(`limit:${limit.name}:${key}`).toString('base64url');
  const countOf = (limit: Limit, r: RateLimiterRes | null): Count => {
    const count = r?.consumedPoints ?? 0;
    return {
      count,
      allowed: count <= limit.points,
      retrySeconds: r && r.msBeforeNext > 0 ? Math.ceil(r.msBeforeNext / 1000) : 0,
    };
  };

  return {
    async hit(limit, key) {
      try {
        return countOf(limit, await of(limit).consume(keyOf(limit, key)));
      } catch (err) {
        // rate-limiter-flexible rejects with the counter itself when over the limit.
        if (err instanceof RateLimiterRes) return countOf(limit, err);
        throw err;
      }
    },
    async peek(limit, key) {
      return countOf(limit, await of(limit).get(keyOf(limit, key)));
    },
    async block(limit, key, seconds) {
      await of(limit).block(keyOf(limit, key), seconds);
    },
    async slide(limit, key, add) {
      // Wall time, not the clock seam: windows are shared with Redis and with other nodes,
      // which expire keys on their own clocks.
      const now = Date.now();
      const windowMs = limit.seconds * 1000;
      const index = Math.floor(now / windowMs);
      // Each aligned window lives two windows long, so the previous one can still be read.
      const bucket: Limit = { ...limit, name: `${limit.name}~`, seconds: limit.seconds * 2 };
      const current = this[add ? 'hit' : 'peek'](bucket, `${key}:${index}`);
      const previous = this.peek(bucket, `${key}:${index - 1}`);
      const [cur, prev] = await Promise.all([current, previous]);
      const overlap = 1 - (now - index * windowMs) / windowMs;
      return cur.count + Math.floor(prev.count * overlap);
    },
    async reset(limit, key) {
      await of(limit).delete(keyOf(limit, key));
    },
  };
}

/** Deletes expired PostgreSQL counters (housekeeping; Redis expires its own keys). */
export async function sweepLimits(pool: pg.Pool): Promise<number> {
  // Wall time, as the limiter's own expiry (see slide).
  const r = await pool.query(`DELETE FROM ${TABLE} WHERE expire < $1`, [Date.now()]);
  return r.rowCount ?? 0;
}

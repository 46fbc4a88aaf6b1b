/**
 * Per-subject consent cache, invalidated across processes by PostgreSQL LISTEN/NOTIFY.
 *
 * Rules (P8.5: withdrawal takes effect at once everywhere):
 * - A change commits together with `pg_notify`; every process drops that subject's entry
 *   when the notification arrives (delivered at commit).
 * - While the listening connection is down, the cache is bypassed: a stale "yes" is worse
 *   than a slower read.
 */
import type pg from 'pg';
import type { Database } from '../../kernel/db/database.ts';
import { silentLogger, type Logger } from '../../kernel/logger.ts';
import { CHANNEL, consentsOf, type ConsentRow } from './consent.repository.ts';

const MAX_ENTRIES = 100_000;

export interface ConsentCache {
  get(subjectId: string): Promise<ConsentRow[]>;
  invalidate(subjectId: string): void;
  close(): Promise<void>;
}

export async function createConsentCache(db: Database, log: Logger = silentLogger): Promise<ConsentCache> {
  const entries = new Map<string, Promise<ConsentRow[]>>();
  let listener: pg.PoolClient | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  // Logged once per outage, not once per retry second.
  let wasDown = false;

  const listen = async (): Promise<void> => {
    let client: pg.PoolClient | undefined;
    try {
      client = await db.pool.connect();
      const c = client;
      c.on('notification', (n) => {
        if (n.channel === CHANNEL && n.payload) entries.delete(n.payload);
      });
      c.on('error', () => drop(c));
      await c.query(`LISTEN ${CHANNEL}`);
      entries.clear(); // anything cached before we listened may be stale
      if (wasDown) log.info({ channel: CHANNEL }, 'consent cache listening again');
      wasDown = false;
      listener = c;
    } catch (err) {
      if (!wasDown)
        log.error(
          { channel: CHANNEL, code: (err as { code?: string }).code },
          'consent cache cannot listen for changes; every read goes to the database until it can',
        );
      wasDown = true;
      client?.release(true);
      schedule();
    }
  };
  // Only the current listener is dropped: after close() the client is back in the pool,
  // and releasing it again would throw out of the 'error' event.
  const drop = (client: pg.PoolClient) => {
    if (listener !== client) return;
    log.warn({ channel: CHANNEL }, 'consent cache lost its listening connection; reading from the database');
    wasDown = true;
    listener = undefined;
    entries.clear();
    client.release(true);
    schedule();
  };
  const schedule = () => {
    if (!closed && !retry) {
      retry = setTimeout(() => {
        retry = undefined;
        void listen();
      }, 1000);
      retry.unref();
    }
  };
  await listen();

  return {
    get(subjectId) {
      if (!listener) return consentsOf(db, subjectId);
      let hit = entries.get(subjectId);
      if (!hit) {
        if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
        hit = consentsOf(db, subjectId);
        entries.set(subjectId, hit);
        hit.catch(() => entries.delete(subjectId));
      }
      return hit;
    },
    invalidate(subjectId) {
      entries.delete(subjectId);
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      if (listener) {
        const l = listener;
        listener = undefined;
        await l.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
        l.release();
      }
      entries.clear();
    },
  };
}

/**
 * The connection pool and transactions. Repositories take a `Queryable` so the same code
 * runs inside or outside a transaction; services open transactions with `db.tx`, and the
 * audit entry for a change is appended on the same transaction (see modules/audit).
 */
import pg from 'pg';

// int8 as string is pg's default; our counters fit in a JS number, ids stay strings.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => (Number.isSafeInteger(Number(v)) ? Number(v) : v));

/**
 * SQL text, or a named statement: prepared once per connection, then only bound and
 * executed. Name the hot, fixed-text queries (needs session pooling, or PgBouncer 1.21+).
 */
export type Statement = string | { name: string; text: string };

export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: Statement,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

export interface Database extends Queryable {
  readonly pool: pg.Pool;
  /** Connection string, for work that needs its own connection (e.g. verification workers). */
  readonly url: string;
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function openDatabase(url: string, max: number): Database {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000 });
  // An idle client's error (server restart, network) must not crash the process; the
  // next query gets a fresh connection and /readyz reports the outage.
  pool.on('error', () => undefined);
  let closed = false;
  return {
    pool,
    url,
    query: (text, values) =>
      typeof text === 'string' ? pool.query(text, values) : pool.query({ ...text, values: values ?? [] }),
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

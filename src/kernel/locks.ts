/**
 * The advisory-lock registry: every PostgreSQL advisory lock Civitas takes is named here, so
 * two features can never pick the same number by accident and an operator reading
 * `pg_locks` can tell what waits on what.
 *
 * Fixed keys are integers in the 7 246 xxx range ("civitas"). A keyed lock (one per person,
 * say) is `hashtext(namespace || ':' || key)` in the same 32-bit space: a rare collision only
 * makes two unrelated transactions wait for each other, never lets two holders in.
 */
import type { Queryable } from './db/database.ts';

export const LOCKS = {
  /**
   * Schema changes: migrations (a session lock across the whole run) and the grants to the
   * application role after them (a transaction lock). The same key on purpose: a node that
   * grants waits for another node's migration to finish, and the other way round.
   */
  schema: 7_246_001,
  /** The audit chain's checkpoint (sealing a range of entries). */
  auditCheckpoint: 7_246_002,
  /** Seeding the service catalogue at start-up (several nodes start together). */
  catalogueSeed: 7_246_003,
} as const;

/** Per-key locks: the namespace, joined with the key, is hashed into one lock. */
export const KEYED_LOCKS = {
  /** One verification attempt at a time per person (the daily cap is counted inside it). */
  verificationAttempt: 'verification_attempt',
} as const;

export type LockName = keyof typeof LOCKS;
export type KeyedLockName = keyof typeof KEYED_LOCKS;

/** Takes a registered lock until the end of the current transaction. */
export async function lockForTransaction(q: Queryable, name: LockName): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock($1)', [LOCKS[name]]);
}

/** Takes a registered per-key lock (for example, per person) until the end of the transaction. */
export async function lockKeyForTransaction(q: Queryable, name: KeyedLockName, key: string): Promise<void> {
  await q.query(`SELECT pg_advisory_xact_lock(hashtext($1 || ':' || $2))`, [KEYED_LOCKS[name], key]);
}

/**
 * Removes sign-in state that can no longer be used.
 *
 * Rules:
 * - A second-step challenge or passkey ceremony past its expiry is deleted.
 * - One-time codes are kept a day (the daily sending limit counts them), then deleted
 *   once used or expired: a code hash must not outlive its purpose.
 */
import type { Queryable } from '../../kernel/db/database.ts';
import * as repo from './signin.repository.ts';

export async function sweepExpiredSignIns(q: Queryable): Promise<number> {
  return repo.deleteExpired(q);
}

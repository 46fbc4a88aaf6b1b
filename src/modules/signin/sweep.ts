/**
 * Removes sign-in state that can no longer be used.
 *
 * Rules:
 * - A second-step challenge or passkey ceremony past its expiry is deleted.
 * - One-time codes are kept a day (the daily sending limit counts them), then deleted
 *   once used or expired: a code hash must not outlive its purpose.
 */
import type { Queryable } from '../../db/database.ts';

export async function sweepExpiredSignIns(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `WITH c AS (DELETE FROM sign_in_challenge WHERE expires_at < now() RETURNING 1),
          p AS (DELETE FROM passkey_ceremony WHERE expires_at < now() RETURNING 1),
          o AS (DELETE FROM one_time_code
                 WHERE created_at < now() - interval '1 day' AND (consumed_at IS NOT NULL OR expires_at < now())
                RETURNING 1)
     SELECT (SELECT count(*) FROM c) + (SELECT count(*) FROM p) + (SELECT count(*) FROM o) AS n`,
  );
  return Number(rows[0]?.n ?? 0);
}

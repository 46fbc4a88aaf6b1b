/**
 * SQL of the sign-in module's tables read across its files (the rest of its statements are
 * still in the files that use them; see README "Unfinished").
 */
import type { Queryable } from '../../db/database.ts';
import type { Factors } from './risk.ts';

/** Which second factors the account has (named: prepared once per connection, hot path). */
export async function factorsOf(q: Queryable, subjectId: string): Promise<Factors> {
  const { rows } = await q.query<Factors>(
    {
      name: 'identity-risk-factors',
      text: `SELECT EXISTS (SELECT 1 FROM passkey WHERE subject_id = $1) AS passkey,
            EXISTS (SELECT 1 FROM totp_factor WHERE subject_id = $1 AND confirmed_at IS NOT NULL) AS totp,
            (SELECT count(*) FROM recovery_code WHERE subject_id = $1 AND used_at IS NULL)::int AS "recoveryCodes"`,
    },
    [subjectId],
  );
  return rows[0]!;
}

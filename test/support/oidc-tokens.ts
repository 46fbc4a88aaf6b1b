/**
 * A provider token table as it looks after many sign-ins, filled in one SQL statement
 * (generate_series), for the plan test (src/oidc/unit-of-work.plans.test.ts) and the
 * benchmark with a million tokens (bench/oidc-tokens.bench.ts).
 *
 * Per ten rows: five access tokens and two refresh tokens (each naming its grant and
 * session), two grants and one session whose `authorizations` names a grant, all live
 * (expiring between one hour and one day from now). Ids start with `fill-`; the session of
 * group g is `fill-<10g+9>` with uid `fill-uid-<g>`.
 */
import type { Queryable } from '../../src/kernel/db/database.ts';

export const FILL_SQL = `
  INSERT INTO oidc_model (kind, id, payload, grant_id, uid, expires_at)
  SELECT kind, 'fill-' || i,
    CASE kind
      WHEN 'Session' THEN jsonb_build_object('uid', 'fill-uid-' || g, 'accountId', 'fill-acc-' || g,
        'authorizations', jsonb_build_object('fill-client',
          jsonb_build_object('sid', 'fill-sid-' || g, 'grantId', 'fill-' || (g * 10 + 7))))
      WHEN 'Grant' THEN jsonb_build_object('accountId', 'fill-acc-' || g, 'clientId', 'fill-client',
        'openid', jsonb_build_object('scope', 'openid name'))
      ELSE jsonb_build_object('grantId', 'fill-' || (g * 10 + 7), 'sessionUid', 'fill-uid-' || g,
        'accountId', 'fill-acc-' || g, 'clientId', 'fill-client')
    END,
    CASE WHEN kind IN ('AccessToken', 'RefreshToken') THEN 'fill-' || (g * 10 + 7) END,
    CASE WHEN kind = 'Session' THEN 'fill-uid-' || g END,
    now() + interval '1 hour' + (i % 1380) * interval '1 minute'
  FROM (SELECT i, i / 10 AS g,
               (ARRAY['AccessToken', 'AccessToken', 'AccessToken', 'AccessToken', 'AccessToken',
                      'RefreshToken', 'RefreshToken', 'Grant', 'Grant', 'Session'])[i % 10 + 1] AS kind
          FROM generate_series(0, $1::int - 1) i) s`;

/** Adds `count` live rows (a multiple of ten) and refreshes the planner's statistics. */
export async function fillTokens(q: Queryable, count: number): Promise<void> {
  await q.query(FILL_SQL, [count]);
  await q.query('ANALYZE oidc_model');
}

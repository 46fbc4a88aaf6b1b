/**
 * SQL of `citizen_session` and `known_device` used by other modules (sign-in, support)
 * through the session module's index.ts. `sessions.ts` keeps the statements of the session
 * service itself.
 */
import type { Queryable } from '../../db/database.ts';

/** How many of the newest sessions feed the sign-in risk checks. */
export const RECENT = 20;

/** A browser the person has now signed in from (idempotent). */
export async function rememberDevice(q: Queryable, subjectId: string, deviceHash: Buffer, label: string) {
  await q.query(
    `INSERT INTO known_device (subject_id, device_hash, label) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING`,
    [subjectId, deviceHash, label],
  );
}

/** Ends every live session of the person (password reset). */
export async function revokeAll(q: Queryable, subjectId: string): Promise<void> {
  await q.query(
    'UPDATE citizen_session SET revoked_at = now() WHERE subject_id = $1 AND revoked_at IS NULL',
    [subjectId],
  );
}

export async function liveCount(q: Queryable, subjectId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM citizen_session WHERE subject_id = $1 AND revoked_at IS NULL AND expires_at > now()',
    [subjectId],
  );
  return rows[0]?.n ?? 0;
}

export interface DeviceHistory {
  deviceKnown: boolean;
  history: number;
  hours: number[];
  placeHistory: number;
  placeSeen: boolean;
}

/**
 * What the sign-in risk checks need from the sessions: is the device known, and (only when
 * the person shared a place) the hours and places of the newest sessions. Named (two fixed
 * texts): prepared once per connection, as it runs on every sign-in.
 */
export async function deviceHistory(
  q: Queryable,
  subjectId: string,
  deviceHash: Buffer,
  placeToken: Buffer | undefined,
): Promise<DeviceHistory> {
  const history = placeToken
    ? `(SELECT count(*)::int AS history,
               coalesce(array_agg(DISTINCT extract(hour FROM created_at AT TIME ZONE 'Asia/Shanghai')::int),
                        '{}') AS hours,
               count(place_token)::int AS "placeHistory",
               coalesce(bool_or(place_token = $3), false) AS "placeSeen"
          FROM (SELECT created_at, place_token FROM citizen_session WHERE subject_id = $1
                 ORDER BY created_at DESC LIMIT ${RECENT}) recent)`
    : `(SELECT 0 AS history, '{}'::int[] AS hours, 0 AS "placeHistory", false AS "placeSeen")`;
  const { rows } = await q.query<DeviceHistory>(
    {
      name: placeToken ? 'identity-risk-history-place' : 'identity-risk-history',
      text: `SELECT EXISTS (SELECT 1 FROM known_device WHERE subject_id = $1 AND device_hash = $2) AS "deviceKnown",
                    h.* FROM ${history} h`,
    },
    placeToken ? [subjectId, deviceHash, placeToken] : [subjectId, deviceHash],
  );
  return rows[0]!;
}

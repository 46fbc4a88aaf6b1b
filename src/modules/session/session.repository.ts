/**
 * All SQL on `citizen_session` and `known_device`: the session service's (`sessions.ts`)
 * and what other modules (sign-in, support) need, through the session module's index.ts.
 * No rules here; the idle window is a constant of the statements.
 */
import type { Queryable } from '../../kernel/db/database.ts';
import type { PortalSession, SessionView } from './sessions.ts';

export const IDLE_MINUTES = 120;
/** A session that may be used: not ended, not past its absolute end, used within the idle window. */
const LIVE = `revoked_at IS NULL AND expires_at > now() AND last_seen_at > now() - interval '${IDLE_MINUTES} minutes'`;
const STALE = `last_seen_at < now() - interval '1 minute' AS stale`;

/**
 * A new session as a statement not yet run, for `audit.appendWith` (one round trip for the
 * session and its audit entry); returns `audit_subject`.
 */
export function insertStatement(s: {
  id: string;
  tokenHash: Buffer;
  subjectId: string;
  expiresAt: Date;
  device: string;
  placeToken: Buffer | null;
  amr: string[];
}) {
  return {
    name: 'session_create',
    text: `INSERT INTO citizen_session (id, token_hash, subject_id, expires_at, device, place_token, amr)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING subject_id AS audit_subject`,
    values: [s.id, s.tokenHash, s.subjectId, s.expiresAt, s.device, s.placeToken, s.amr] as unknown[],
  };
}

/** The live session of a token hash; `stale` when its idle clock should be moved on. */
export async function liveByHash(q: Queryable, hash: Buffer) {
  const { rows } = await q.query<PortalSession & { stale: boolean }>(
    `SELECT id, subject_id AS "subjectId", created_at AS "signedInAt", amr, ${STALE} FROM citizen_session
      WHERE token_hash = $1 AND ${LIVE}`,
    [hash],
  );
  return rows[0];
}

export async function touch(q: Queryable, hash: Buffer): Promise<void> {
  await q.query('UPDATE citizen_session SET last_seen_at = now() WHERE token_hash = $1', [hash]);
}

/** The person's live sessions, newest first, marking the one with `currentHash`. */
export async function liveOf(q: Queryable, subjectId: string, currentHash: Buffer): Promise<SessionView[]> {
  const { rows } = await q.query<SessionView>(
    `SELECT id, device, name, created_at AS "createdAt", last_seen_at AS "lastSeenAt", token_hash = $2 AS current
       FROM citizen_session
      WHERE subject_id = $1 AND ${LIVE} ORDER BY created_at DESC`,
    [subjectId, currentHash],
  );
  return rows;
}

/** Names one of the person's live sessions (null: no name); returns whether it was theirs. */
export async function rename(
  q: Queryable,
  subjectId: string,
  sessionId: string,
  name: string | null,
): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE citizen_session SET name = $3 WHERE id = $1 AND subject_id = $2 AND ${LIVE}`,
    [sessionId, subjectId, name],
  );
  return rowCount === 1;
}

/** Ends one of the person's sessions; returns its id if it was live (not yet ended). */
export async function revokeById(q: Queryable, subjectId: string, sessionId: string): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    'UPDATE citizen_session SET revoked_at = now() WHERE id = $1 AND subject_id = $2 AND revoked_at IS NULL RETURNING id',
    [sessionId, subjectId],
  );
  return rows.map((r) => r.id);
}

/** Ends every session of the person but the current one; returns the ids ended. */
export async function revokeOthers(q: Queryable, subjectId: string, currentHash: Buffer): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `UPDATE citizen_session SET revoked_at = now()
      WHERE subject_id = $1 AND revoked_at IS NULL AND token_hash <> $2 RETURNING id`,
    [subjectId, currentHash],
  );
  return rows.map((r) => r.id);
}

export async function provedWithin(q: Queryable, hash: Buffer, minutes: number): Promise<boolean> {
  const { rows } = await q.query(
    `SELECT 1 FROM citizen_session
      WHERE token_hash = $1 AND ${LIVE} AND proved_at > now() - make_interval(mins => $2)`,
    [hash, minutes],
  );
  return rows.length === 1;
}

export async function markProved(q: Queryable, hash: Buffer): Promise<void> {
  await q.query('UPDATE citizen_session SET proved_at = now(), proof_failures = 0 WHERE token_hash = $1', [
    hash,
  ]);
}

/** Counts a wrong proof in this session; returns how many so far. */
export async function proofFailed(q: Queryable, hash: Buffer): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    'UPDATE citizen_session SET proof_failures = proof_failures + 1 WHERE token_hash = $1 RETURNING proof_failures AS n',
    [hash],
  );
  return rows[0]?.n ?? 0;
}

/** Ends the session of a token hash; returns its id (empty when there is none). */
export async function revoke(q: Queryable, hash: Buffer): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    'UPDATE citizen_session SET revoked_at = now() WHERE token_hash = $1 RETURNING id',
    [hash],
  );
  return rows.map((r) => r.id);
}

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

/** Ends every live session of the person (password reset); returns the ids ended. */
export async function revokeAll(q: Queryable, subjectId: string): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    'UPDATE citizen_session SET revoked_at = now() WHERE subject_id = $1 AND revoked_at IS NULL RETURNING id',
    [subjectId],
  );
  return rows.map((r) => r.id);
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
 * the person shared a place) the hours and places of the newest sessions. The text of a
 * one-row SELECT (columns as `DeviceHistory`) that the sign-in path composes, through
 * index.ts, into its single risk-facts statement (`modules/signin/risk.ts`): the SQL on
 * `known_device` and `citizen_session` stays here. `subject`, `device` and `place` are the
 * caller's placeholders; without `place` no history is read (place and hour are judged
 * only when a place was shared).
 */
export function deviceHistoryRow(subject: string, device: string, place?: string): string {
  const history = place
    ? `(SELECT count(*)::int AS history,
               coalesce(array_agg(DISTINCT extract(hour FROM created_at AT TIME ZONE 'Asia/Shanghai')::int),
                        '{}') AS hours,
               count(place_token)::int AS "placeHistory",
               coalesce(bool_or(place_token = ${place}), false) AS "placeSeen"
          FROM (SELECT created_at, place_token FROM citizen_session WHERE subject_id = ${subject}
                 ORDER BY created_at DESC LIMIT ${RECENT}) recent)`
    : `(SELECT 0 AS history, '{}'::int[] AS hours, 0 AS "placeHistory", false AS "placeSeen")`;
  return `SELECT EXISTS (SELECT 1 FROM known_device WHERE subject_id = ${subject} AND device_hash = ${device}) AS "deviceKnown",
                 h.* FROM ${history} h`;
}

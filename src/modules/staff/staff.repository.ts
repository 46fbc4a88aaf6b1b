/** SQL for staff accounts, their second factor and their console sessions. */
import type { Queryable } from '../../kernel/db/database.ts';
import type { StaffRole } from '../inventory/index.ts';

/** The roles are the keys of the role → purpose table (least privilege, P7.2.roles). */
export type { StaffRole };
/** A session is `full` once the password and the second factor (or its enrolment) are done. */
export type SessionStage = 'second-factor' | 'enrol' | 'full';

export interface StaffRow {
  id: string;
  email: string;
  displayName: string;
  role: StaffRole;
  passwordHash: string;
  disabledAt: Date | null;
  failedLogins: number;
  lastFailedAt: Date | null;
}

export interface SessionRow extends StaffRow {
  stage: SessionStage;
  attempts: number;
  /** Whether last_seen_at is older than a minute (the idle clock is then moved on). */
  stale: boolean;
}

const columns = (t = '') =>
  `${t}id, ${t}email, ${t}display_name AS "displayName", ${t}role, ${t}password_hash AS "passwordHash",
   ${t}disabled_at AS "disabledAt", ${t}failed_logins AS "failedLogins", ${t}last_failed_at AS "lastFailedAt"`;
const COLUMNS = columns();

export async function countStaff(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM staff_account');
  return rows[0]?.n ?? 0;
}

export async function findByEmail(q: Queryable, email: string): Promise<StaffRow | undefined> {
  const { rows } = await q.query<StaffRow>(
    `SELECT ${COLUMNS} FROM staff_account WHERE lower(email) = lower($1)`,
    [email],
  );
  return rows[0];
}

/** Where to reach the enabled staff of these roles (the incident clock's alerts). */
export async function staffEmailsOfRoles(q: Queryable, roles: readonly string[]): Promise<string[]> {
  const { rows } = await q.query<{ email: string }>(
    `SELECT email FROM staff_account WHERE role = ANY($1::text[]) AND disabled_at IS NULL ORDER BY email`,
    [roles],
  );
  return rows.map((r) => r.email);
}

/** Display names by staff id, for records that show who did a step (the incident timeline). */
export async function staffNames(q: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  const uuids = ids.filter((i) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(i));
  if (uuids.length === 0) return new Map();
  const { rows } = await q.query<{ id: string; name: string }>(
    `SELECT id::text AS id, display_name AS name FROM staff_account WHERE id = ANY($1::uuid[])`,
    [uuids],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function findById(q: Queryable, id: string): Promise<StaffRow | undefined> {
  const { rows } = await q.query<StaffRow>(`SELECT ${COLUMNS} FROM staff_account WHERE id = $1`, [id]);
  return rows[0];
}

export async function insertStaff(
  q: Queryable,
  s: { email: string; displayName: string; role: StaffRole; passwordHash: string },
): Promise<string | undefined> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO staff_account (email, display_name, role, password_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING RETURNING id`,
    [s.email, s.displayName, s.role, s.passwordHash],
  );
  return rows[0]?.id;
}

/** One more wrong password or code; returns the new count. */
export async function recordFailure(q: Queryable, id: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `UPDATE staff_account SET failed_logins = failed_logins + 1, last_failed_at = now()
      WHERE id = $1 RETURNING failed_logins AS n`,
    [id],
  );
  return rows[0]?.n ?? 0;
}

export async function clearFailures(q: Queryable, id: string): Promise<void> {
  await q.query(
    'UPDATE staff_account SET failed_logins = 0, last_failed_at = NULL WHERE id = $1 AND failed_logins > 0',
    [id],
  );
}

export async function insertSession(
  q: Queryable,
  tokenHash: Buffer,
  staffId: string,
  expiresAt: Date,
  stage: SessionStage,
): Promise<void> {
  await q.query(
    'INSERT INTO staff_session (token_hash, staff_id, expires_at, stage) VALUES ($1, $2, $3, $4)',
    [tokenHash, staffId, expiresAt, stage],
  );
}

/** A live session: not revoked, not past its absolute end, used within the idle window. */
export async function findSession(
  q: Queryable,
  tokenHash: Buffer,
  idleMinutes: number,
): Promise<SessionRow | undefined> {
  const { rows } = await q.query<SessionRow>(
    `SELECT ${columns('a.')}, s.stage, s.attempts,
            s.last_seen_at < now() - interval '1 minute' AS stale
       FROM staff_session s JOIN staff_account a ON a.id = s.staff_id
      WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
        AND s.last_seen_at > now() - make_interval(mins => $2) AND a.disabled_at IS NULL`,
    [tokenHash, idleMinutes],
  );
  return rows[0];
}

export async function touchSession(q: Queryable, tokenHash: Buffer): Promise<void> {
  await q.query('UPDATE staff_session SET last_seen_at = now() WHERE token_hash = $1', [tokenHash]);
}

/** A wrong code on a session waiting for one; returns the attempts so far. */
export async function countAttempt(q: Queryable, tokenHash: Buffer): Promise<number> {
  const { rows } = await q.query<{ attempts: number }>(
    'UPDATE staff_session SET attempts = attempts + 1 WHERE token_hash = $1 RETURNING attempts',
    [tokenHash],
  );
  return rows[0]?.attempts ?? 0;
}

export async function revokeSession(q: Queryable, tokenHash: Buffer): Promise<string | undefined> {
  const { rows } = await q.query<{ staff_id: string }>(
    'UPDATE staff_session SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING staff_id',
    [tokenHash],
  );
  return rows[0]?.staff_id;
}

export async function revokeOtherSessions(q: Queryable, staffId: string, keep: Buffer): Promise<number> {
  const { rowCount } = await q.query(
    `UPDATE staff_session SET revoked_at = now()
      WHERE staff_id = $1 AND token_hash <> $2 AND revoked_at IS NULL`,
    [staffId, keep],
  );
  return rowCount ?? 0;
}

export async function updatePasswordHash(q: Queryable, id: string, passwordHash: string): Promise<void> {
  await q.query('UPDATE staff_account SET password_hash = $2 WHERE id = $1', [id, passwordHash]);
}

export interface TotpRow {
  keyId: string;
  secretSealed: Buffer;
  confirmed: boolean;
}

export async function findTotp(q: Queryable, staffId: string): Promise<TotpRow | undefined> {
  const { rows } = await q.query<TotpRow>(
    `SELECT key_id AS "keyId", secret_sealed AS "secretSealed", confirmed_at IS NOT NULL AS confirmed
       FROM staff_totp WHERE staff_id = $1`,
    [staffId],
  );
  return rows[0];
}

/** A new pending secret; never replaces a confirmed one. Returns whether it was stored. */
export async function putPendingTotp(
  q: Queryable,
  staffId: string,
  keyId: string,
  sealed: Buffer,
): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO staff_totp (staff_id, key_id, secret_sealed) VALUES ($1, $2, $3)
     ON CONFLICT (staff_id) DO UPDATE SET key_id = $2, secret_sealed = $3, created_at = now()
      WHERE staff_totp.confirmed_at IS NULL`,
    [staffId, keyId, sealed],
  );
  return rowCount === 1;
}

/** Accepts a TOTP step once: true when it is later than every step accepted before. */
export async function useTotpStep(
  q: Queryable,
  staffId: string,
  step: number,
  confirm: boolean,
): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE staff_totp SET last_step = $2, confirmed_at = coalesce(confirmed_at, now())
      WHERE staff_id = $1 AND (last_step IS NULL OR last_step < $2)
        AND (confirmed_at IS NULL) = $3`,
    [staffId, step, confirm],
  );
  return rowCount === 1;
}

/** A lost authenticator app: the factor goes, every session ends; the next sign-in enrols again. */
export async function resetSecondFactor(q: Queryable, staffId: string): Promise<void> {
  await q.query('DELETE FROM staff_totp WHERE staff_id = $1', [staffId]);
  await q.query('UPDATE staff_session SET revoked_at = now() WHERE staff_id = $1 AND revoked_at IS NULL', [
    staffId,
  ]);
}

/** P6.2.schedule when a staff account was disabled, for the retention purge: the ids disabled before `cutoff` (SQL). */
export const disabledBefore = (cutoff: string): string =>
  `SELECT id::text FROM staff_account WHERE disabled_at < ${cutoff}`;

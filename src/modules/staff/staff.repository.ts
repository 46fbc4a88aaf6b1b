/** SQL for staff accounts and their console sessions. */
import type { Queryable } from '../../db/database.ts';

export type StaffRole = 'administrator' | 'support' | 'dpo' | 'auditor' | 'service_hall';

export interface StaffRow {
  id: string;
  email: string;
  displayName: string;
  role: StaffRole;
  passwordHash: string;
  disabledAt: Date | null;
}

const COLUMNS = `id, email, display_name AS "displayName", role, password_hash AS "passwordHash", disabled_at AS "disabledAt"`;

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

export async function insertSession(
  q: Queryable,
  tokenHash: Buffer,
  staffId: string,
  expiresAt: Date,
): Promise<void> {
  await q.query('INSERT INTO staff_session (token_hash, staff_id, expires_at) VALUES ($1, $2, $3)', [
    tokenHash,
    staffId,
    expiresAt,
  ]);
}

export async function findSession(q: Queryable, tokenHash: Buffer): Promise<StaffRow | undefined> {
  const { rows } = await q.query<StaffRow>(
    `SELECT ${COLUMNS.replace(/(^|, )/g, '$1a.')} FROM staff_session s JOIN staff_account a ON a.id = s.staff_id
      WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND a.disabled_at IS NULL`,
    [tokenHash],
  );
  return rows[0];
}

export async function revokeSession(q: Queryable, tokenHash: Buffer): Promise<string | undefined> {
  const { rows } = await q.query<{ staff_id: string }>(
    'UPDATE staff_session SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING staff_id',
    [tokenHash],
  );
  return rows[0]?.staff_id;
}

export async function updatePasswordHash(q: Queryable, id: string, passwordHash: string): Promise<void> {
  await q.query('UPDATE staff_account SET password_hash = $2 WHERE id = $1', [id, passwordHash]);
}

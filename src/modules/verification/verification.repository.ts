/** SQL for verification attempts. No personal data: subject id, level, method, state, codes. */
import type { Queryable } from '../../kernel/db/database.ts';
import type { AttemptState } from './verification.lifecycle.ts';
import { lockKeyForTransaction } from '../../kernel/locks.ts';

export type Method = 'population-registry' | 'face-match' | 'bank-card' | 'service-hall';

export interface AttemptRow {
  id: string;
  subjectId: string;
  level: number;
  method: Method;
  state: AttemptState;
  outcome: string | null;
  documentKind: string | null;
  imageKept: boolean;
  createdAt: Date;
  expiresAt: Date;
}

const COLUMNS = `id, subject_id AS "subjectId", level, method, state, outcome, document_kind AS "documentKind",
  image_kept AS "imageKept", created_at AS "createdAt", expires_at AS "expiresAt"`;

export async function insertAttempt(
  q: Queryable,
  a: {
    subjectId: string;
    level: number;
    method: Method;
    expiresAt: Date;
    staffId?: string;
    documentKind?: string;
  },
): Promise<AttemptRow> {
  const { rows } = await q.query<AttemptRow>(
    `INSERT INTO verification_attempt (subject_id, level, method, state, expires_at, staff_id, document_kind)
     VALUES ($1, $2, $3, 'started', $4, $5, $6) RETURNING ${COLUMNS}`,
    [a.subjectId, a.level, a.method, a.expiresAt, a.staffId ?? null, a.documentKind ?? null],
  );
  return rows[0]!;
}

/** Moves an attempt from `from` to `to`; false if it was no longer in `from` (a race lost). */
export async function moveAttempt(
  q: Queryable,
  id: string,
  from: AttemptState,
  to: AttemptState,
  set: { outcome?: string | null; imageKept?: boolean } = {},
): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE verification_attempt
        SET state = $3, outcome = COALESCE($4, outcome), image_kept = COALESCE($5, image_kept), updated_at = now()
      WHERE id = $1 AND state = $2`,
    [id, from, to, set.outcome ?? null, set.imageKept ?? null],
  );
  return rowCount === 1;
}

export async function attemptById(q: Queryable, id: string): Promise<AttemptRow | undefined> {
  const { rows } = await q.query<AttemptRow>(`SELECT ${COLUMNS} FROM verification_attempt WHERE id = $1`, [
    id,
  ]);
  return rows[0];
}

/** Unfinished attempts past their time, locked for expiry. */
export async function staleAttempts(q: Queryable, subjectId: string): Promise<AttemptRow[]> {
  const { rows } = await q.query<AttemptRow>(
    `SELECT ${COLUMNS} FROM verification_attempt
      WHERE subject_id = $1 AND state IN ('started', 'submitted', 'partner_error') AND expires_at <= now()
      FOR UPDATE`,
    [subjectId],
  );
  return rows;
}

/** The newest open partner_error attempt of this method, to retry instead of counting a new one. */
export async function retryable(
  q: Queryable,
  subjectId: string,
  method: Method,
): Promise<AttemptRow | undefined> {
  const { rows } = await q.query<AttemptRow>(
    `SELECT ${COLUMNS} FROM verification_attempt
      WHERE subject_id = $1 AND method = $2 AND state = 'partner_error' AND expires_at > now()
      ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
    [subjectId, method],
  );
  return rows[0];
}

/** Attempts of this method started in the last 24 hours. */
export async function attemptsToday(q: Queryable, subjectId: string, method: Method): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM verification_attempt
      WHERE subject_id = $1 AND method = $2 AND created_at > now() - interval '24 hours'`,
    [subjectId, method],
  );
  return rows[0]?.n ?? 0;
}

export async function recentAttempts(q: Queryable, subjectId: string, limit = 10): Promise<AttemptRow[]> {
  const { rows } = await q.query<AttemptRow>(
    `SELECT ${COLUMNS} FROM verification_attempt WHERE subject_id = $1 ORDER BY created_at DESC LIMIT $2`,
    [subjectId, limit],
  );
  return rows;
}

/** Serialises a person's attempts: two submissions at once cannot both pass the daily cap. */
export async function lockSubject(q: Queryable, subjectId: string): Promise<void> {
  await lockKeyForTransaction(q, 'verificationAttempt', subjectId);
}

export async function markImageKept(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE verification_attempt SET image_kept = true WHERE id = $1', [id]);
}

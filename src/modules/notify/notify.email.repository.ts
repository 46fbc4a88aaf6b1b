/**
 * SQL for people's e-mail addresses (notify_email, migration 0024). The address values are
 * in the vault; this table holds the lifecycle, the keyed hash of the code and the bounces.
 * States change only as notify.email.lifecycle.ts allows (the SQL guard checks it too).
 */
import type { Queryable } from '../../kernel/db/database.ts';
import type { EmailState } from './notify.email.lifecycle.ts';

export interface EmailRow {
  id: string;
  state: EmailState;
  codeHash: Buffer | null;
  codeExpiresAt: Date | null;
  codeAttempts: number;
  codesSent: number;
  codeSentAt: Date | null;
  verifiedAt: Date | null;
  bounces: number;
  bouncedAt: Date | null;
}

const COLUMNS = `id, state, code_hash AS "codeHash", code_expires_at AS "codeExpiresAt",
  code_attempts AS "codeAttempts", codes_sent AS "codesSent", code_sent_at AS "codeSentAt",
  verified_at AS "verifiedAt", bounces, bounced_at AS "bouncedAt"`;

/** The person's current addresses: the verified one and the one waiting for its code. */
export async function currentOf(
  q: Queryable,
  subjectId: string,
  opts: { lock?: boolean } = {},
): Promise<{ verified?: EmailRow; pending?: EmailRow }> {
  const { rows } = await q.query<EmailRow>(
    `SELECT ${COLUMNS} FROM notify_email WHERE subject_id = $1 AND state IN ('pending', 'verified')
     ${opts.lock ? 'FOR UPDATE' : ''}`,
    [subjectId],
  );
  const verified = rows.find((r) => r.state === 'verified');
  const pending = rows.find((r) => r.state === 'pending');
  return { ...(verified ? { verified } : {}), ...(pending ? { pending } : {}) };
}

/** Code mails sent to the person in the last day, and whether one went in the last minute. */
export async function codesSentRecently(
  q: Queryable,
  subjectId: string,
): Promise<{ lastMinute: boolean; lastDay: number }> {
  const { rows } = await q.query<{ lastMinute: boolean; lastDay: number }>(
    `SELECT COALESCE(bool_or(code_sent_at > now() - interval '1 minute'), false) AS "lastMinute",
            COALESCE(sum(codes_sent), 0)::int AS "lastDay"
       FROM notify_email WHERE subject_id = $1 AND created_at > now() - interval '1 day'`,
    [subjectId],
  );
  return rows[0]!;
}

export async function insertPending(
  q: Queryable,
  subjectId: string,
  codeHash: (id: string) => Buffer,
  expiresAt: Date,
): Promise<string> {
  const { rows } = await q.query<{ id: string }>(`SELECT gen_random_uuid() AS id`);
  const id = rows[0]!.id;
  await q.query(
    `INSERT INTO notify_email (id, subject_id, state, code_hash, code_expires_at, codes_sent, code_sent_at)
     VALUES ($1, $2, 'pending', $3, $4, 1, now())`,
    [id, subjectId, codeHash(id), expiresAt],
  );
  return id;
}

/** A new code for a pending address: the old one stops working, the guesses start again. */
export async function newCode(q: Queryable, id: string, codeHash: Buffer, expiresAt: Date): Promise<void> {
  await q.query(
    `UPDATE notify_email SET code_hash = $2, code_expires_at = $3, code_attempts = 0,
            codes_sent = codes_sent + 1, code_sent_at = now()
      WHERE id = $1 AND state = 'pending'`,
    [id, codeHash, expiresAt],
  );
}

/** The code could not be sent: it must not be guessed towards either. */
export async function retireCode(q: Queryable, id: string): Promise<void> {
  await q.query(`UPDATE notify_email SET code_hash = NULL, code_expires_at = NULL WHERE id = $1`, [id]);
}

export async function countWrongGuess(q: Queryable, id: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `UPDATE notify_email SET code_attempts = code_attempts + 1 WHERE id = $1 RETURNING code_attempts AS n`,
    [id],
  );
  return rows[0]?.n ?? 0;
}

export async function markVerified(q: Queryable, id: string): Promise<void> {
  await q.query(
    `UPDATE notify_email SET state = 'verified', verified_at = now(), code_hash = NULL, code_expires_at = NULL
      WHERE id = $1 AND state = 'pending'`,
    [id],
  );
}

/** Ends an address: replaced, removed or cancelled (the caller checked the lifecycle). */
export async function end(
  q: Queryable,
  id: string,
  state: Extract<EmailState, 'replaced' | 'removed' | 'cancelled'>,
): Promise<void> {
  await q.query(
    `UPDATE notify_email SET state = $2, ended_at = now(), code_hash = NULL, code_expires_at = NULL WHERE id = $1`,
    [id, state],
  );
}

/** The verified address the mail channel may write to, with its bounce count. */
export async function verifiedOf(
  q: Queryable,
  subjectId: string,
): Promise<{ id: string; bounces: number } | undefined> {
  const { rows } = await q.query<{ id: string; bounces: number }>(
    {
      name: 'notify-email-verified',
      text: `SELECT id, bounces FROM notify_email WHERE subject_id = $1 AND state = 'verified'`,
    },
    [subjectId],
  );
  return rows[0];
}

/** The verified address rows of many people at once (a batch of mail), by subject id. */
export async function verifiedOfMany(
  q: Queryable,
  subjectIds: readonly string[],
): Promise<Map<string, { id: string; bounces: number }>> {
  const { rows } = await q.query<{ subjectId: string; id: string; bounces: number }>(
    {
      name: 'notify-email-verified-many',
      text: `SELECT subject_id AS "subjectId", id, bounces FROM notify_email
              WHERE subject_id = ANY ($1::uuid[]) AND state = 'verified'`,
    },
    [[...new Set(subjectIds)]],
  );
  return new Map(rows.map((r) => [r.subjectId, { id: r.id, bounces: r.bounces }]));
}

export async function recordBounce(q: Queryable, id: string, responseCode: number): Promise<number> {
  const { rows } = await q.query<{ bounces: number }>(
    `UPDATE notify_email SET bounces = bounces + 1, bounced_at = now(), last_bounce_code = $2
      WHERE id = $1 AND state = 'verified' RETURNING bounces`,
    [id, responseCode],
  );
  return rows[0]?.bounces ?? 0;
}

/** A mail went through: the bounces before it were passing trouble. */
export async function clearBounces(q: Queryable, id: string): Promise<void> {
  await q.query(`UPDATE notify_email SET bounces = 0 WHERE id = $1 AND bounces > 0`, [id]);
}

/**
 * SQL of the sign-in module's tables read across its files (the rest of its statements are
 * still in the files that use them; see README "Unfinished").
 */
import type { Queryable } from '../../db/database.ts';
import type { AlertView } from './alerts.ts';
import type { Factors } from './risk.ts';
import type { Challenge } from './second-step.ts';

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

/** Whether the account has a passkey or a confirmed authenticator app. */
export async function hasStrongFactor(q: Queryable, subjectId: string): Promise<boolean> {
  const { rows } = await q.query<{ strong: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM passkey WHERE subject_id = $1)
         OR EXISTS (SELECT 1 FROM totp_factor WHERE subject_id = $1 AND confirmed_at IS NOT NULL) AS strong`,
    [subjectId],
  );
  return rows[0]?.strong === true;
}

/** Housekeeping: expired challenges and ceremonies, and day-old used or expired codes. */
export async function deleteExpired(q: Queryable): Promise<number> {
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

// ---- login_alert

export async function insertAlert(
  q: Queryable,
  a: {
    subjectId: string;
    device: string;
    method: string;
    secondStep: string | null;
    reasons: string[];
    messageId: string;
  },
): Promise<{ id: string; at: Date }> {
  const { rows } = await q.query<{ id: string; created_at: Date }>(
    `INSERT INTO login_alert (subject_id, device, method, second_step, reasons, message_id)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at`,
    [a.subjectId, a.device, a.method, a.secondStep, a.reasons, a.messageId],
  );
  return { id: rows[0]!.id, at: rows[0]!.created_at };
}

export async function alertsOf(q: Queryable, subjectId: string, limit: number) {
  const { rows } = await q.query<Omit<AlertView, 'delivery'> & { messageId: string }>(
    `SELECT id, created_at AS at, device, method, second_step AS "secondStep", reasons,
            message_id AS "messageId"
       FROM login_alert WHERE subject_id = $1 ORDER BY created_at DESC LIMIT $2`,
    [subjectId, limit],
  );
  return rows;
}

// ---- one_time_code

export async function codesInLastMinute(q: Queryable, phoneToken: Buffer, purpose: string): Promise<number> {
  const { rows } = await q.query<{ recent: number }>(
    `SELECT count(*)::int AS recent FROM one_time_code
      WHERE phone_token = $1 AND purpose = $2 AND created_at > now() - interval '1 minute'`,
    [phoneToken, purpose],
  );
  return rows[0]?.recent ?? 0;
}

export async function insertCode(
  q: Queryable,
  phoneToken: Buffer,
  purpose: string,
  codeHash: Buffer,
  expiresAt: Date,
): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO one_time_code (phone_token, purpose, code_hash, expires_at)
     VALUES ($1, $2, $3, $4) RETURNING id`,
    [phoneToken, purpose, codeHash, expiresAt],
  );
  return rows[0]!.id;
}

/** A code whose SMS could not go out can never be used. */
export async function retireCode(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE one_time_code SET consumed_at = now() WHERE id = $1', [id]);
}

const consumeStatement = {
  name: 'one-time-code-consume',
  text: `WITH live AS (
           SELECT id FROM one_time_code
            WHERE phone_token = $1 AND purpose = $2 AND consumed_at IS NULL AND expires_at > now()
            ORDER BY created_at DESC LIMIT 1 FOR UPDATE)
         UPDATE one_time_code o
            SET attempts = o.attempts + (o.code_hash <> $3)::int,
                consumed_at = CASE WHEN o.code_hash = $3 THEN now() END
           FROM live WHERE o.id = live.id AND o.attempts < $4
         RETURNING o.consumed_at IS NOT NULL AS ok`,
};

/**
 * One statement: lock the newest live code, count a wrong guess or consume a right one. A
 * concurrent use of the same code waits on the lock and then finds it consumed.
 */
export async function consumeCode(
  q: Queryable,
  phoneToken: Buffer,
  purpose: string,
  codeHash: Buffer,
  maxAttempts: number,
): Promise<boolean> {
  const { rows } = await q.query<{ ok: boolean }>(consumeStatement, [
    phoneToken,
    purpose,
    codeHash,
    maxAttempts,
  ]);
  return rows[0]?.ok === true;
}

// ---- sign_in_challenge

export async function insertChallenge(
  q: Queryable,
  c: {
    id: string;
    tokenHash: Buffer;
    subjectId: string;
    firstFactor: string;
    device: string;
    deviceHash: Buffer | null;
    placeToken: Buffer | null;
    failedBefore: number;
    reasons: string[];
    methods: string[];
    expiresAt: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO sign_in_challenge (id, token_hash, subject_id, first_factor, device, device_hash, place_token,
                                    failed_before, reasons, methods, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      c.id,
      c.tokenHash,
      c.subjectId,
      c.firstFactor,
      c.device,
      c.deviceHash,
      c.placeToken,
      c.failedBefore,
      c.reasons,
      c.methods,
      c.expiresAt,
    ],
  );
}

/** The challenge of a token, while it is open and not expired. */
export async function openChallenge(q: Queryable, tokenHash: Buffer): Promise<Challenge | undefined> {
  const { rows } = await q.query<Challenge>(
    `SELECT *, sms_sent_at > now() - interval '1 minute' AS sms_sent_recently FROM sign_in_challenge
      WHERE token_hash = $1 AND completed_at IS NULL AND expires_at > now()`,
    [tokenHash],
  );
  return rows[0];
}

export async function challengeFailed(q: Queryable, id: string, from: string, to: string): Promise<void> {
  await q.query(
    'UPDATE sign_in_challenge SET attempts = attempts + 1, state = $3 WHERE id = $1 AND state = $2',
    [id, from, to],
  );
}

/** Completes the challenge unless another use, its attempts or its expiry got there first. */
export async function challengePassed(
  q: Queryable,
  id: string,
  from: string,
  to: string,
  maxAttempts: number,
): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE sign_in_challenge SET state = $3, completed_at = now()
      WHERE id = $1 AND state = $4 AND attempts < $2 AND expires_at > now()`,
    [id, maxAttempts, to, from],
  );
  return rowCount === 1;
}

export async function challengeSmsSent(q: Queryable, id: string, codeHash: Buffer): Promise<void> {
  await q.query(
    `UPDATE sign_in_challenge SET sms_code_hash = $2, sms_sent_at = now(), sms_sends = sms_sends + 1
      WHERE id = $1`,
    [id, codeHash],
  );
}

export async function challengeWebauthn(q: Queryable, id: string, challenge: string): Promise<void> {
  await q.query('UPDATE sign_in_challenge SET webauthn_challenge = $2 WHERE id = $1', [id, challenge]);
}

/**
 * All SQL on the sign-in module's tables (one_time_code, sign_in_challenge, login_alert,
 * totp_factor, recovery_code, passkey, passkey_ceremony). No rules here: the files beside
 * it decide (limits, lifecycles, audit), these read and write.
 */
import type { Queryable } from '../../kernel/db/database.ts';
import type { AlertView } from './alerts.ts';
import type { FactorOverview } from './factors.ts';
import type { Challenge } from './second-step.ts';

/**
 * Which second factors the account has (columns as `Factors`): the text of a one-row
 * SELECT that `risk.ts` composes into its single risk-facts statement.
 */
export const factorsRow = (subject: string) =>
  `SELECT EXISTS (SELECT 1 FROM passkey WHERE subject_id = ${subject}) AS passkey,
          EXISTS (SELECT 1 FROM totp_factor WHERE subject_id = ${subject} AND confirmed_at IS NOT NULL) AS totp,
          (SELECT count(*) FROM recovery_code WHERE subject_id = ${subject} AND used_at IS NULL)::int AS "recoveryCodes"`;

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
            ORDER BY created_at DESC LIMIT 1 FOR UPDATE),
         used AS (
         UPDATE one_time_code o
            SET attempts = o.attempts + (o.code_hash <> $3)::int,
                consumed_at = CASE WHEN o.code_hash = $3 THEN now() END
           FROM live WHERE o.id = live.id AND o.attempts < $4
         RETURNING o.consumed_at IS NOT NULL AS ok, o.attempts)
         SELECT (SELECT ok FROM used) AS ok, (SELECT attempts FROM used) AS attempts`,
};

/** What a guess did: consumed the code, counted as wrong (with guesses left), or found none to guess. */
export type CodeGuess = { kind: 'consumed' } | { kind: 'wrong'; left: number } | { kind: 'used-up' };

/**
 * One statement: lock the newest live code, count a wrong guess or consume a right one. A
 * concurrent use of the same code waits on the lock and then finds it consumed. No live
 * code, or one whose guesses are spent, is `used-up`: only a new code can help.
 */
export async function consumeCode(
  q: Queryable,
  phoneToken: Buffer,
  purpose: string,
  codeHash: Buffer,
  maxAttempts: number,
): Promise<CodeGuess> {
  const { rows } = await q.query<{ ok: boolean | null; attempts: number | null }>(consumeStatement, [
    phoneToken,
    purpose,
    codeHash,
    maxAttempts,
  ]);
  const r = rows[0];
  if (r?.ok === true) return { kind: 'consumed' };
  if (r?.ok === false && r.attempts !== null && r.attempts < maxAttempts)
    return { kind: 'wrong', left: maxAttempts - r.attempts };
  return { kind: 'used-up' };
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

// ---- passkey, passkey_ceremony

export async function insertCeremony(
  q: Queryable,
  tokenHash: Buffer,
  subjectId: string | null,
  kind: string,
  challenge: string,
  expiresAt: Date,
): Promise<void> {
  await q.query(
    'INSERT INTO passkey_ceremony (token_hash, subject_id, kind, challenge, expires_at) VALUES ($1, $2, $3, $4, $5)',
    [tokenHash, subjectId, kind, challenge, expiresAt],
  );
}

/** Single use: the live ceremony of a token is deleted as it is read. */
export async function takeCeremony(q: Queryable, tokenHash: Buffer, kind: string) {
  const { rows } = await q.query<{ challenge: string; subject_id: string | null }>(
    `DELETE FROM passkey_ceremony WHERE token_hash = $1 AND kind = $2 AND expires_at > now()
     RETURNING challenge, subject_id`,
    [tokenHash, kind],
  );
  return rows[0];
}

export async function passkeyByCredential(q: Queryable, credentialId: string) {
  const { rows } = await q.query<{
    id: string;
    subject_id: string;
    public_key: Buffer;
    counter: string;
    transports: string[];
  }>('SELECT id, subject_id, public_key, counter, transports FROM passkey WHERE credential_id = $1', [
    credentialId,
  ]);
  return rows[0];
}

export async function passkeyUsed(q: Queryable, id: string, counter: number): Promise<void> {
  await q.query('UPDATE passkey SET counter = $2, last_used_at = now() WHERE id = $1', [id, counter]);
}

/** The account's passkey credential ids (to exclude at registration, to allow at assertion). */
export async function credentialsOf(q: Queryable, subjectId: string) {
  const { rows } = await q.query<{ credential_id: string; transports: string[] }>(
    'SELECT credential_id, transports FROM passkey WHERE subject_id = $1',
    [subjectId],
  );
  return rows;
}

export async function insertPasskey(
  q: Queryable,
  p: {
    subjectId: string;
    credentialId: string;
    publicKey: Buffer;
    counter: number;
    transports: string[];
    label: string;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO passkey (subject_id, credential_id, public_key, counter, transports, label)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [p.subjectId, p.credentialId, p.publicKey, p.counter, p.transports, p.label],
  );
}

// ---- totp_factor, recovery_code

export async function totpOf(q: Queryable, subjectId: string) {
  const { rows } = await q.query<{ key_id: string; secret_sealed: Buffer; confirmed: boolean }>(
    'SELECT key_id, secret_sealed, confirmed_at IS NOT NULL AS confirmed FROM totp_factor WHERE subject_id = $1',
    [subjectId],
  );
  return rows[0];
}

/** Starts or restarts an enrolment; false when the account already has an active app. */
export async function startTotp(
  q: Queryable,
  subjectId: string,
  keyId: string,
  sealed: Buffer,
): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO totp_factor (subject_id, key_id, secret_sealed) VALUES ($1, $2, $3)
     ON CONFLICT (subject_id) DO UPDATE SET key_id = $2, secret_sealed = $3, created_at = now()
      WHERE totp_factor.confirmed_at IS NULL`,
    [subjectId, keyId, sealed],
  );
  return rowCount === 1;
}

export async function confirmTotp(q: Queryable, subjectId: string, step: number): Promise<void> {
  await q.query(
    'UPDATE totp_factor SET confirmed_at = now(), last_step = $2 WHERE subject_id = $1 AND confirmed_at IS NULL',
    [subjectId, step],
  );
}

/** A step is accepted once: true only when it is later than the last one used. */
export async function useTotpStep(q: Queryable, subjectId: string, step: number): Promise<boolean> {
  const { rowCount } = await q.query(
    'UPDATE totp_factor SET last_step = $2 WHERE subject_id = $1 AND (last_step IS NULL OR last_step < $2)',
    [subjectId, step],
  );
  return rowCount === 1;
}

export async function deleteTotp(q: Queryable, subjectId: string): Promise<boolean> {
  const { rowCount } = await q.query('DELETE FROM totp_factor WHERE subject_id = $1', [subjectId]);
  return rowCount === 1;
}

export async function renamePasskey(q: Queryable, subjectId: string, id: string, label: string) {
  const { rowCount } = await q.query('UPDATE passkey SET label = $3 WHERE id = $1 AND subject_id = $2', [
    id,
    subjectId,
    label,
  ]);
  return rowCount === 1;
}

/** How many of these hashes are unused recovery codes of the person. */
export async function unusedRecoveryCodeMatches(q: Queryable, subjectId: string, hashes: Buffer[]) {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM recovery_code
      WHERE subject_id = $1 AND used_at IS NULL AND code_hash = ANY ($2::bytea[])`,
    [subjectId, hashes],
  );
  return rows[0]?.n ?? 0;
}

export async function deletePasskey(q: Queryable, subjectId: string, id: string): Promise<boolean> {
  const { rowCount } = await q.query('DELETE FROM passkey WHERE id = $1 AND subject_id = $2', [
    id,
    subjectId,
  ]);
  return rowCount === 1;
}

/** Passkeys plus a confirmed app. */
export async function strongFactorCount(q: Queryable, subjectId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM passkey WHERE subject_id = $1)
          + (SELECT count(*) FROM totp_factor WHERE subject_id = $1 AND confirmed_at IS NOT NULL) AS n`,
    [subjectId],
  );
  return Number(rows[0]?.n ?? 0);
}

export async function replaceRecoveryCodes(q: Queryable, subjectId: string, hashes: Buffer[]): Promise<void> {
  await deleteRecoveryCodes(q, subjectId);
  await q.query('INSERT INTO recovery_code (subject_id, code_hash) SELECT $1, unnest($2::bytea[])', [
    subjectId,
    hashes,
  ]);
}

export async function deleteRecoveryCodes(q: Queryable, subjectId: string): Promise<void> {
  await q.query('DELETE FROM recovery_code WHERE subject_id = $1', [subjectId]);
}

export async function recoveryCodeCount(
  q: Queryable,
  subjectId: string,
  o: { unusedOnly: boolean },
): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    o.unusedOnly
      ? 'SELECT count(*)::int AS n FROM recovery_code WHERE subject_id = $1 AND used_at IS NULL'
      : 'SELECT count(*)::int AS n FROM recovery_code WHERE subject_id = $1',
    [subjectId],
  );
  return rows[0]!.n;
}

/** Single use: true when an unused code of the account had this hash. */
export async function useRecoveryCode(q: Queryable, subjectId: string, codeHash: Buffer): Promise<boolean> {
  const { rowCount } = await q.query(
    'UPDATE recovery_code SET used_at = now() WHERE subject_id = $1 AND code_hash = $2 AND used_at IS NULL',
    [subjectId, codeHash],
  );
  return rowCount === 1;
}

/** The security page's view of the factors. */
export async function factorOverview(q: Queryable, subjectId: string) {
  const { rows } = await q.query<{
    totp: 'active' | 'pending' | null;
    left: number;
    passkeys: FactorOverview['passkeys'] | null;
  }>(
    `SELECT (SELECT CASE WHEN confirmed_at IS NULL THEN 'pending' ELSE 'active' END
               FROM totp_factor WHERE subject_id = $1) AS totp,
            (SELECT count(*)::int FROM recovery_code WHERE subject_id = $1 AND used_at IS NULL) AS left,
            (SELECT json_agg(json_build_object('id', id, 'label', label, 'createdAt', created_at,
                                               'lastUsedAt', last_used_at) ORDER BY created_at)
               FROM passkey WHERE subject_id = $1) AS passkeys`,
    [subjectId],
  );
  return rows[0]!;
}

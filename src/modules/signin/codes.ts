/**
 * One-time codes sent by SMS.
 *
 * Rules:
 * - 6 random digits, valid 5 minutes, used once, at most 5 guesses.
 * - At most one code a minute per number and purpose (the code goes to the number's
 *   holder whoever asked). Daily budgets per number and source are the caller's
 *   (attempts.ts), checked after this rule so a refused request spends none.
 * - Stored as keyed hashes under the number's blind index: the table reveals neither.
 */
import { randomInt } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../shared/errors.ts';
import type { SmsGateway } from '../../adapters/sms.ts';
import { SmsUnavailable } from '../../adapters/sms.ts';
import { signInErrors } from './signin.errors.ts';

export type CodePurpose = 'register' | 'login' | 'reset';

const TTL_MS = 5 * 60_000;
const MAX_ATTEMPTS = 5;

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

export interface Codes {
  send(
    phone: string,
    phoneToken: Buffer,
    purpose: CodePurpose,
    locale: string,
    budget: () => Promise<void>,
  ): Promise<void>;
  /**
   * Consumes the newest live code if it matches; throws identity.code_invalid otherwise.
   * Runs on its own (a wrong guess must count even when the caller's work fails), so
   * callers check everything else first.
   */
  consume(phoneToken: Buffer, purpose: CodePurpose, code: string): Promise<void>;
}

export function createCodes(deps: {
  db: Database;
  sms: SmsGateway;
  keyedHash: (data: string) => Buffer;
}): Codes {
  // Keyed by the number's blind index and purpose too: one hash compares in SQL, so a
  // sign-in by code is one statement; the hash binds the code to its number and purpose.
  const hashOf = (phoneToken: Buffer, purpose: CodePurpose, code: string) =>
    deps.keyedHash(`${phoneToken.toString('base64')}:${purpose}:${code}`);

  return {
    async send(phone, phoneToken, purpose, locale, budget) {
      const { rows } = await deps.db.query<{ recent: number }>(
        `SELECT count(*)::int AS recent FROM one_time_code
          WHERE phone_token = $1 AND purpose = $2 AND created_at > now() - interval '1 minute'`,
        [phoneToken, purpose],
      );
      if ((rows[0]?.recent ?? 0) > 0) throw new AppError(signInErrors.too_many_codes);
      await budget();
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const { rows: created } = await deps.db.query<{ id: string }>(
        `INSERT INTO one_time_code (phone_token, purpose, code_hash, expires_at)
         VALUES ($1, $2, $3, $4) RETURNING id`,
        [phoneToken, purpose, hashOf(phoneToken, purpose, code), new Date(Date.now() + TTL_MS)],
      );
      const id = created[0]!.id;
      try {
        await deps.sms.send({ to: phone, template: 'verification-code', params: { code }, locale });
      } catch (err) {
        await deps.db.query('UPDATE one_time_code SET consumed_at = now() WHERE id = $1', [id]);
        if (err instanceof SmsUnavailable) throw new AppError(signInErrors.sms_unavailable);
        throw err;
      }
    },

    async consume(phoneToken, purpose, code) {
      if (!/^\d{6}$/.test(code)) throw new AppError(signInErrors.code_invalid);
      // One statement: lock the newest live code, count a wrong guess or consume a right one.
      // A concurrent use of the same code waits on the lock and then finds it consumed.
      const { rows } = await deps.db.query<{ ok: boolean }>(consumeStatement, [
        phoneToken,
        purpose,
        hashOf(phoneToken, purpose, code),
        MAX_ATTEMPTS,
      ]);
      if (!rows[0]?.ok) throw new AppError(signInErrors.code_invalid);
    },
  };
}

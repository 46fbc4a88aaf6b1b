/**
 * One-time codes sent by SMS.
 *
 * Rules:
 * - 6 random digits, valid 5 minutes, used once, at most 5 guesses. A wrong guess with
 *   guesses left is `code_invalid`; the fifth wrong guess, and any guess once the code is
 *   spent or expired, is `code_used_up`, so the person is told to ask for a new code (the
 *   right code is refused then too: it can no longer be guessed towards).
 * - At most one code a minute per number and purpose (the code goes to the number's
 *   holder whoever asked). Daily budgets per number and source are the caller's
 *   (attempts.ts), checked after this rule so a refused request spends none.
 * - Stored as keyed hashes under the number's blind index: the table reveals neither.
 */
import { randomInt } from 'node:crypto';
import type { Database } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import type { SmsGateway } from '../../adapters/sms.ts';
import { SmsUnavailable } from '../../adapters/sms.ts';
import { signInErrors } from './signin.errors.ts';
import * as repo from './signin.repository.ts';
import { clock } from '../../kernel/clock.ts';
import { normaliseDigits } from '../account/index.ts';

/** What a code is for that anyone may ask to be sent (the sign-in pages and API). */
export type SignInCodePurpose = 'register' | 'login' | 'reset';
/**
 * Codes of a signed-in person's own changes (account-changes.ts, ADR 0035): fresh proof by
 * the verified phone, and the new and the old number of a phone change. A code of one
 * purpose never serves another (the purpose is part of its hash).
 */
export type CodePurpose = SignInCodePurpose | 'reauth' | 'phone-new' | 'phone-old';

const TTL_MS = 5 * 60_000;
const MAX_ATTEMPTS = 5;

export interface Codes {
  send(
    phone: string,
    phoneToken: Buffer,
    purpose: CodePurpose,
    locale: string,
    budget: () => Promise<void>,
  ): Promise<void>;
  /**
   * Consumes the newest live code if it matches; throws identity.code_invalid (guesses
   * left) or identity.code_used_up (spent, expired or none) otherwise.
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
      if ((await repo.codesInLastMinute(deps.db, phoneToken, purpose)) > 0)
        throw new AppError(signInErrors.too_many_codes);
      await budget();
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const id = await repo.insertCode(
        deps.db,
        phoneToken,
        purpose,
        hashOf(phoneToken, purpose, code),
        new Date(clock.now() + TTL_MS),
      );
      try {
        await deps.sms.send({ to: phone, template: 'verification-code', params: { code }, locale });
      } catch (err) {
        await repo.retireCode(deps.db, id);
        if (err instanceof SmsUnavailable) throw new AppError(signInErrors.sms_unavailable);
        throw err;
      }
    },

    async consume(phoneToken, purpose, typed) {
      const code = normaliseDigits(typed);
      if (!/^\d{6}$/.test(code)) throw new AppError(signInErrors.code_invalid);
      // One statement: lock the newest live code, count a wrong guess or consume a right one.
      // A concurrent use of the same code waits on the lock and then finds it consumed.
      const guess = await repo.consumeCode(
        deps.db,
        phoneToken,
        purpose,
        hashOf(phoneToken, purpose, code),
        MAX_ATTEMPTS,
      );
      if (guess.kind === 'wrong') throw new AppError(signInErrors.code_invalid, `${guess.left} left`);
      if (guess.kind === 'used-up') throw new AppError(signInErrors.code_used_up);
    },
  };
}

/**
 * The signed-in person changes their own password and mobile number (issue 14; P8.1.correct,
 * P8.3, P7.3; ADR 0035).
 *
 * Rules:
 * - Password: the current password, or a fresh proof of this session (reauth.ts: the
 *   password, an app code or an SMS code within 5 minutes); a wrong current password counts
 *   like a wrong proof (the 5th ends the session). The new one passes the password policy
 *   (8–128 characters, not common). Success ends every OTHER session of the person (and
 *   their provider sessions), is audited, and is told to the person (alerts.ts).
 * - Phone, in steps, each a proof the next one checks:
 *   1. fresh proof of the session first (reauth.ts), then the new number: a code goes to it
 *      (purpose `phone-new`, the anonymous daily budget of that number: it is not yet the
 *      account's). The answer is the same whether or not the number has an account: nothing
 *      is looked up before the code comes back.
 *   2. the code from the new number (the session still fresh: a code asked for that number
 *      from another account proves nothing here), consumed, then the number is looked up. If another
 *      account holds it the person, who has just shown they hold that phone, is told only
 *      that it cannot be used (`phone_unusable`, audited on this account). Else they get a
 *      keyed proof of the number bound to this account and an expiry (10 minutes).
 *   3. a second proof that the OLD holder agrees: a code sent to the current number
 *      (purpose `phone-old`), or a code of a second factor (authenticator app or recovery
 *      code). Wrong answers count like wrong proofs of the session (the 5th ends it).
 *   4. then, in one transaction: the vault's phone replaced (its blind index with it, so the
 *      new number signs in and the old one no longer does; the unique index refuses a number
 *      taken meanwhile, with the same `phone_unusable`), audited, listed with the alerts and
 *      texted to the new number through the outbox. After the commit the OLD number is told
 *      directly (best effort, like the old e-mail address: the outbox reads the current
 *      number, which is no longer that one). Sessions are kept.
 * - Nothing here logs or audits a number; audit details hold codes only.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Database } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import { clock } from '../../kernel/clock.ts';
import { hashPassword } from '../../shared/password.ts';
import { passwordProblem } from '../../shared/password-policy.ts';
import { SmsUnavailable, type SmsGateway } from '../../adapters/sms.ts';
import { beijingMinute } from '../notify/index.ts';
import type { AuditService } from '../audit/index.ts';
import type { VaultService } from '../vault/index.ts';
import type { CitizenSessions } from '../session/index.ts';
import { accountErrors, normaliseMobile, resetPassword } from '../account/index.ts';
import type { Alerts } from './alerts.ts';
import type { Attempts } from './attempts.ts';
import type { Codes } from './codes.ts';
import type { Factors } from './factors.ts';
import type { ChangeContext, Reauth } from './reauth.ts';
import { signInErrors } from './signin.errors.ts';

const MIN_PASSWORD = 8;
const PROOF_TTL_MS = 10 * 60_000;
const PROOF_ATTEMPTS = 5;
const self = (id: string) => ({ type: 'self' as const, id, label: 'self' });

export interface PhoneChangeProof {
  /** The new number as stored. */
  phone: string;
  /** Keyed proof that this account's person holds it, with its expiry. */
  proof: string;
}

export function createAccountChanges(deps: {
  db: Database;
  audit: AuditService;
  vault: VaultService;
  sessions: CitizenSessions;
  factors: Factors;
  alerts: Alerts;
  codes: Codes;
  attempts: Attempts;
  reauth: Reauth;
  sms: SmsGateway;
  keyedHash: (data: string) => Buffer;
  /** Ends every other session (portal and provider) of the person; audited by its owner. */
  endOtherSessions: (subjectId: string, token: string | undefined, requestId: string) => Promise<number>;
}) {
  const { db, audit, vault, sessions, factors, alerts, codes, attempts, reauth } = deps;
  const token = (phone: string) => vault.lookupToken('phone', phone);
  const mobile = (typed: string): string => {
    const phone = normaliseMobile(typed);
    if (!phone)
      throw new AppError(accountErrors.invalid_phone, undefined, [{ path: 'phone', message: 'format' }]);
    return phone;
  };
  const mac = (subjectId: string, phone: string, expires: number) =>
    createHmac('sha256', deps.keyedHash(`phone-change:${subjectId}:${token(phone).toString('base64')}`))
      .update(String(expires))
      .digest('base64url');
  const proofHolds = (subjectId: string, phone: string, proof: string) => {
    const [at, m] = proof.split('.');
    const expires = Number(at);
    if (!m || !Number.isSafeInteger(expires) || expires < clock.now()) return false;
    const want = Buffer.from(mac(subjectId, phone, expires));
    const got = Buffer.from(m);
    return want.length === got.length && timingSafeEqual(want, got);
  };
  const currentPhone = async (subjectId: string, requestId: string) => {
    const phone = await alerts.phoneOf(subjectId, requestId);
    if (!phone) throw new AppError(signInErrors.sms_unavailable);
    return phone;
  };
  /** A wrong second proof counts on the session like a wrong reauth (the 5th ends it). */
  const proofFailed = async (subjectId: string, c: ChangeContext, by: string) => {
    if (c.token) {
      const failures = await sessions.proofFailed(c.token);
      if (failures >= PROOF_ATTEMPTS) await sessions.revoke(c.token);
    }
    await audit.append(db, {
      actor: { type: 'citizen', id: subjectId },
      action: 'identity.reauthentication_failed',
      subject: { type: 'person', id: subjectId },
      purpose: 'account-security',
      clause: 'P8.3',
      detail: { by },
      requestId: c.requestId,
    });
  };
  const refuse = async (subjectId: string, c: ChangeContext): Promise<never> => {
    await audit.append(db, {
      actor: { type: 'citizen', id: subjectId },
      action: 'identity.phone_change_refused',
      subject: { type: 'person', id: subjectId },
      purpose: 'account-security',
      clause: 'P8.1.correct',
      detail: { reason: 'number-taken' },
      requestId: c.requestId,
    });
    throw new AppError(signInErrors.phone_unusable);
  };

  return {
    /** P8.3 P7.3 a new password while signed in: the current one, or a fresh proof. */
    async changePassword(
      subjectId: string,
      typed: { current?: string | undefined; password: string },
      c: ChangeContext,
    ): Promise<{ otherSessionsEnded: number }> {
      const problem = passwordProblem(typed.password, MIN_PASSWORD);
      if (problem === 'length') throw new AppError(accountErrors.weak_password);
      if (problem === 'common') throw new AppError(accountErrors.common_password);
      if (!(await reauth.fresh(c.token))) {
        if (!typed.current) throw new AppError(signInErrors.current_password_required);
        // Counted, audited and ending the session at the 5th, like every other proof.
        await reauth.prove(subjectId, { password: typed.current }, c);
      }
      const hash = await hashPassword(typed.password);
      await db.tx(async (q) => {
        await resetPassword(q, subjectId, hash);
        await audit.append(q, {
          actor: { type: 'citizen', id: subjectId },
          action: 'identity.password_changed',
          subject: { type: 'person', id: subjectId },
          purpose: 'account-security',
          clause: 'P8.3',
          detail: { otherSessionsEnded: true },
          requestId: c.requestId,
        });
        await alerts.record(q, {
          subjectId,
          device: c.device,
          method: 'security-change',
          reasons: ['password-changed'],
          locale: c.locale,
        });
      });
      return { otherSessionsEnded: await deps.endOtherSessions(subjectId, c.token, c.requestId) };
    },

    /** Step 1: after fresh proof, a code to the new number (same answer for any number). */
    async beginPhoneChange(subjectId: string, typed: string, c: ChangeContext): Promise<string> {
      if (!(await reauth.fresh(c.token))) throw new AppError(signInErrors.reauth_required);
      const phone = mobile(typed);
      if (phone === (await currentPhone(subjectId, c.requestId)))
        throw new AppError(signInErrors.phone_same, undefined, [{ path: 'phone', message: 'same' }]);
      const number = token(phone).toString('base64');
      await codes.send(phone, token(phone), 'phone-new', c.locale, () =>
        attempts.beforeCode({ number, source: c.source ?? 'unknown' }),
      );
      return phone;
    },

    /** Step 2: the new number's code; then whether another account holds it. */
    async proveNewPhone(
      subjectId: string,
      typed: string,
      code: string,
      c: ChangeContext,
    ): Promise<PhoneChangeProof> {
      // Fresh here too: a code asked for the same number from another account must not
      // carry over into a session that did not prove the person (step 1's proof).
      if (!(await reauth.fresh(c.token))) throw new AppError(signInErrors.reauth_required);
      const phone = mobile(typed);
      await codes.consume(token(phone), 'phone-new', code);
      const holders = await vault.findSubject('phone', phone);
      if (holders.some((h) => h !== subjectId)) return refuse(subjectId, c);
      const expires = clock.now() + PROOF_TTL_MS;
      return { phone, proof: `${expires}.${mac(subjectId, phone, expires)}` };
    },

    /** Step 3a: a code to the current number (for a proven new one), within the account's own budget. */
    async sendOldPhoneCode(subjectId: string, proven: PhoneChangeProof, c: ChangeContext): Promise<void> {
      if (!proofHolds(subjectId, mobile(proven.phone), proven.proof))
        throw new AppError(signInErrors.phone_change_expired);
      const phone = await currentPhone(subjectId, c.requestId);
      const number = token(phone).toString('base64');
      await codes.send(phone, token(phone), 'phone-old', c.locale, () =>
        attempts.beforeCode({ number, source: c.source ?? 'unknown', knownDevice: 'session' }),
      );
    },

    /** Steps 3 and 4: the second proof, then the number replaced and everyone told. */
    async confirmPhoneChange(
      subjectId: string,
      typed: { phone: string; proof: string; oldCode?: string | undefined; factor?: string | undefined },
      c: ChangeContext,
    ): Promise<void> {
      const phone = mobile(typed.phone);
      if (!proofHolds(subjectId, phone, typed.proof)) throw new AppError(signInErrors.phone_change_expired);
      const old = await currentPhone(subjectId, c.requestId);
      const oldCode = typed.oldCode?.trim();
      const factor = typed.factor?.trim().toUpperCase();
      let by: string;
      if (oldCode) {
        by = 'old-phone-code';
        try {
          await codes.consume(token(old), 'phone-old', oldCode);
        } catch (err) {
          if (err instanceof AppError) await proofFailed(subjectId, c, by);
          throw err;
        }
      } else if (factor) {
        by = /^\d{6}$/.test(factor) ? 'totp' : 'recovery-code';
        const ok =
          by === 'totp'
            ? await factors.useTotp(subjectId, factor)
            : await factors.useRecoveryCode(subjectId, factor);
        if (!ok) {
          await proofFailed(subjectId, c, by);
          throw new AppError(signInErrors.second_proof_failed);
        }
      } else throw new AppError(signInErrors.second_proof_failed);
      await db
        .tx(async (q) => {
          await vault.write(
            subjectId,
            { phone },
            { source: 'user', purpose: 'service-provision', actor: self(subjectId), requestId: c.requestId },
            q,
          );
          await audit.append(q, {
            actor: { type: 'citizen', id: subjectId },
            action: 'identity.phone_changed',
            subject: { type: 'person', id: subjectId },
            purpose: 'account-security',
            clause: 'P8.1.correct',
            detail: { by },
            requestId: c.requestId,
          });
          await alerts.record(q, {
            subjectId,
            device: c.device,
            method: 'security-change',
            reasons: ['phone-changed'],
            locale: c.locale,
          });
        })
        .catch(async (err: unknown) => {
          // Taken by another account between the proof and now: the unique index decides.
          if (err instanceof AppError && err.code === 'vault.duplicate_value') return refuse(subjectId, c);
          throw err;
        });
      try {
        await deps.sms.send({
          to: old,
          template: 'security-change',
          params: { time: beijingMinute(clock.date()), change: 'phone-changed' },
          locale: c.locale,
        });
      } catch (err) {
        // The change stands whether or not the old number still takes messages.
        if (!(err instanceof SmsUnavailable)) throw err;
      }
    },
  };
}

export type AccountChanges = ReturnType<typeof createAccountChanges>;

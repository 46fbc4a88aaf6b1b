/**
 * The second step of a risky sign-in (P7.3): a challenge made by sign-in.ts, passed with
 * one of the methods it allows, then turned into a session by the same completion path.
 *
 * Rules:
 * - A challenge lives 5 minutes, is used once, and allows 5 wrong answers in all; it moves
 *   only along sign-in.lifecycle.ts (pending → passed | locked).
 * - Only the methods chosen when it was made are accepted (a passkey or TOTP when the
 *   account has one, or a recovery code; else an SMS code to the verified phone).
 * - The SMS code of a challenge: 6 digits, at most 3 sends, one a minute, stored as a
 *   keyed hash on the challenge.
 * - Every wrong answer is audited.
 * - P7.3 wrong answers also count per account over a sliding hour, across challenges
 *   (attempts.ts): past 5, answers wait longer each time and the person is alerted, so
 *   starting a new sign-in does not buy new guesses.
 */
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { randomInt, timingSafeEqual } from 'node:crypto';
import type { Database } from '../../kernel/db/database.ts';
import type { SmsGateway } from '../../adapters/sms.ts';
import { SmsUnavailable } from '../../adapters/sms.ts';
import { AppError } from '../../kernel/errors.ts';
import type { AuditService } from '../audit/index.ts';
import type { Alerts } from './alerts.ts';
import * as repo from './signin.repository.ts';
import type { Attempts } from './attempts.ts';
import type { Factors } from './factors.ts';
import { signInErrors } from './signin.errors.ts';
import type { Passkeys, RelyingParty } from './passkeys.ts';
import type { RiskReason, SecondStepMethod } from './risk.ts';
import { challengeLifecycle, MAX_ATTEMPTS, type ChallengeState } from './sign-in.lifecycle.ts';
import { challengeHash, type SignInPath, type SignInResult } from './sign-in.ts';
import { clock } from '../../kernel/clock.ts';

export { MAX_ATTEMPTS };
const MAX_SENDS = 3;

export interface Challenge {
  id: string;
  subject_id: string;
  first_factor: string;
  device: string;
  device_hash: Buffer | null;
  place_token: Buffer | null;
  failed_before: number;
  reasons: RiskReason[];
  methods: SecondStepMethod[];
  sms_code_hash: Buffer | null;
  sms_sent_recently: boolean;
  sms_sends: number;
  webauthn_challenge: string | null;
  attempts: number;
  expires_at: Date;
  state: ChallengeState;
}

export function createSecondStep(deps: {
  db: Database;
  audit: AuditService;
  sms: SmsGateway;
  alerts: Alerts;
  factors: Factors;
  passkeys: Passkeys;
  path: SignInPath;
  keyedHash: (data: string) => Buffer;
  attempts: Attempts;
}) {
  const { db } = deps;

  async function load(token: string | undefined, method?: SecondStepMethod): Promise<Challenge> {
    const c = token ? await repo.openChallenge(db, challengeHash(token)) : undefined;
    if (!c) throw new AppError(signInErrors.second_step_expired);
    if (c.attempts >= MAX_ATTEMPTS) throw new AppError(signInErrors.second_step_locked);
    if (method && !c.methods.includes(method)) throw new AppError(signInErrors.second_step_method, method);
    return c;
  }

  async function wrong(
    c: Challenge,
    method: SecondStepMethod,
    requestId: string,
    locale: string,
  ): Promise<never> {
    const to = challengeLifecycle.next(c.state, c.attempts + 1 >= MAX_ATTEMPTS ? 'lock' : 'fail');
    await repo.challengeFailed(db, c.id, c.state, to);
    const { alert } = await deps.attempts.secondStepFailed(c.subject_id);
    if (alert) {
      await deps.alerts.secondStepFailures(c.subject_id, {
        device: c.device,
        method: c.first_factor,
        locale,
        requestId,
      });
    }
    await deps.audit.append(db, {
      actor: { type: 'anonymous' },
      action: 'identity.second_step_failed',
      subject: { type: 'person', id: c.subject_id },
      purpose: 'account-security',
      clause: 'P7.3',
      detail: { method, attempt: c.attempts + 1 },
      requestId,
    });
    throw new AppError(
      c.attempts + 1 >= MAX_ATTEMPTS ? signInErrors.second_step_locked : signInErrors.code_invalid,
    );
  }

  async function pass(c: Challenge, method: SecondStepMethod, requestId: string, locale: string) {
    const to = challengeLifecycle.next(c.state, 'pass', {
      attempts: c.attempts,
      expiresAt: c.expires_at,
      now: clock.date(),
    });
    if (!(await repo.challengePassed(db, c.id, c.state, to, MAX_ATTEMPTS)))
      throw new AppError(signInErrors.second_step_expired); // raced with another use
    return deps.path.grant({
      subjectId: c.subject_id,
      firstFactor: c.first_factor,
      secondStep: method,
      device: c.device,
      deviceHash: c.device_hash ?? undefined,
      placeToken: c.place_token ?? undefined,
      failedBefore: c.failed_before,
      reasons: c.reasons,
      deviceKnown: false,
      requestId,
      locale,
    });
  }

  return {
    /** What the second-step page offers. */
    async pending(
      token: string | undefined,
    ): Promise<{ methods: SecondStepMethod[]; reasons: RiskReason[] }> {
      const c = await load(token);
      return { methods: c.methods, reasons: c.reasons };
    },

    async sendSms(token: string | undefined, locale: string, requestId: string): Promise<void> {
      const c = await load(token, 'sms');
      if (c.sms_sent_recently || c.sms_sends >= MAX_SENDS) throw new AppError(signInErrors.too_many_codes);
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      await repo.challengeSmsSent(db, c.id, deps.keyedHash(`step:${c.id}:${code}`));
      const to = await deps.alerts.phoneOf(c.subject_id, requestId);
      if (!to) throw new AppError(signInErrors.second_step_method, 'sms');
      try {
        await deps.sms.send({ to, template: 'verification-code', params: { code }, locale });
      } catch (err) {
        if (err instanceof SmsUnavailable) throw new AppError(signInErrors.sms_unavailable);
        throw err;
      }
    },

    /** TOTP, recovery code or SMS code. */
    async withCode(
      token: string | undefined,
      method: 'totp' | 'recovery-code' | 'sms',
      code: string,
      requestId: string,
      locale: string,
    ): Promise<SignInResult> {
      const c = await load(token, method);
      // Before the answer is looked at: a right code given too soon is not used up either.
      await deps.attempts.beforeSecondStep(c.subject_id);
      const ok =
        method === 'totp'
          ? await deps.factors.useTotp(c.subject_id, code)
          : method === 'recovery-code'
            ? await deps.factors.useRecoveryCode(c.subject_id, code)
            : !!c.sms_code_hash &&
              /^\d{6}$/.test(code.trim()) &&
              timingSafeEqual(c.sms_code_hash, deps.keyedHash(`step:${c.id}:${code.trim()}`));
      if (!ok) return wrong(c, method, requestId, locale);
      return pass(c, method, requestId, locale);
    },

    async passkeyOptions(token: string | undefined, rp: RelyingParty) {
      const c = await load(token, 'passkey');
      const options = await deps.passkeys.assertionOptions(c.subject_id, rp);
      await repo.challengeWebauthn(db, c.id, options.challenge);
      return options;
    },

    async withPasskey(
      token: string | undefined,
      response: AuthenticationResponseJSON,
      rp: RelyingParty,
      requestId: string,
      locale: string,
    ): Promise<SignInResult> {
      const c = await load(token, 'passkey');
      if (!c.webauthn_challenge) throw new AppError(signInErrors.passkey_failed, 'no options asked');
      await deps.attempts.beforeSecondStep(c.subject_id);
      try {
        await deps.passkeys.verify(response, c.webauthn_challenge, rp, c.subject_id);
      } catch (err) {
        if (err instanceof AppError && err.code === signInErrors.passkey_failed) {
          await wrong(c, 'passkey', requestId, locale).catch(() => undefined);
        }
        throw err;
      }
      return pass(c, 'passkey', requestId, locale);
    },
  };
}

export type SecondStep = ReturnType<typeof createSecondStep>;

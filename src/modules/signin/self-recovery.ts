/**
 * A lost phone, recovered without the service hall (issue 14 item 1; P8.1.correct, P7.3):
 * for an account at L1 or L2 whose holder still has a second factor (an authenticator app
 * or a recovery code). The person proves the new number (a code to it), who they are (name
 * and ID number, checked against the account and the population registry) and that the
 * account is theirs (the second factor, which knowing the name and ID number does not give).
 *
 * Rules:
 * - One refusal for everything about the account (no account with that ID number, another
 *   name, no second factor, a wrong factor, a registry mismatch): `recovery_not_confirmed`,
 *   which says where to go instead (the service hall; face check at L3), so the answer tells
 *   a stranger nothing about whether, or how, a number is registered. Only the code to the
 *   caller's own new number, and a number another account holds, are refused on their own.
 * - Guesses are counted per account like second-step answers (a wrong factor slows the
 *   account's next answers, `second_step_slowed`), and per ID number per day
 *   (`recoveryPerIdNumber`), before anything is looked at.
 * - L3 and L4 accounts are recovered at the level they hold: face check or the service hall
 *   (`recovery_needs_level`, said only after the factor held).
 * - Then the number is bound as at the hall (phone-rebind.ts): every session and grant
 *   ended, audited (`identity.phone_recovered`, `self-service`), the person told.
 */
import type { Database } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import type { SmsGateway } from '../../adapters/sms.ts';
import type { Limit, Limiter } from '../../shared/limits.ts';
import { accountErrors, normaliseMobile, overview } from '../account/index.ts';
import type { AuditService } from '../audit/index.ts';
import type { ProviderSessions, CitizenSessions } from '../session/index.ts';
import type { VaultService } from '../vault/index.ts';
import type { Alerts } from './alerts.ts';
import type { Attempts } from './attempts.ts';
import type { Codes } from './codes.ts';
import type { Factors } from './factors.ts';
import { signInErrors } from './signin.errors.ts';
import { rebindPhone } from './phone-rebind.ts';

const DAY = 86_400;
/** Tries per ID number and day, whatever their outcome. */
export const recoveryPerIdNumber: Limit = { name: 'phone-recovery', points: 5, seconds: DAY };

export interface RecoveryContext {
  locale: string;
  requestId: string;
  source?: string;
  device: string;
}

/** Whether the population registry confirms the account's name and ID number (verification's partner call). */
export type RegistryCheck = (subjectId: string, requestId: string) => Promise<boolean>;

const sameName = (a: string, b: string) => a.replace(/\s+/g, '') === b.replace(/\s+/g, '');

export function createSelfRecovery(deps: {
  db: Database;
  audit: AuditService;
  vault: VaultService;
  sessions: CitizenSessions;
  provider: ProviderSessions;
  alerts: Alerts;
  codes: Codes;
  attempts: Attempts;
  factors: Factors;
  limiter: Limiter;
  sms: SmsGateway;
}) {
  const { db, vault, codes } = deps;
  let registry: RegistryCheck | undefined;
  const token = (phone: string) => vault.lookupToken('phone', phone);
  const notConfirmed = () => new AppError(signInErrors.recovery_not_confirmed);
  const mobile = (typed: string) => {
    const phone = normaliseMobile(typed);
    if (!phone)
      throw new AppError(accountErrors.invalid_phone, undefined, [{ path: 'phone', message: 'format' }]);
    return phone;
  };

  return {
    /** Bound by the wiring once verification exists (it owns the partner calls). */
    useRegistry(check: RegistryCheck) {
      registry = check;
    },

    /** A code to the new number, within that number's anonymous budget. */
    async sendCode(typed: string, c: RecoveryContext): Promise<string> {
      const phone = mobile(typed);
      const number = token(phone).toString('base64');
      await codes.send(phone, token(phone), 'phone-new', c.locale, () =>
        deps.attempts.beforeCode({ number, source: c.source ?? 'unknown' }),
      );
      return phone;
    },

    async recover(
      typed: { phone: string; code: string; name: string; idNumber: string; factor: string },
      c: RecoveryContext,
    ): Promise<void> {
      if (!registry) throw new Error('self-service recovery needs the registry check (useRegistry)');
      const phone = mobile(typed.phone);
      await codes.consume(token(phone), 'phone-new', typed.code.trim());
      const idNumber = typed.idNumber.trim().toUpperCase();
      if (!/^\d{17}[\dX]$/.test(idNumber)) throw notConfirmed();
      if (
        !(
          await deps.limiter.hit(
            recoveryPerIdNumber,
            vault.lookupToken('id_number', idNumber).toString('base64'),
          )
        ).allowed
      )
        throw new AppError(signInErrors.too_many_codes);
      const [subjectId] = await vault.findSubject('id_number', idNumber);
      if (!subjectId) throw notConfirmed();
      const account = await overview(db, subjectId);
      if (!account) throw notConfirmed();
      await deps.attempts.beforeSecondStep(subjectId);
      const factor = typed.factor.trim().toUpperCase();
      const by = /^\d{6}$/.test(factor) ? 'totp' : 'recovery-code';
      const ok =
        factor.length > 0 &&
        (by === 'totp'
          ? await deps.factors.useTotp(subjectId, factor)
          : await deps.factors.useRecoveryCode(subjectId, factor));
      if (!ok) {
        await deps.attempts.secondStepFailed(subjectId);
        throw notConfirmed();
      }
      if (account.assurance_level >= 3) throw new AppError(signInErrors.recovery_needs_level);
      const { values } = await vault.read({
        subjectId,
        actor: { type: 'system', id: 'identity', label: 'system:identity' },
        purpose: 'account-security',
        basis: { type: 'necessity', service: 'phone-recovery' },
        fields: ['name'],
        requestId: c.requestId,
      });
      if (!values.name || !sameName(values.name, typed.name)) throw notConfirmed();
      if (!(await registry(subjectId, c.requestId))) throw notConfirmed();
      await rebindPhone(
        deps,
        {
          subjectId,
          phone,
          writer: { source: 'user', actor: { type: 'self', id: subjectId, label: 'self' } },
          auditActor: { type: 'citizen', id: subjectId },
          detail: { at: 'self-service', by },
        },
        c,
      );
    },
  };
}

export type SelfRecovery = ReturnType<typeof createSelfRecovery>;

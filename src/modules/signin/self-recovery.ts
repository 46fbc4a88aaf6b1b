/**
 * A lost phone, recovered without the service hall (issue 14 item 1; P8.1.correct, P7.3).
 * The person proves the new number (a code to it) and names the account (name and ID
 * number). At L1 or L2 they prove it is theirs with a second factor (an authenticator app or
 * a recovery code, which knowing the name and ID number does not give) and the population
 * registry confirms the name and number; at L3 with a live capture compared with the
 * registry photo, as when the account reached L3.
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
 * - Each account is recovered at the level it holds: a second factor never recovers L3 or L4,
 *   a face never recovers below L3 (no capture is sent), and L4 goes to the service hall
 *   (`recovery_needs_level`, said only after the factor or the face held). A face that does
 *   not match counts like a wrong factor.
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

/** Whether a live capture shows the registry's person for the account (verification's partner calls); zeroes the image. */
export type FaceCheck = (subjectId: string, image: Buffer, requestId: string) => Promise<boolean>;

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

  let face: FaceCheck | undefined;

  /** The new number's code, then the account the name and ID number claim, counted first. */
  const claimed = async (typed: { phone: string; code: string; idNumber: string }) => {
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
    return { phone, subjectId, account };
  };

  const sameNameAs = async (subjectId: string, typedName: string, c: RecoveryContext) => {
    const { values } = await vault.read({
      subjectId,
      actor: { type: 'system', id: 'identity', label: 'system:identity' },
      purpose: 'account-security',
      basis: { type: 'necessity', service: 'phone-recovery' },
      fields: ['name'],
      requestId: c.requestId,
    });
    if (!values.name || !sameName(values.name, typedName)) throw notConfirmed();
  };

  const rebind = (subjectId: string, phone: string, by: string, c: RecoveryContext) =>
    rebindPhone(
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

  return {
    /** Bound by the wiring once verification exists (it owns the partner calls). */
    useRegistry(check: RegistryCheck) {
      registry = check;
    },

    useFace(check: FaceCheck) {
      face = check;
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
      const { phone, subjectId, account } = await claimed(typed);
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
      await sameNameAs(subjectId, typed.name, c);
      if (!(await registry(subjectId, c.requestId))) throw notConfirmed();
      await rebind(subjectId, phone, by, c);
    },

    /**
     * An account at L3 proves its holder again the way it reached L3: a live capture compared
     * with the registry photo. Only L3: an L4 account goes to the hall, and an L1–L2 account
     * never proved a face (a squatter's account would otherwise open to the number's holder).
     */
    async recoverByFace(
      typed: { phone: string; code: string; name: string; idNumber: string; image: Buffer },
      c: RecoveryContext,
    ): Promise<void> {
      if (!face) throw new Error('recovery by face needs the face check (useFace)');
      try {
        const { phone, subjectId, account } = await claimed(typed);
        // Below L3 no capture is sent anywhere: the refusal is the one for every other cause.
        if (account.assurance_level < 3) throw notConfirmed();
        await sameNameAs(subjectId, typed.name, c);
        if (!(await face(subjectId, typed.image, c.requestId))) {
          await deps.attempts.secondStepFailed(subjectId);
          throw notConfirmed();
        }
        if (account.assurance_level > 3) throw new AppError(signInErrors.recovery_needs_level);
        await rebind(subjectId, phone, 'face-match', c);
      } finally {
        typed.image.fill(0);
      }
    },
  };
}

export type SelfRecovery = ReturnType<typeof createSelfRecovery>;

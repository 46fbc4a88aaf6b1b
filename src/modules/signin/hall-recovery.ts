/**
 * A lost phone, recovered at the service hall (issue 14 item 1; P8.1.correct, P7.3): the
 * person cannot receive a code on their number, so the number they can receive one on is
 * bound to their account by service-hall staff, after the in-person checks of their
 * document and face (the L4 checks, whatever level the account holds).
 *
 * Rules:
 * - Only a role that may use data for real-name verification; the page looks the account up
 *   by ID number after the checks (verification's reclaim look-up) and names the account it
 *   binds to.
 * - The new number proves itself: a code goes to it (purpose `phone-new`, that number's
 *   anonymous daily budget), the person reads it out, staff type it. A number another account
 *   holds cannot be used (`phone_unusable`), said only after its code came back.
 * - In one transaction: the vault's phone replaced (its blind index with it: the new number
 *   signs in, the old one no longer does), every portal session ended, every provider session
 *   and grant ended (the services hear it by back channel), audited
 *   (`identity.phone_recovered`, staff actor), and the person told: listed with their alerts and
 *   texted to the new number, and by mail and push where they chose them. After the commit the
 *   old number is told directly, best effort (whoever holds the lost phone learns it stopped
 *   working for this account).
 */
import type { Database } from '../../kernel/db/database.ts';
import { AppError, httpErrors } from '../../kernel/errors.ts';
import type { SmsGateway } from '../../adapters/sms.ts';
import { accountErrors, normaliseMobile, overview } from '../account/index.ts';
import type { AuditService } from '../audit/index.ts';
import { mayUseFor } from '../inventory/index.ts';
import type { ProviderSessions, CitizenSessions } from '../session/index.ts';
import { staffActor, type VaultService } from '../vault/index.ts';
import type { Alerts } from './alerts.ts';
import type { Attempts } from './attempts.ts';
import type { Codes } from './codes.ts';
import { signInErrors } from './signin.errors.ts';
import { rebindPhone } from './phone-rebind.ts';

export interface HallStaff {
  id: string;
  role: string;
}

export interface HallContext {
  locale: string;
  requestId: string;
  /** The hall's address, counted like any other source. */
  source?: string;
  /** The counter's device label, for the person's alert list. */
  device: string;
}

export function createHallRecovery(deps: {
  db: Database;
  audit: AuditService;
  vault: VaultService;
  sessions: CitizenSessions;
  provider: ProviderSessions;
  alerts: Alerts;
  codes: Codes;
  attempts: Attempts;
  sms: SmsGateway;
}) {
  const { db, vault, codes } = deps;
  const token = (phone: string) => vault.lookupToken('phone', phone);
  const mayRecover = (staff: HallStaff) => {
    if (!mayUseFor(staff.role as never, 'real-name-verification'))
      throw new AppError(httpErrors.forbidden, `role ${staff.role} may not bind phones`);
  };
  const mobile = (typed: string) => {
    const phone = normaliseMobile(typed);
    if (!phone)
      throw new AppError(accountErrors.invalid_phone, undefined, [{ path: 'phone', message: 'format' }]);
    return phone;
  };
  const known = async (subjectId: string) => {
    if (!(await overview(db, subjectId))) throw new AppError(signInErrors.code_invalid);
  };

  return {
    /** A code to the number the person can receive on. */
    async sendCode(staff: HallStaff, subjectId: string, typed: string, c: HallContext): Promise<string> {
      mayRecover(staff);
      await known(subjectId);
      const phone = mobile(typed);
      const number = token(phone).toString('base64');
      await codes.send(phone, token(phone), 'phone-new', c.locale, () =>
        deps.attempts.beforeCode({ number, source: c.source ?? 'unknown' }),
      );
      return phone;
    },

    /** The code read out at the counter: the number is bound, every session ends, the person is told. */
    async bind(staff: HallStaff, subjectId: string, typed: { phone: string; code: string }, c: HallContext) {
      mayRecover(staff);
      await known(subjectId);
      const phone = mobile(typed.phone);
      await codes.consume(token(phone), 'phone-new', typed.code.trim());
      await rebindPhone(
        deps,
        {
          subjectId,
          phone,
          writer: { source: 'staff', actor: staffActor(staff as never) },
          auditActor: { type: 'staff', id: staff.id },
          detail: { at: 'service-hall' },
        },
        c,
      );
    },
  };
}

export type HallRecovery = ReturnType<typeof createHallRecovery>;

/**
 * What the staff console may do with a citizen account: look it up and unlock it.
 *
 * Rules:
 * - P7.2 least privilege: only a role that may use personal data for "customer-support"
 *   (support, dpo) may look up or unlock; administrators and auditors may not.
 * - P4 the person's name and phone are read through the vault with the purpose
 *   "customer-support" and a ticket reference as the basis, so the read is recorded and the
 *   person sees it in "who accessed my data"; the ID number is never shown (outside the
 *   purpose's categories), the phone is shown masked.
 * - Finding the account by phone or ID number uses the vault's blind index: no other
 *   person's data is decrypted on the way.
 * - P7.3 unlocking clears the failure count and starts the number's password counters
 *   afresh (attempts.ts: every source and device); it is audited with the staff member and
 *   ticket, in the same transaction as the failure count.
 */
import type { Database } from '../../kernel/db/database.ts';
import { AppError, httpErrors } from '../../kernel/errors.ts';
import type { AuditService } from '../audit/index.ts';
import { mayUseFor, type StaffMember } from '../staff/index.ts';
import { staffActor, type VaultService } from '../vault/index.ts';
import { supportErrors } from './support.errors.ts';
import { createAttempts } from '../signin/index.ts';
import type { Limiter } from '../../shared/limits.ts';
import { clearFailures, overview } from '../account/index.ts';
import { liveCount } from '../session/index.ts';
import { clock } from '../../kernel/clock.ts';

export interface AccountSummary {
  subjectId: string;
  name: string | null;
  /** Only the first three and last four digits. */
  phoneMasked: string | null;
  assuranceLevel: number;
  lockedUntil: Date | null;
  failedLogins: number;
  activeSessions: number;
  createdAt: Date;
}

export interface LookupQuery {
  by: 'phone' | 'id_number';
  value: string;
  /** The support ticket or call reference the look-up serves (recorded as the basis). */
  ticket: string;
}

export interface AccountSupport {
  lookup(staff: StaffMember, q: LookupQuery, requestId: string): Promise<AccountSummary>;
  unlock(staff: StaffMember, subjectId: string, ticket: string, requestId: string): Promise<AccountSummary>;
  /** The account found before, again (a step on it: the role and ticket checked, the read audited). */
  account(staff: StaffMember, subjectId: string, ticket: string, requestId: string): Promise<AccountSummary>;
}

const mask = (phone: string) => (phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****');

export function createAccountSupport(deps: {
  db: Database;
  audit: AuditService;
  vault: VaultService;
  limiter: Limiter;
}): AccountSupport {
  const { db, audit, vault } = deps;
  const attempts = createAttempts(deps.limiter);

  const allowed = (staff: StaffMember) => {
    if (!mayUseFor(staff.role, 'customer-support'))
      throw new AppError(httpErrors.forbidden, `role ${staff.role} may not use data for customer-support`);
  };
  const ticketOk = (ticket: string) => {
    const t = ticket.trim();
    if (t.length < 3 || t.length > 100) throw new AppError(supportErrors.ticket_required);
    return t;
  };

  async function summary(
    staff: StaffMember,
    subjectId: string,
    ticket: string,
    requestId: string,
  ): Promise<AccountSummary & { phone?: string | undefined }> {
    const found = await overview(db, subjectId);
    if (!found) throw new AppError(supportErrors.account_not_found);
    const acc = { ...found, sessions: await liveCount(db, subjectId) };
    const { values } = await vault.read({
      subjectId,
      actor: staffActor(staff),
      purpose: 'customer-support',
      basis: { type: 'necessity', service: `customer-support ticket ${ticket}` },
      fields: ['name', 'phone'],
      requestId,
    });
    return {
      phone: values.phone,
      subjectId,
      name: values.name ?? null,
      phoneMasked: values.phone ? mask(values.phone) : null,
      assuranceLevel: acc.assurance_level,
      lockedUntil: acc.locked_until && acc.locked_until > clock.date() ? acc.locked_until : null,
      failedLogins: acc.failed_logins,
      activeSessions: acc.sessions,
      createdAt: acc.created_at,
    };
  }

  return {
    async lookup(staff, q, requestId) {
      allowed(staff);
      const ticket = ticketOk(q.ticket);
      const value = q.by === 'id_number' ? q.value.trim().toUpperCase() : q.value.trim();
      const [subjectId] = value ? await vault.findSubject(q.by, value) : [];
      if (!subjectId) throw new AppError(supportErrors.account_not_found);
      const { phone, ...view } = await summary(staff, subjectId, ticket, requestId);
      void phone; // never returned: the console shows the masked number only
      return view;
    },

    async account(staff, subjectId, ticketIn, requestId) {
      allowed(staff);
      const ticket = ticketOk(ticketIn);
      if (!/^[0-9a-f-]{36}$/i.test(subjectId)) throw new AppError(supportErrors.account_not_found);
      const { phone, ...view } = await summary(staff, subjectId, ticket, requestId);
      void phone;
      return view;
    },

    async unlock(staff, subjectId, ticketIn, requestId) {
      allowed(staff);
      const ticket = ticketOk(ticketIn);
      if (!/^[0-9a-f-]{36}$/i.test(subjectId)) throw new AppError(supportErrors.account_not_found);
      const done = await db.tx(async (q) => {
        if (!(await clearFailures(q, subjectId))) return false;
        await audit.append(q, {
          actor: { type: 'staff', id: staff.id },
          action: 'identity.unlocked_by_staff',
          subject: { type: 'person', id: subjectId },
          purpose: 'customer-support',
          clause: 'P7.3',
          detail: { ticket, role: staff.role },
          requestId,
        });
        return true;
      });
      if (!done) throw new AppError(supportErrors.account_not_found);
      const { phone, ...view } = await summary(staff, subjectId, ticket, requestId);
      if (phone) await attempts.unlockNumber(vault.lookupToken('phone', phone).toString('base64'));
      return view;
    },
  };
}

/**
 * Taking back an ID number someone else registered (issue 14 item 10): anyone may open an
 * account at L1 with any valid ID number, so the real holder can meet "an account cannot be
 * opened with these details". At the service hall, after checking the person's document and
 * face, staff see which account holds the number (masked phone, level, since when) and
 * confirm it is not the person's own (the name it gave, its level, when it was opened: the
 * read is in that account's access log); an account that never proved the number (L1) then
 * loses it, the holding account is told, and the person registers with their number.
 *
 * Rules:
 * - Only a role that may use data for real-name verification, with the document checked and
 *   the face compared (the same checks as an in-person verification).
 * - Two steps: `holderOf` shows the account; `release` names the account the staff member
 *   saw and is refused if the number moved since (another account holds it now).
 * - An account that proved the number (L2 or above) keeps it: this is not a desk decision
 *   (`verification.holder_verified`, P2.1); the person goes through support.
 * - The holder's ID number value and its lookup token go (vault erase); their name stays, the
 *   account stays at L1, and the holder is told by SMS and in their inbox (`security-change`,
 *   `id-number-released`). Audited on the holder.
 * - Nothing is said to a caller without the staff role: the console's guard and the role
 *   check come before any look-up, so the page is no way to learn who holds a number.
 */
import type { Database } from '../../kernel/db/database.ts';
import { clock } from '../../kernel/clock.ts';
import { AppError } from '../../kernel/errors.ts';
import { accountErrors, assuranceLevel, overview, parseIdNumber } from '../account/index.ts';
import type { AuditService } from '../audit/index.ts';
import { mayUseFor } from '../inventory/index.ts';
import { beijingMinute, type Outbox } from '../notify/index.ts';
import type { StaffMember } from '../staff/index.ts';
import { staffActor, type VaultService } from '../vault/index.ts';
import { documentKinds } from './verification.documents.ts';
import { httpErrors } from '../../kernel/errors.ts';
import { verificationErrors } from './verification.errors.ts';

export interface HeldNumber {
  subjectId: string;
  level: number;
  /** The name the holding account gave (read for real-name verification, logged). */
  name: string;
  since: Date;
}

export interface IdNumberReclaim {
  /** Which account holds the number, as the staff member must see it before releasing. */
  holderOf(
    staff: StaffMember,
    r: { idNumber: string; documentKind: string; faceCompared: boolean },
    requestId: string,
  ): Promise<HeldNumber | null>;
  /** Takes the number off the account the staff member saw. */
  release(
    staff: StaffMember,
    r: { idNumber: string; documentKind: string; faceCompared: boolean; holder: string },
    requestId: string,
  ): Promise<void>;
}

export function createIdNumberReclaim(deps: {
  db: Database;
  audit: AuditService;
  vault: VaultService;
  outbox: Pick<Outbox, 'enqueue'>;
}): IdNumberReclaim {
  const { db, audit, vault } = deps;

  const checked = (
    staff: StaffMember,
    r: { idNumber: string; documentKind: string; faceCompared: boolean },
  ) => {
    if (!mayUseFor(staff.role, 'real-name-verification'))
      throw new AppError(httpErrors.forbidden, `role ${staff.role} may not release ID numbers`);
    if (!(documentKinds as readonly string[]).includes(r.documentKind) || !r.faceCompared)
      throw new AppError(verificationErrors.document_required);
    const id = parseIdNumber(r.idNumber);
    if ('problem' in id) throw new AppError(accountErrors.invalid_id_number, id.problem);
    return id.value;
  };

  const holderOf = async (
    staff: StaffMember,
    idNumber: string,
    requestId: string,
  ): Promise<HeldNumber | null> => {
    const [subjectId] = await vault.findSubject('id_number', idNumber);
    if (!subjectId) return null;
    const account = await overview(db, subjectId);
    if (!account) return null;
    const { values } = await vault.read({
      subjectId,
      actor: staffActor(staff),
      purpose: 'real-name-verification',
      basis: { type: 'necessity', service: 'verification-in-person' },
      fields: ['name'],
      requestId,
    });
    return {
      subjectId,
      level: account.assurance_level,
      name: String(values.name ?? ''),
      since: account.created_at,
    };
  };

  return {
    async holderOf(staff, r, requestId) {
      return holderOf(staff, checked(staff, r), requestId);
    },

    async release(staff, r, requestId) {
      const idNumber = checked(staff, r);
      const [holder] = await vault.findSubject('id_number', idNumber);
      if (!holder || holder !== r.holder) throw new AppError(verificationErrors.holder_changed);
      const actor = { type: 'staff' as const, id: staff.id };
      await db.tx(async (q) => {
        if ((await assuranceLevel(q, holder)) >= 2) throw new AppError(verificationErrors.holder_verified);
        await vault.erase(
          holder,
          ['id_number'],
          { actor: staffActor(staff), reason: 'number-reclaimed', clause: 'P2.1', requestId },
          q,
        );
        await audit.append(q, {
          actor,
          action: 'verification.id_number_released',
          subject: { type: 'person', id: holder },
          purpose: 'real-name-verification',
          clause: 'P2.1',
          detail: { documentKind: r.documentKind, staffRole: staff.role },
          requestId,
        });
        await deps.outbox.enqueue(q, {
          subjectId: holder,
          template: 'security-change',
          params: { time: beijingMinute(clock.date()), change: 'id-number-released' },
          locale: 'zh-CN',
        });
      });
    },
  };
}

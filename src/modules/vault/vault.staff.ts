/**
 * Staff inside the vault: least privilege enforced where the data is, not only in routes.
 *
 * Rules (P7.2.roles: staff hold least-privilege roles):
 * - A staff actor is made only by `staffActor`, from a staff member's role; it carries that
 *   role, and the type system refuses a staff actor written by hand.
 * - Every read by a staff actor (read, share, transfer, disclosure) is checked against the
 *   role → purpose table (`staffRolePurposes` in the inventory) before anything is loaded;
 *   a purpose the role does not hold, or a role the table does not know, is refused with
 *   `vault.role_excludes_purpose`, and the refusal is audited like every vault refusal.
 */
import { AppError } from '../../kernel/errors.ts';
import { mayUseFor, type StaffRole } from '../inventory/index.ts';
import { vaultErrors } from './vault.errors.ts';
import type { StaffActor } from './vault.types.ts';

export function staffActor(member: { id: string; role: StaffRole }): StaffActor {
  return { type: 'staff', id: member.id, label: `role:${member.role}`, role: member.role } as StaffActor;
}

export function checkStaffPurpose(actor: StaffActor, purpose: string): void {
  if (!mayUseFor(actor.role, purpose))
    throw new AppError(
      vaultErrors.role_excludes_purpose,
      `role ${actor.role} may not use data for ${purpose}`,
    );
}

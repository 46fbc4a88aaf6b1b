/**
 * The person's assurance level, owned by identity (`citizen_account.assurance_level`).
 *
 *   L1  mobile number confirmed by SMS code (registration)
 *   L2  name and ID number confirmed by the population registry
 *   L3  live face matched with the registry photo
 *   L4  bank-card four-element check, or an in-person check at a service hall
 *
 * Rules:
 * - P2.1 the level changes only inside the caller's transaction, together with the
 *   decision that justifies it, and every change is audited there (from, to, reason).
 * - A corrected name or ID number lowers the level to L1 until verified again.
 */
import type { Queryable } from '../../kernel/db/database.ts';
import type { AuditEntryInput, AuditService } from '../audit/index.ts';
import * as repo from './account.repository.ts';

export type AssuranceLevel = 1 | 2 | 3 | 4;

export interface AssuranceChange {
  subjectId: string;
  level: AssuranceLevel;
  /** Code of the reason: `verified:population-registry`, `corrected:id_number`, … */
  reason: string;
  actor: AuditEntryInput['actor'];
  clause?: string;
  requestId?: string | undefined;
}

/** The person's current level, or 0 when there is no such account. */
export async function assuranceLevel(db: Queryable, subjectId: string): Promise<number> {
  return (await repo.levelOf(db, subjectId)) ?? 0;
}

/**
 * Sets the level inside the caller's transaction `q`, audited there. Returns the previous
 * level, or undefined if there is no such account (nothing is changed then).
 */
export async function setAssuranceLevel(
  q: Queryable,
  audit: AuditService,
  c: AssuranceChange,
): Promise<AssuranceLevel | undefined> {
  const from = (await repo.levelOf(q, c.subjectId, { forUpdate: true })) as AssuranceLevel | undefined;
  if (from === undefined) return undefined;
  if (from !== c.level) {
    await repo.setLevel(q, c.subjectId, c.level);
    await audit.append(q, {
      actor: c.actor,
      action: 'identity.assurance_changed',
      subject: { type: 'person', id: c.subjectId },
      purpose: 'real-name-verification',
      clause: c.clause ?? 'P2.1',
      detail: { from, to: c.level, reason: c.reason },
      requestId: c.requestId ?? null,
    });
  }
  return from;
}

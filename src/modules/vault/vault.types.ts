/** The vocabulary of a personal-data use: who, for what, on which basis. */
import type { Field, PurposeId, StaffRole } from '../inventory/index.ts';

export type ActorKind = 'self' | 'staff' | 'department' | 'partner' | 'system';

export type Actor = OtherActor | StaffActor;

export interface OtherActor {
  type: Exclude<ActorKind, 'staff'>;
  id: string;
  /** Stable code shown to the person in "who accessed my data": `role:support`, `department:tax`, `partner:face-id`. */
  label: string;
}

/** Only `staffActor` (vault.staff.ts) makes one: a staff actor written by hand does not type-check. */
declare const fromRoleTable: unique symbol;

/** A staff member, with the role the vault checks every read against (P7.2.roles). */
export interface StaffActor {
  type: 'staff';
  id: string;
  /** `role:<role>`, shown to the person in "who accessed my data". */
  label: string;
  role: StaffRole;
  readonly [fromRoleTable]: true;
}

/** The legal basis a use of personal data rests on (P5.1.x, PIPL art. 13). */
export type Basis =
  | { type: 'self' }
  | { type: 'consent'; consentId: string }
  | { type: 'necessity'; service: string }
  | { type: 'legal-obligation'; authority: string; reference: string }
  | { type: 'dispute'; caseId: string }
  | { type: 'safety'; reason: string };

/** Why values were erased: a code, recorded in the audit detail (which holds codes only). */
/** Why values are erased; `number-reclaimed`: an ID number its real holder took back (P2.1). */
export type ErasureReason = 'person-request' | 'retention-ended' | 'account-closed' | 'number-reclaimed';

export interface ReadRequest {
  subjectId: string;
  actor: Actor;
  purpose: PurposeId;
  basis: Basis;
  fields: readonly Field[];
  /** An application's compartment (P2.4); without it, the person's own values. */
  compartment?: string;
  requestId?: string;
}

export interface ReadResult {
  values: Partial<Record<Field, string>>;
  /** Requested fields not returned, each with the reason (data minimisation, absence). */
  withheld: { field: Field; reason: 'outside-purpose' | 'not-held' }[];
}

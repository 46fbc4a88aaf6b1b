/**
 * The audit-action catalogue: every action the platform writes to the audit log, the kinds
 * of actor that perform it, and the policy clauses its entries cite. Like the error
 * catalogue, it is the one declaration: `docs/audit-actions.md` is generated from it
 * (`npm run docs`, drift-checked), and `append` checks every entry against it.
 *
 * Rules (P7.2: audits; an entry means what this table says it means):
 * - `append` refuses an action that is not catalogued, an actor kind the action does not
 *   list, and a clause the action does not list (typed here, and refused at run time for
 *   what the types cannot see, such as a name built from a variable).
 * - An action name never changes meaning once written: entries outlive the code. Retire a
 *   name by leaving it here, marked, rather than reusing it.
 * - A refusal cites the clause of the error that refused (`clauses: 'of-refusal'`).
 */

export type ActorType = 'citizen' | 'staff' | 'department' | 'partner' | 'system' | 'anonymous';

export interface AuditActionSpec {
  /** Who performs it. */
  readonly actors: readonly ActorType[];
  /** The clauses an entry may cite (`null`: none); 'of-refusal': the refusing error's clause. */
  readonly clauses: readonly (string | null)[] | 'of-refusal';
  /** What an entry records, for docs/audit-actions.md (identifiers and codes only). */
  readonly records: string;
}

const citizen = ['citizen'] as const;
const anonymous = ['anonymous'] as const;
const staff = ['staff'] as const;
const staffOrSystem = ['staff', 'system'] as const;
/** The actors of the vault: the person, staff, a department, a partner, a platform job. */
const vaultActors = ['citizen', 'staff', 'department', 'partner', 'system'] as const;
const system = ['system'] as const;

export const auditActions = {
  'catalogue.demo_seeded': {
    actors: system,
    clauses: [null],
    records: 'The demo service catalogue was seeded (development first start)',
  },
  'catalogue.relying_party_registered': {
    actors: staffOrSystem,
    clauses: ['P1.2'],
    records: 'A department service was registered as a relying party: fields, purposes, level, redirects',
  },
  'catalogue.relying_party_changed': {
    actors: staffOrSystem,
    clauses: ['P1.2'],
    records: 'A relying party’s registration was changed',
  },

  'company.agent_authorised': {
    actors: citizen,
    clauses: [null],
    records: 'A company’s representative authorised an agent, with scopes and end date',
  },
  'company.agent_revoked': {
    actors: citizen,
    clauses: [null],
    records: 'An agent’s authorisation was revoked',
  },
  'company.acting_switched': {
    actors: citizen,
    clauses: [null],
    records: 'A person started or stopped acting for a company in their session',
  },
  'company.bind_refused': {
    actors: citizen,
    clauses: 'of-refusal',
    records: 'Binding a company was refused, with the error code',
  },
  'company.bound': {
    actors: citizen,
    clauses: ['P2.1'],
    records: 'The registry confirmed the person as legal representative and the company was bound',
  },

  'consent.given': {
    actors: ['citizen', 'staff', 'system'],
    clauses: ['P5.1.1', 'P5.2', 'P6.1'],
    records: 'A consent was given: kind, purpose, categories, recipient',
  },
  'consent.withdrawn': {
    actors: ['citizen', 'staff', 'system'],
    clauses: ['P8.5'],
    records: 'A consent was withdrawn',
  },

  'delivery.contact_given': {
    actors: citizen,
    clauses: ['P2.4'],
    records: 'A delivery contact was given for one application',
  },
  'delivery.closed': {
    actors: ['department'],
    clauses: ['P6.2'],
    records: 'The department closed a delivery; its retention clock starts',
  },
  'delivery.contact_erased': {
    actors: ['citizen', 'system'],
    clauses: ['P8.1', 'P6.2'],
    records: 'A delivery contact was erased, by the person or at the end of its retention',
  },

  'identity.registered': { actors: citizen, clauses: ['P2.1'], records: 'A person registered (level L1)' },
  'identity.registration_refused': {
    actors: anonymous,
    clauses: ['P7.3'],
    records: 'A registration with an ID number already registered was refused (on the owner’s account)',
  },
  'identity.account_closing': {
    actors: ['citizen', 'staff', 'system'],
    clauses: [null, 'P8.5'],
    records: 'An account began closing (lifecycle event and the state it left)',
  },
  'identity.account_closed': {
    actors: ['citizen', 'staff', 'system'],
    clauses: [null, 'P8.5'],
    records: 'An account was closed (lifecycle event and the state it left)',
  },
  'identity.account_active': {
    actors: ['citizen', 'staff', 'system'],
    clauses: [null, 'P8.5'],
    records: 'A closing account was made active again (lifecycle event and the state it left)',
  },
  'identity.login': {
    actors: citizen,
    clauses: ['P7.3'],
    records: 'A sign-in: method, session id, risk reasons',
  },
  'identity.login_failed': {
    actors: anonymous,
    clauses: ['P7.3'],
    records: 'A wrong password for an account, with the failure count',
  },
  'identity.login_alert': {
    actors: citizen,
    clauses: ['P7.3'],
    records: 'A sign-in raised a login alert to the person',
  },
  'identity.second_step_required': {
    actors: anonymous,
    clauses: ['P7.3'],
    records: 'A sign-in was held for a second step: reasons and methods offered',
  },
  'identity.second_step_failed': {
    actors: anonymous,
    clauses: ['P7.3'],
    records: 'A wrong second-step code, with the attempt number',
  },
  'identity.session_ended': { actors: citizen, clauses: ['P7.3'], records: 'The person ended one session' },
  'identity.other_sessions_ended': {
    actors: citizen,
    clauses: ['P7.3'],
    records: 'The person ended every other session',
  },
  'identity.password_reset': {
    actors: citizen,
    clauses: ['P7.3'],
    records: 'The password was reset with a phone code; other sessions ended',
  },
  'identity.reauthenticated': {
    actors: citizen,
    clauses: ['P7.3'],
    records: 'The person proved themself again before a sensitive change',
  },
  'identity.reauthentication_failed': {
    actors: citizen,
    clauses: ['P7.3'],
    records: 'A failed proof before a sensitive change',
  },
  'identity.factor_added': {
    actors: citizen,
    clauses: ['P7.3'],
    records: 'A second factor (authenticator app, passkey) was added',
  },
  'identity.factor_removed': { actors: citizen, clauses: ['P7.3'], records: 'A second factor was removed' },
  'identity.recovery_codes_generated': {
    actors: citizen,
    clauses: ['P7.3'],
    records: 'New recovery codes were generated (the old ones stop working)',
  },
  'identity.assurance_changed': {
    actors: ['citizen', 'staff', 'system'],
    clauses: ['P2.1'],
    records: 'The account’s assurance level changed: from, to, reason',
  },
  'identity.unlocked_by_staff': {
    actors: staff,
    clauses: ['P7.3'],
    records: 'A support agent unlocked an account, with the ticket',
  },

  'keys.rotated': {
    actors: system,
    clauses: ['P7.2'],
    records: 'The vault master key was rotated and the data keys rewrapped',
  },
  'oidc.signing_key_rotated': {
    actors: system,
    clauses: ['P7.2'],
    records: 'A new token signing key was made current',
  },

  'linked.linked': { actors: citizen, clauses: ['P7.1'], records: 'An outside account was linked' },
  'linked.unlinked': { actors: citizen, clauses: ['P7.1'], records: 'A linked account was unlinked' },
  'linked.login_refused': {
    actors: anonymous,
    clauses: ['P7.1'],
    records: 'A sign-in through an outside account that is linked to no one was refused',
  },

  'sharing.share': {
    actors: vaultActors,
    clauses: ['P5.1.1', 'P5.1.2', 'P5.1.3', 'P5.1.4'],
    records: 'Data was shared with a partner: partner, agreement, fields',
  },
  'sharing.transfer': {
    actors: vaultActors,
    clauses: ['P5.2'],
    records: 'Data was transferred to another organisation on its own consent',
  },
  'sharing.share_refused': { actors: vaultActors, clauses: 'of-refusal', records: 'A share was refused' },
  'sharing.transfer_refused': {
    actors: vaultActors,
    clauses: 'of-refusal',
    records: 'A transfer was refused',
  },
  'sharing.disclosed': {
    actors: vaultActors,
    clauses: ['P5.3.3'],
    records:
      'Data was disclosed on a legal order: authority, reference, any restriction on telling the person',
  },
  'notify.push_subscribed': {
    actors: citizen,
    clauses: ['P7.2i'],
    records: 'The person turned push notifications on in a browser (subscription id; never the endpoint)',
  },
  'notify.push_unsubscribed': {
    actors: citizen,
    clauses: ['P7.2i'],
    records: 'The person turned push notifications off in a browser (subscription id)',
  },
  'sharing.partner_registered': {
    actors: vaultActors,
    clauses: ['P5.1.4'],
    records: 'A partner was registered: agreement, region, allowed categories',
  },

  'transfer.campaign_drafted': {
    actors: staff,
    clauses: ['P5.3.2'],
    records:
      'A bulk transfer was drafted: receiving organisation (credit code), reason, categories, scope, notice period, planned date',
  },
  'transfer.notice_sent': {
    actors: staff,
    clauses: ['P5.3.2'],
    records: 'The transfer notice was given to the affected people: how many in all, how many newly told',
  },
  'transfer.notice_period_ended': {
    actors: staffOrSystem,
    clauses: ['P5.3.2'],
    records: 'A transfer’s notice period passed: the transfer may now be recorded',
  },
  'transfer.transferred': {
    actors: staff,
    clauses: ['P5.3.2'],
    records:
      'A bulk transfer was recorded as done: reference, people transferred, people left out on objection',
  },
  'transfer.transfer_refused': {
    actors: staff,
    clauses: 'of-refusal',
    records: 'Recording a bulk transfer was refused (before the notice, during the notice period, cancelled)',
  },
  'transfer.campaign_cancelled': {
    actors: staff,
    clauses: ['P5.3.2'],
    records: 'A bulk transfer was cancelled',
  },
  'transfer.objection_recorded': {
    actors: ['citizen', 'staff'],
    clauses: ['P5.3.2'],
    records: 'A person objected to a bulk transfer of their data: they are left out of it',
  },

  'incident.opened': {
    actors: staff,
    clauses: ['P7.2i'],
    records: 'A security incident was opened: operator type, data categories, how many systems, drill or not',
  },
  'incident.state_changed': {
    actors: staff,
    clauses: ['P7.2i'],
    records: 'An incident moved along its lifecycle (from, to)',
  },
  'incident.reopened': {
    actors: staff,
    clauses: ['P7.2i'],
    records: 'A closed incident was reopened for assessment (the reason is on its timeline)',
  },
  'incident.updated': {
    actors: staff,
    clauses: ['P7.2i'],
    records: 'The officer changed parts of an incident record (the names of the fields changed)',
  },
  'incident.severity_confirmed': {
    actors: staff,
    clauses: ['P7.2i'],
    records:
      'The officer confirmed an incident’s severity class (class, the suggested class, the previous one)',
  },
  'incident.scoped': {
    actors: staff,
    clauses: ['P7.2i'],
    records:
      'The people an incident affected were frozen: how many, the suggested class, the scope (window, categories, actors, how many named accounts)',
  },
  'incident.report_submitted': {
    actors: staff,
    clauses: ['P7.2i'],
    records:
      'The report to the cyberspace authority was recorded as submitted: channel, receipt reference, whether overdue',
  },
  'incident.report_reminded': {
    actors: system,
    clauses: ['P7.2i'],
    records:
      'Half of an incident’s report time had passed without a report: the clock job reminded (due time)',
  },
  'incident.report_escalated': {
    actors: system,
    clauses: ['P7.2i'],
    records: 'An incident’s report was overdue: the clock job escalated (due time)',
  },
  'incident.notice_sent': {
    actors: staff,
    clauses: ['P7.2i'],
    records:
      'The incident notice was given to the frozen audience (how many newly told; a drill tells nobody)',
  },
  'incident.step_refused': {
    actors: staff,
    clauses: 'of-refusal',
    records: 'A step on an incident was refused (the attempt and the refusal code)',
  },

  'staff.created': { actors: staffOrSystem, clauses: ['P7.2'], records: 'A staff account was created' },
  'staff.login_failed': {
    actors: anonymous,
    clauses: ['P7.2'],
    records: 'A wrong staff password (or an unknown e-mail)',
  },
  'staff.password_accepted': {
    actors: staff,
    clauses: ['P7.2'],
    records: 'A staff password was accepted; the next step (second factor or enrolment)',
  },
  'staff.second_factor_failed': {
    actors: staff,
    clauses: ['P7.2'],
    records: 'A wrong staff second-factor code',
  },
  'staff.factor_added': {
    actors: staff,
    clauses: ['P7.2'],
    records: 'A staff member enrolled an authenticator app',
  },
  'staff.factor_reset': {
    actors: staffOrSystem,
    clauses: ['P7.2'],
    records: 'A staff member’s second factor was removed and their sessions ended',
  },
  'staff.login': { actors: staff, clauses: ['P7.2'], records: 'A staff member signed in (both factors)' },
  'staff.logout': { actors: staff, clauses: [null], records: 'A staff member signed out' },
  'staff.password_changed': {
    actors: staff,
    clauses: ['P7.2'],
    records: 'A staff member changed their password',
  },
  'staff.password_change_failed': {
    actors: staff,
    clauses: ['P7.2'],
    records: 'A staff password change with a wrong current password',
  },

  'notify.email_added': {
    actors: citizen,
    clauses: ['P8.1', 'P8.1.correct'],
    records:
      'The person added an e-mail address (pending until its code comes back): the address row id and whether it replaces one, never the address',
  },
  'notify.email_code_resent': {
    actors: citizen,
    clauses: ['P8.1'],
    records: 'A new code was sent to the pending e-mail address: the address row id',
  },
  'notify.email_verified': {
    actors: citizen,
    clauses: ['P8.1', 'P8.1.correct'],
    records: 'A pending e-mail address was verified by its code: the row id and the row it replaced, if any',
  },
  'notify.email_cancelled': {
    actors: citizen,
    clauses: ['P8.1'],
    records: 'A pending e-mail address was cancelled before it was verified: the row id',
  },
  'notify.email_removed': {
    actors: citizen,
    clauses: ['P8.1.delete'],
    records: 'The person removed their verified e-mail address (its vault field erased): the row id',
  },
  'notify.mail_unsubscribed': {
    actors: citizen,
    clauses: ['P8.5'],
    records: 'Mail of one optional kind was switched off by the link in a mail (RFC 8058): the kind',
  },
  'vault.fields_written': {
    actors: vaultActors,
    clauses: ['P3.1'],
    records: 'Fields were written: names, source, application compartment (never the values)',
  },
  'vault.scope_erased': {
    actors: vaultActors,
    clauses: ['P8.1', 'P6.2'],
    records: 'Every value of one application’s compartment was erased, with the reason',
  },
  'vault.fields_erased': {
    actors: vaultActors,
    clauses: ['P8.1', 'P8.1.delete'],
    records: 'Some of the person’s own values were erased (field names and the reason, never the values)',
  },
  'vault.subject_shredded': {
    actors: vaultActors,
    clauses: ['P8.1'],
    records: 'A person’s data key was destroyed (crypto-shredding)',
  },
  'vault.read_refused': {
    actors: vaultActors,
    clauses: 'of-refusal',
    records: 'A read of personal data was refused: error code, fields asked',
  },
  'vault.share_refused': {
    actors: vaultActors,
    clauses: 'of-refusal',
    records: 'A read for a share was refused',
  },
  'vault.transfer_refused': {
    actors: vaultActors,
    clauses: 'of-refusal',
    records: 'A read for a transfer was refused',
  },
  'vault.disclose_refused': {
    actors: vaultActors,
    clauses: 'of-refusal',
    records: 'A read for a disclosure was refused',
  },

  'verification.started': {
    actors: ['citizen', 'staff'],
    clauses: ['P2.1'],
    records: 'A verification attempt started: level, method',
  },
  'verification.submitted': {
    actors: ['citizen', 'staff'],
    clauses: ['P2.1'],
    records: 'An attempt went to its partner (or was retried)',
  },
  'verification.matched': {
    actors: ['citizen', 'staff'],
    clauses: ['P2.1'],
    records: 'The partner confirmed the person',
  },
  'verification.mismatched': {
    actors: ['citizen', 'staff'],
    clauses: ['P2.1'],
    records: 'The partner did not confirm the person',
  },
  'verification.partner_error': {
    actors: ['citizen', 'staff'],
    clauses: ['P2.1'],
    records: 'The partner could not be reached; the attempt may be retried',
  },
  'verification.expired': { actors: system, clauses: ['P2.1'], records: 'An unfinished attempt expired' },
  'verification.corrected': {
    actors: citizen,
    clauses: ['P8.1'],
    records: 'The person corrected their name or ID number; the level went back to L1',
  },
  'verification.in_person_recorded': {
    actors: staff,
    clauses: ['P2.1'],
    records: 'Service-hall staff recorded an in-person verification: document kind, staff role',
  },
} as const satisfies Record<string, AuditActionSpec>;

export type AuditAction = keyof typeof auditActions;

/**
 * Why `entry` may not be appended under `catalogue`, or undefined when it may. Unknown
 * must fail: an action, actor kind or clause the catalogue does not list is refused.
 */
export function refusal(
  catalogue: Readonly<Record<string, AuditActionSpec>>,
  e: { action: string; actor: { type: string }; clause?: string | null | undefined },
): string | undefined {
  const spec = Object.hasOwn(catalogue, e.action) ? catalogue[e.action] : undefined;
  if (!spec) return `audit action "${e.action}" is not in the audit-action catalogue (audit.actions.ts)`;
  if (!(spec.actors as readonly string[]).includes(e.actor.type))
    return `audit action "${e.action}" is not performed by a ${e.actor.type} actor (catalogue: ${spec.actors.join(', ')})`;
  const clause = e.clause ?? null;
  if (spec.clauses !== 'of-refusal' && !spec.clauses.includes(clause))
    return `audit action "${e.action}" does not cite clause ${clause ?? 'none'} (catalogue: ${spec.clauses.map((c) => c ?? 'none').join(', ')})`;
  return undefined;
}

/**
 * The audit actor for a platform actor: the person acting on their own data is a
 * `citizen` in the log (the vault, consent and sharing call them `self`).
 */
export function auditActor(a: { type: 'self' | ActorType; id?: string | null }): {
  type: ActorType;
  id: string | null;
} {
  return { type: a.type === 'self' ? 'citizen' : a.type, id: a.id ?? null };
}

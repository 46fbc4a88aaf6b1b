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
  'activity.reported_not_me': {
    actors: ['citizen'],
    clauses: ['P7.3'],
    records:
      'The person said an entry of their activity was not them: the report, the entry (id and action); every session and grant ended, a new password required',
  },
  'activity.report_closed': {
    actors: ['staff'],
    clauses: ['P7.3'],
    records: 'Support closed a “this wasn’t me” report with a note (the report id)',
  },

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

  'connected.service_disconnected': {
    actors: ['citizen', 'staff', 'system'],
    clauses: ['P8.5.withdraw', 'P8.5.cancel'],
    records:
      'A service was disconnected from the person: its consents withdrawn, its grants and tokens revoked, its provider sessions ended (client id, consent ids, counts)',
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
    clauses: [null, 'P8.5', 'P8.5.cancel'],
    records: 'An account began closing (lifecycle event and the state it left)',
  },
  'identity.account_closed': {
    actors: ['citizen', 'staff', 'system'],
    clauses: [null, 'P8.5', 'P8.5.cancel'],
    records: 'An account was closed (lifecycle event and the state it left)',
  },
  'identity.account_active': {
    actors: ['citizen', 'staff', 'system'],
    clauses: [null, 'P8.5', 'P8.5.cancel'],
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
  'identity.password_changed': {
    actors: citizen,
    clauses: ['P7.3', 'P8.3'],
    records: 'The signed-in person changed their password; every other session ended',
  },
  'identity.phone_recovered': {
    actors: ['staff', 'citizen'],
    clauses: ['P8.1.correct'],
    records:
      'A new mobile number was bound to an account whose phone was lost (where: service-hall, after the in-person checks, or self-service, with name, ID number, registry and a second factor; by which factor), after a code to the new number; every session ended',
  },
  'identity.phone_changed': {
    actors: citizen,
    clauses: ['P8.1.correct'],
    records:
      'The person replaced their mobile number, proved by codes to the new and the old number (or a second factor)',
  },
  'identity.phone_change_refused': {
    actors: citizen,
    clauses: ['P8.1.correct'],
    records:
      'A proven new mobile number could not be used: it belongs to another account (the person is told only that it cannot be used)',
  },
  'identity.reauthenticated': {
    actors: citizen,
    clauses: ['P7.3', 'P8.3'],
    records: 'The person proved themself again before a sensitive change',
  },
  'identity.reauthentication_failed': {
    actors: citizen,
    clauses: ['P7.3', 'P8.3'],
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

  'backup.made': {
    actors: system,
    clauses: ['P7.2.backup'],
    records:
      'A backup was written to every destination: its id, format, recovery point, encrypted size and destinations',
  },
  'backup.verified': {
    actors: system,
    clauses: ['P7.2.backup'],
    records:
      'A restore drill restored a backup into a scratch server and checked it: the backup id, outcome, tables compared, the first problem',
  },
  'backup.pruned': {
    actors: system,
    clauses: ['P7.2.backup', 'P8.1.delete'],
    records: 'Backups past BACKUP_RETENTION_DAYS were deleted from a destination: their ids',
  },
  'backup.restored': {
    actors: system,
    clauses: ['P7.2.backup'],
    records:
      'This database was restored from a backup: its id, destination, and how many erasures from the ledger were re-applied (after a restore made outside Civitas, pgBackRest: no id, from `outside`, the time re-applied from)',
  },
  'closure.reapplied': {
    actors: system,
    clauses: ['P7.2.backup'],
    records:
      'After a restore, the erasure of a person closed after the backup was run again (closure id, rows erased)',
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

  'policy.version_drafted': {
    actors: staff,
    clauses: ['P9.version'],
    records: 'The DPO started a draft of a new version of the privacy policy (document, version)',
  },
  'policy.version_scheduled': {
    actors: staff,
    clauses: ['P9.version', 'P9.notice'],
    records:
      'The DPO scheduled a version of the privacy policy: its texts published with the effective date; a material one announced (document, version, effective date, material, sections and purposes changed)',
  },
  'policy.version_discarded': {
    actors: staff,
    clauses: ['P9.version'],
    records: 'The DPO discarded a draft of the privacy policy; it was never published (document, version)',
  },
  'policy.accepted': {
    actors: citizen,
    clauses: ['P9.accept'],
    records:
      'The person acknowledged a version of the privacy policy after a material change (document, version)',
  },
  'announce.published': {
    actors: ['staff', 'system'],
    clauses: ['P7.2i', 'P9', 'P9.notice', null],
    records:
      'A platform-wide announcement was published: kind, key, template or console text, expiry, whether a drill',
  },
  'announce.withdrawn': {
    actors: staff,
    clauses: ['P7.2i', 'P9', null],
    records: 'A platform-wide announcement was withdrawn (announcement id)',
  },
  'announce.dismissed': {
    actors: citizen,
    clauses: ['P7.2i', 'P9', null],
    records: 'The person dismissed an announcement in their pages (announcement id)',
  },

  'closure.requested': {
    actors: ['citizen', 'staff'],
    clauses: ['P8.5.cancel'],
    records:
      'A person asked to close their account, or support recorded it (closure id, channel, cooling-off end, deadline)',
  },
  'closure.undone': {
    actors: citizen,
    clauses: ['P8.5.cancel'],
    records: 'The person undid the closure of their account within the cooling-off period (closure id)',
  },
  'closure.closed': {
    actors: system,
    clauses: ['P8.5.cancel'],
    records:
      'An account was closed: sessions ended, services told, the person’s data erased (closure id, services told, rows erased)',
  },

  'closure.erasure_completed': {
    actors: system,
    clauses: ['P6.2.hold', 'P8.5.cancel'],
    records:
      'What a legal hold kept from a closed account’s erasure was erased once no hold covered it (closure id, rows erased)',
  },

  'retention.purged': {
    actors: system,
    clauses: ['P6.2.purge'],
    records:
      'A retention run deleted what was past its time: counts per table and per category, never values (run id, counts, tables held back by a hold)',
  },
  'audit.archived': {
    actors: system,
    clauses: ['P7.2.audit'],
    records:
      'A month of the audit chain past its retention was dropped after the chain verified, leaving a signed archive record of where each lane stood (partition, range, entries)',
  },
  'retention.hold_recorded': {
    actors: staff,
    clauses: ['P6.2.hold'],
    records:
      'The DPO recorded a legal hold on a person, the people of a case, or categories (hold id, scope, basis, categories, end or review date)',
  },
  'retention.hold_ended': {
    actors: ['staff', 'system'],
    clauses: ['P6.2.hold'],
    records: 'A legal hold ended: released by the DPO, or at its end date (hold id, how)',
  },

  'rights.request_submitted': {
    actors: ['citizen', 'staff'],
    clauses: ['P8.2'],
    records:
      'A rights request was received (request id, kind, channel, due date, whether the identity was confirmed with it)',
  },
  'rights.identity_confirmed': {
    actors: ['citizen', 'staff'],
    clauses: ['P8.3'],
    records: 'The identity behind a rights request was confirmed (request id, method)',
  },
  'rights.request_started': {
    actors: staff,
    clauses: ['P8.2'],
    records: 'The DPO took up a rights request (request id)',
  },
  'rights.person_asked': {
    actors: staff,
    clauses: ['P8.2'],
    records:
      'The DPO asked the person something about their request (request id; the question is in the request)',
  },
  'rights.person_answered': {
    actors: citizen,
    clauses: ['P8.2'],
    records: 'The person answered the DPO’s question (request id)',
  },
  'rights.request_decided': {
    actors: staff,
    clauses: ['P8.2', 'P8.4'],
    records: 'A rights request was decided (request id, outcome, refusal reason and exemption code)',
  },
  'rights.request_withdrawn': {
    actors: citizen,
    clauses: ['P8.2'],
    records: 'The person withdrew their rights request (request id)',
  },
  'rights.step_refused': {
    actors: ['citizen', 'staff'],
    clauses: 'of-refusal',
    records:
      'A step on a rights request was refused (request id, step, code): fulfilling an unconfirmed request',
  },
  'rights.deadline_near': {
    actors: ['system'],
    clauses: ['P8.2'],
    records: 'A rights request is close to its deadline (request id, working days left)',
  },
  'rights.deadline_passed': {
    actors: ['system'],
    clauses: ['P8.2'],
    records: 'A rights request passed its deadline undecided and was escalated (request id, due date)',
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
    clauses: ['P8.1', 'P8.1.delete', 'P2.1'],
    records: 'Some of the person’s own values were erased (field names and the reason, never the values)',
  },
  // P8.1.export "Download my data" (module export): asked, prepared by the job, downloaded.
  'export.requested': {
    actors: citizen,
    clauses: ['P8.1.export'],
    records: 'The person asked for an archive of their data (archive id, language)',
  },
  'export.prepared': {
    actors: system,
    clauses: ['P8.1.export'],
    records: 'The job prepared a person’s archive (archive id, counts of sections and rows)',
  },
  'export.downloaded': {
    actors: citizen,
    clauses: ['P8.1.export'],
    records: 'The person downloaded a copy of their archive (archive id, format); also in their access log',
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
  'verification.id_number_released': {
    actors: staff,
    clauses: ['P2.1'],
    records:
      'Service-hall staff took an ID number off an account that never proved it, for the person who showed it is theirs (document kind, staff role)',
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

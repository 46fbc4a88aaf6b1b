/**
 * Is this use of these fields, for this purpose, on this basis, allowed? A pure function
 * over what the vault already loaded; each refusal names its code and the policy clause.
 *
 *   check                     clause   applies when
 *   self                      P8.1     basis self: only the person themself
 *   consent-active            P8.5     basis consent: not withdrawn, not expired
 *   consent-matches           P5.1.1   basis consent: same subject, purpose, recipient; covers the categories
 *   consent-separate          P2.1     basis consent over sensitive categories: separate explicit consent
 *   necessity-essential       P4       basis necessity: essential, non-legal purpose, not the person
 *   legal-basis-complete      P5.1.2   basis legal-obligation: authority and reference named
 *   dispute-case              P5.1.3   basis dispute: a case id
 *   safety-reason             P5.3.3   basis safety: a reason
 *   purpose-compatible        P4.x     every basis but consent: purpose compatible with collection
 */
import { AppError } from '../../kernel/errors.ts';
import { isActive, type ConsentRecord } from '../consent/index.ts';
import {
  categoryOf,
  compatible,
  isPurpose,
  isSensitive,
  purposes,
  type Field,
  type PurposeId,
} from '../inventory/index.ts';
import { vaultErrors } from './vault.errors.ts';
import type { Actor, Basis } from './vault.types.ts';

export interface BasisInput {
  subjectId: string;
  actor: Actor;
  purpose: PurposeId;
  basis: Basis;
  fields: { field: Field; collectedFor: string }[];
  /** Consent kind the operation needs: reads use 'use'; sharing passes 'share' or 'transfer'. */
  consentKind?: ConsentRecord['kind'];
  recipient?: { type: string; id: string };
  consents: () => Promise<ConsentRecord[]>;
}

const refuse = (code: string, detail: string): never => {
  throw new AppError(code, detail);
};

export async function checkBasis(i: BasisInput): Promise<void> {
  const spec = purposes[i.purpose];
  const b = i.basis;
  switch (b.type) {
    case 'self':
      if (i.actor.type !== 'self' || i.actor.id !== i.subjectId)
        refuse(vaultErrors.no_basis, 'only the person may read on basis "self"');
      return;
    case 'consent': {
      const consent = (await i.consents()).find((c) => c.id === b.consentId);
      if (!consent || consent.subjectId !== i.subjectId)
        refuse(vaultErrors.no_basis, 'no such consent for this person');
      const c = consent as ConsentRecord;
      if (!isActive(c))
        refuse(vaultErrors.consent_withdrawn, c.withdrawnAt ? 'consent withdrawn' : 'consent expired');
      if (c.awaitingAnswer)
        refuse(
          vaultErrors.consent_awaiting_answer,
          `privacy policy ${c.awaitingAnswer.version} changed its purpose`,
        );
      if (c.kind !== (i.consentKind ?? 'use') || c.purpose !== i.purpose) {
        refuse(
          vaultErrors.no_basis,
          `consent is for ${c.kind}/${c.purpose}, not ${i.consentKind ?? 'use'}/${i.purpose}`,
        );
      }
      const recipient =
        i.recipient ??
        (i.actor.type === 'department' || i.actor.type === 'partner'
          ? { type: i.actor.type, id: i.actor.id }
          : undefined);
      if (c.recipientId && (c.recipientType !== recipient?.type || c.recipientId !== recipient?.id)) {
        refuse(vaultErrors.no_basis, 'consent names another recipient');
      }
      for (const { field } of i.fields) {
        if (!c.categories.includes(categoryOf(field)))
          refuse(vaultErrors.no_basis, `consent does not cover ${field}`);
        if (isSensitive(field) && !c.sensitive) refuse(vaultErrors.separate_consent_required, field);
      }
      return; // fresh consent for this purpose satisfies P4.x by itself
    }
    case 'necessity':
      if (!spec.essential || spec.legal || i.actor.type === 'self' || !b.service) {
        refuse(vaultErrors.no_basis, `necessity does not cover purpose ${i.purpose} for ${i.actor.type}`);
      }
      break;
    case 'legal-obligation':
      if (i.purpose !== 'legal-obligation')
        refuse(vaultErrors.no_basis, 'a legal order is a basis only for purpose legal-obligation');
      if (!b.authority?.trim() || !b.reference?.trim())
        refuse(vaultErrors.legal_basis_incomplete, 'authority and reference required');
      break;
    case 'dispute':
      if (i.purpose !== 'dispute-resolution' || !b.caseId?.trim())
        refuse(vaultErrors.no_basis, 'a dispute basis needs purpose dispute-resolution and a case id');
      break;
    case 'safety':
      if (i.purpose !== 'safety' || !b.reason?.trim())
        refuse(vaultErrors.no_basis, 'a safety basis needs purpose safety and a reason');
      break;
  }
  for (const { field, collectedFor } of i.fields) {
    if (isPurpose(collectedFor) && !compatible(collectedFor, i.purpose)) {
      refuse(vaultErrors.incompatible_purpose, `${field} was collected for ${collectedFor}`);
    }
  }
}

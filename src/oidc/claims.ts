/**
 * Claim release: what a department service receives about a person.
 *
 * Rules (a list of named checks, each a reason a field is withheld):
 *   registered   P2.3    the field is declared in the service's registration
 *   requested    P2.3    the service asked for it in this authorization (scope)
 *   consented    P5.1.1  an active consent of the person names this service, the field's
 *                        purpose and category; withdrawn or expired consent releases nothing
 * Released values are read through the vault with the service as actor, the declared
 * purpose and the consent as basis: every release is recorded and shown to the person
 * (P1.2, "who accessed my data"). ID tokens carry no personal claims: the service reads
 * them from userinfo with its access token.
 */
import { counts, type ConsentRecord, type ConsentService } from '../modules/consent/index.ts';
import type { RelyingParty, ReleasableField } from '../modules/catalogue/index.ts';
import { categoryOf, type PurposeId } from '../modules/inventory/index.ts';
import type { VaultService } from '../modules/vault/index.ts';

export const claimsOf: Record<ReleasableField, string[]> = {
  name: ['name'],
  phone: ['phone_number', 'phone_number_verified'],
  id_number: ['id_number'],
  birth_date: ['birthdate'],
  email: ['email', 'email_verified'],
  address: ['address'],
};

function toClaims(field: ReleasableField, value: string): Record<string, unknown> {
  switch (field) {
    case 'phone':
      return { phone_number: `+86${value}`, phone_number_verified: true };
    case 'birth_date':
      return { birthdate: value };
    case 'email':
      return { email: value, email_verified: false };
    case 'address':
      return { address: { formatted: value } };
    default:
      return { [field]: value };
  }
}

/** The consent that covers `field` for this service, if any is active now. */
export function consentFor(
  consents: readonly ConsentRecord[],
  rp: RelyingParty,
  field: ReleasableField,
  purpose: PurposeId,
): ConsentRecord | undefined {
  return consents.find(
    (c) =>
      c.kind === 'use' &&
      c.recipientType === 'department' &&
      c.recipientId === rp.clientId &&
      c.purpose === purpose &&
      c.categories.includes(categoryOf(field)) &&
      counts(c),
  );
}

export async function releaseClaims(
  deps: { vault: VaultService; consent: ConsentService },
  rp: RelyingParty,
  subjectId: string,
  scope: string,
  requestId?: string,
): Promise<Record<string, unknown>> {
  const requested = new Set(scope.split(' '));
  const consents = await deps.consent.of(subjectId);
  // One vault read per consent (= per purpose): each is one recorded access.
  const byConsent = new Map<string, { consentId: string; purpose: PurposeId; fields: ReleasableField[] }>();
  for (const f of rp.fields) {
    if (!requested.has(f.field)) continue;
    const c = consentFor(consents, rp, f.field, f.purpose);
    if (!c) continue;
    const group = byConsent.get(c.id) ?? { consentId: c.id, purpose: f.purpose, fields: [] };
    group.fields.push(f.field);
    byConsent.set(c.id, group);
  }
  const out: Record<string, unknown> = {};
  for (const g of byConsent.values()) {
    const { values } = await deps.vault.read({
      subjectId,
      actor: { type: 'department', id: rp.clientId, label: `department:${rp.departmentSlug}` },
      purpose: g.purpose,
      basis: { type: 'consent', consentId: g.consentId },
      fields: g.fields,
      ...(requestId ? { requestId } : {}),
    });
    for (const field of g.fields) {
      const v = values[field];
      if (v !== undefined) Object.assign(out, toClaims(field, v));
    }
  }
  return out;
}

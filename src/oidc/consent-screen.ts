/**
 * What the consent screen asks and what it records.
 *
 * Rules:
 * - P2.3 the screen lists exactly the fields the service requested AND registered, with
 *   purpose, how long the service keeps them, whether the service needs them.
 * - P1.2 it shows the service's own privacy policy and data-processing agreement.
 * - P5.1.1 agreeing records one consent per purpose (and, PIPL art. 29, sensitive
 *   categories in their own consent with the separate tick), naming the service.
 * - Optional fields may be refused; the service is still used. Required fields cannot be
 *   refused except by refusing the whole sign-in.
 * - The screen is shown again when the service asks for a field the person has no active
 *   consent for (new field, withdrawn, or expired consent); otherwise it is skipped.
 *   An optional field the person declined is not asked again (declined.ts) unless the
 *   service asks for consent explicitly (prompt=consent) or the decline is a year old.
 * - P9 the screen's wording is the policy document `sso-consent-screen` (the version in
 *   effect, in the page's language); each consent names that version and the exact text
 *   shown, filled in for this service, is kept with it (policy module).
 * - One answer is recorded in one transaction (`within`): its consents, their audit
 *   entries, the declined fields and the grant all commit together or not at all.
 */
import type { Queryable } from '../kernel/db/database.ts';
import type { ConsentRecord, ConsentService } from '../modules/consent/index.ts';
import type { ShownText } from '../modules/policy/index.ts';
import type { FieldRequest, RelyingParty, ReleasableField } from '../modules/catalogue/index.ts';
import { categoryOf, isSensitive, type Category } from '../modules/inventory/index.ts';
import { consentFor } from './claims.ts';
import { clock } from '../kernel/clock.ts';

export const CONSENT_DAYS = 365;

export interface ConsentQuestion {
  rp: RelyingParty;
  /** Requested, registered fields without an active consent. */
  ask: FieldRequest[];
  /** Requested, registered fields already consented to. */
  granted: ReleasableField[];
  /** Requested optional fields the person declined before, not asked again: not released. */
  declined: ReleasableField[];
}

export function question(
  rp: RelyingParty,
  scope: string,
  consents: readonly ConsentRecord[],
  earlier: { declined?: ReadonlySet<string>; askAgain?: boolean } = {},
): ConsentQuestion {
  const requested = new Set(scope.split(' '));
  const fields = rp.fields.filter((f) => requested.has(f.field));
  const granted = fields.filter((f) => consentFor(consents, rp, f.field, f.purpose)).map((f) => f.field);
  const declined = earlier.askAgain
    ? []
    : fields
        .filter((f) => !f.required && !granted.includes(f.field) && earlier.declined?.has(f.field))
        .map((f) => f.field);
  const ask = fields.filter((f) => !granted.includes(f.field) && !declined.includes(f.field));
  return { rp, ask, granted, declined };
}

export class ConsentRefused extends Error {
  constructor(readonly reason: 'required-field' | 'sensitive-tick') {
    super(reason);
  }
}

/**
 * Records the person's answer; returns the fields now released and those refused.
 * `chosen` are the optional fields the person left ticked.
 */
export async function recordAnswer(
  consent: ConsentService,
  q: ConsentQuestion,
  subjectId: string,
  answer: { chosen: ReadonlySet<string>; sensitiveTick: boolean; shown: ShownText; requestId?: string },
  within: Queryable,
): Promise<{ released: ReleasableField[]; refused: ReleasableField[] }> {
  const agreed = q.ask.filter((f) => f.required || answer.chosen.has(f.field));
  const refused = q.ask.filter((f) => !agreed.includes(f)).map((f) => f.field);
  if (agreed.some((f) => isSensitive(f.field)) && !answer.sensitiveTick) {
    const onlyOptional = agreed.filter((f) => isSensitive(f.field)).every((f) => !f.required);
    if (!onlyOptional) throw new ConsentRefused('sensitive-tick');
    // Optional sensitive fields without the separate tick are simply not released.
    for (const f of agreed.filter((x) => isSensitive(x.field))) refused.push(f.field);
  }
  const give = agreed.filter((f) => !refused.includes(f.field));
  const groups = new Map<
    string,
    { purpose: FieldRequest['purpose']; sensitive: boolean; categories: Set<Category> }
  >();
  for (const f of give) {
    const sensitive = isSensitive(f.field);
    const key = `${f.purpose}:${sensitive}`;
    const g = groups.get(key) ?? { purpose: f.purpose, sensitive, categories: new Set<Category>() };
    g.categories.add(categoryOf(f.field));
    groups.set(key, g);
  }
  const expiresAt = new Date(clock.now() + CONSENT_DAYS * 86_400_000);
  for (const g of groups.values()) {
    await consent.give(
      {
        subjectId,
        kind: 'use',
        purpose: g.purpose,
        categories: [...g.categories],
        recipient: { type: 'department', id: q.rp.clientId },
        channel: 'sso-consent-screen',
        shown: answer.shown,
        explicitSeparate: g.sensitive,
        expiresAt,
      },
      { type: 'self', id: subjectId },
      answer.requestId,
      within,
    );
  }
  return { released: [...q.granted, ...give.map((f) => f.field)], refused };
}

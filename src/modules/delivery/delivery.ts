/**
 * Delivery by post (P2.4): the vocabulary and the rules that need no database.
 *
 * - The contact (recipient, mobile number, address) is asked only when the person chooses
 *   delivery for one application of a service that declared it posts results (P2.3), and
 *   is stored for that application only: in the vault compartment `delivery:<id>`.
 * - Retention (P6.2): 30 days after the department closes the delivery, and at the latest
 *   180 days after it was given when the department never closes it.
 */
import { z } from 'zod';
import { retentionRules } from '../inventory/index.ts';
import { normaliseMobile } from '../account/index.ts';

export const MAX_OPEN_DAYS = 180;
export const DAYS_AFTER_CLOSE = retentionRules['delivery-case'].days;

/** The vault compartment of one delivery's contact. */
export const compartmentOf = (deliveryId: string) => `delivery:${deliveryId}`;

export const contactInput = z.object({
  recipient: z.string().trim().min(1).max(50),
  // As people write it (+86, spaces, full-width digits): modules/account/input.ts.
  phone: z.string().transform((typed, ctx) => {
    const phone = normaliseMobile(typed);
    if (!phone)
      ctx.addIssue({ code: 'custom', message: 'a mainland mobile number: 11 digits starting with 1' });
    return phone ?? typed;
  }),
  address: z.string().trim().min(5).max(200),
});
export type Contact = z.infer<typeof contactInput>;

/** What a department sends the person's browser with (query of GET /delivery). */
export const deliveryAsk = z.object({
  client_id: z.string().min(1).max(64),
  application: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, underscore and hyphen, at most 64'),
  redirect_uri: z.url(),
  state: z.string().max(200).optional(),
});
export type DeliveryAsk = z.infer<typeof deliveryAsk>;

/** Where the browser goes back to: the registered URI with the outcome and the service's state. */
export function returnUrl(
  ask: DeliveryAsk,
  outcome: { delivery: string } | { error: 'access_denied' },
): string {
  const url = new URL(ask.redirect_uri);
  if ('delivery' in outcome) url.searchParams.set('delivery', outcome.delivery);
  else url.searchParams.set('error', outcome.error);
  if (ask.state) url.searchParams.set('state', ask.state);
  return url.toString();
}

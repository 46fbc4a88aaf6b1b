/**
 * A relying party: a department service registered to sign people in and receive claims.
 *
 * Rules:
 * - P1.2 every registration names the service's own privacy-policy link and its
 *   data-processing agreement; the consent screen shows both.
 * - P2.3 every field the service may ask for is declared with its purpose, how long the
 *   service keeps it, and whether the service works without it; nothing else is released.
 * - P4 each declared purpose must be one that may use the field's category.
 * - Redirect URIs are exact https URLs (http only for loopback hosts, for development).
 * - P1.2 the privacy-policy link is an https URL (http only on loopback, for development):
 *   the consent screen links it, so no other scheme (javascript:, data:) gets there.
 * - The service's home address (where the catalogue sends a person to start it, opening its
 *   single sign-on) is, like every other address here, an https URL (http only on loopback):
 *   the portal links it, so no other scheme (javascript:, data:) gets there.
 * - Text is free of control characters (PostgreSQL refuses NUL; nothing needs the others).
 */
import { z } from 'zod';
import {
  categoryOf,
  fields as fieldSpecs,
  purposes,
  type Field,
  type PurposeId,
} from '../inventory/index.ts';

const releasable = [
  'name',
  'phone',
  'id_number',
  'birth_date',
  'email',
  'address',
] as const satisfies readonly Field[];
export type ReleasableField = (typeof releasable)[number];
export const releasableFields: readonly ReleasableField[] = releasable;

const loopback = new Set(['localhost', '127.0.0.1', '[::1]']);
// Refinements run even when z.url() already refused the value: parse without throwing.
const parsed = (u: string) => (URL.canParse(u) ? new URL(u) : undefined);
const httpsOrLoopback = (u: string) => {
  const url = parsed(u);
  return url?.protocol === 'https:' || (url?.protocol === 'http:' && loopback.has(url.hostname));
};
const redirectUri = z
  .url()
  .refine(
    (u) => httpsOrLoopback(u) && !parsed(u)?.hash,
    'must be an https URL without fragment (http only on loopback)',
  );

const policyUrl = z.url().refine(httpsOrLoopback, 'must be an https URL (http only on loopback)');
// eslint-disable-next-line no-control-regex -- the point is to refuse control characters
const plainText = /^[^\u0000-\u001f\u007f]*$/;

export const fieldRequest = z
  .object({
    field: z.enum(releasable),
    purpose: z.enum(Object.keys(purposes) as [PurposeId, ...PurposeId[]]),
    retentionDays: z.number().int().min(1).max(36500),
    required: z.boolean(),
  })
  .refine((f) => purposes[f.purpose].categories.includes(categoryOf(f.field)), {
    message: 'this purpose may not use this field (P4)',
  });
export type FieldRequest = z.infer<typeof fieldRequest>;

export const relyingPartyInput = z
  .object({
    clientId: z.string().regex(/^[a-z0-9][a-z0-9-]{2,62}$/),
    serviceSlug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'must be a catalogue service slug'),
    redirectUris: z.array(redirectUri).min(1).max(10),
    postLogoutRedirectUris: z.array(redirectUri).max(10).default([]),
    frontchannelLogoutUri: redirectUri.optional(),
    backchannelLogoutUri: redirectUri.optional(),
    /**
     * P8.5.cancel where Civitas pushes Security Event Tokens (RFC 8417, the OpenID RISC
     * profile's `account-purged`) to the service (RFC 8935 push delivery).
     */
    riscPushEndpoint: redirectUri.optional(),
    policyUrl,
    homeUri: z.url().refine(httpsOrLoopback, 'must be an https URL (http only on loopback)').optional(),
    dpaReference: z.string().min(3).max(100).regex(plainText, 'must not contain control characters'),
    fields: z
      .array(fieldRequest)
      .max(releasable.length)
      .refine((fs) => new Set(fs.map((f) => f.field)).size === fs.length, 'a field is declared twice'),
    assuranceLevel: z.number().int().min(1).max(4).default(1),
    grantTypes: z
      .array(z.enum(['authorization_code', 'refresh_token', 'client_credentials']))
      .min(1)
      .default(['authorization_code', 'refresh_token']),
    idTokenAlg: z.enum(['ES256', 'RS256']).default('ES256'),
    /**
     * P2.4 the service posts results and may ask the person for a delivery contact, which
     * its back end then reads with a client-credentials token.
     */
    offlineDelivery: z.boolean().default(false),
  })
  .refine((r) => !r.offlineDelivery || r.grantTypes.includes('client_credentials'), {
    message: 'a service that posts results needs the client_credentials grant to read delivery contacts',
    path: ['grantTypes'],
  });
export type RelyingPartyInput = z.input<typeof relyingPartyInput>;

export interface RelyingParty extends Omit<z.output<typeof relyingPartyInput>, 'serviceSlug'> {
  serviceId: string;
  serviceSlug: string;
  departmentSlug: string;
  serviceName: Record<string, string>;
  departmentName: Record<string, string>;
  hasSecret: boolean;
}

export const fieldLabel = (f: ReleasableField) => fieldSpecs[f].label;

/**
 * Staff JSON API over the vault: a read names purpose, basis and fields, like every read;
 * the vault itself refuses a purpose the staff member's role does not hold (least
 * privilege, `vault.role_excludes_purpose`), so this route does not check it again.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError, httpErrors } from '../../kernel/errors.ts';
import type { Api } from '../../shared/http/api.ts';
import { fields as fieldSpecs, purposes, type Field, type PurposeId } from '../../modules/inventory/index.ts';
import { mayUseFor, type StaffService } from '../../modules/staff/index.ts';
import { staffActor, type VaultService } from '../../modules/vault/index.ts';
import type { HttpPolicy } from '../http/cookies.ts';

const field = z.enum(Object.keys(fieldSpecs) as [Field, ...Field[]]);
const purpose = z.enum(Object.keys(purposes) as [PurposeId, ...PurposeId[]]);
const basis = z.discriminatedUnion('type', [
  z.object({ type: z.literal('consent'), consentId: z.uuid() }),
  z.object({ type: z.literal('necessity'), service: z.string().min(1).max(200) }),
  z.object({
    type: z.literal('legal-obligation'),
    authority: z.string().max(200),
    reference: z.string().max(200),
  }),
  z.object({ type: z.literal('dispute'), caseId: z.string().min(1).max(200) }),
  z.object({ type: z.literal('safety'), reason: z.string().min(1).max(500) }),
]);

const errors = [
  'http.unauthenticated',
  'vault.unknown_subject',
  'vault.subject_erased',
  'vault.no_basis',
  'vault.consent_withdrawn',
  'vault.separate_consent_required',
  'vault.incompatible_purpose',
  'vault.purpose_excludes_fields',
  'vault.legal_basis_incomplete',
  'vault.role_excludes_purpose',
];

const accessEntries = z.object({
  entries: z.array(
    z.object({
      id: z.number(),
      occurredAt: z.date().transform((d) => d.toISOString()),
      operation: z.string(),
      actorType: z.string(),
      actorLabel: z.string(),
      purpose: z.string(),
      basis: z.string(),
      categories: z.array(z.string()),
    }),
  ),
});
const page = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export function registerVaultRoutes(
  app: FastifyInstance,
  api: Api,
  deps: { vault: VaultService; staff: StaffService; http: HttpPolicy },
): void {
  api.register(app, {
    method: 'GET',
    url: '/api/me/access-log',
    summary: 'Who accessed my data: every read, share, transfer and disclosure by others, newest first',
    tags: ['vault'],
    query: page,
    response: accessEntries,
    errors: ['http.unauthenticated'],
    handler: async ({ query, req }) => ({
      entries: await deps.vault.accessLog(req.principal.citizen!.subjectId, {
        ...(query.before ? { before: query.before } : {}),
        ...(query.limit ? { limit: query.limit } : {}),
      }),
    }),
  });

  api.register(app, {
    method: 'POST',
    url: '/api/staff/vault/read',
    summary:
      'Read a person’s data for a stated purpose on a stated legal basis (recorded for the person to see)',
    tags: ['vault'],
    body: z.object({ subjectId: z.uuid(), purpose, basis, fields: z.array(field).min(1).max(30) }),
    response: z.object({
      values: z.record(z.string(), z.string()),
      withheld: z.array(z.object({ field: z.string(), reason: z.string() })),
    }),
    errors,
    handler: async ({ body, req }) => {
      return deps.vault.read({
        subjectId: body.subjectId,
        actor: staffActor(req.principal.staff!),
        purpose: body.purpose,
        basis: body.basis,
        fields: body.fields,
        requestId: req.id,
      });
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/staff/subjects/:subjectId/access-log',
    summary: 'Who accessed this person’s data, newest first, as the person sees it',
    tags: ['vault'],
    params: z.object({ subjectId: z.uuid() }),
    query: page,
    response: accessEntries,
    errors: ['http.unauthenticated', 'http.forbidden'],
    handler: async ({ params, query, req }) => {
      if (!mayUseFor(req.principal.staff!.role, 'customer-support')) throw new AppError(httpErrors.forbidden);
      return {
        entries: await deps.vault.accessLog(params.subjectId, {
          ...(query.before ? { before: query.before } : {}),
          ...(query.limit ? { limit: query.limit } : {}),
        }),
      };
    },
  });
}

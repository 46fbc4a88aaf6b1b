/**
 * Staff JSON API over the relying-party registry: list and register/change department
 * services. Administrators only; every change audited by the registry service.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, httpErrors } from '../../kernel/errors.ts';
import type { Api } from '../../shared/http/api.ts';
import { mayManageRelyingParties, type StaffService } from '../../modules/staff/index.ts';
import { fieldRequest, type RelyingPartyRegistry } from '../../modules/catalogue/index.ts';
import type { HttpPolicy } from '../http/cookies.ts';

const view = z.object({
  clientId: z.string(),
  serviceSlug: z.string(),
  departmentSlug: z.string(),
  redirectUris: z.array(z.string()),
  postLogoutRedirectUris: z.array(z.string()),
  frontchannelLogoutUri: z.string().optional(),
  backchannelLogoutUri: z.string().optional(),
  riscPushEndpoint: z.string().optional(),
  policyUrl: z.string(),
  homeUri: z.string().optional(),
  dpaReference: z.string(),
  fields: z.array(fieldRequest),
  assuranceLevel: z.number(),
  grantTypes: z.array(z.string()),
  idTokenAlg: z.string(),
  hasSecret: z.boolean(),
});

export function registerRelyingPartyRoutes(
  app: FastifyInstance,
  api: Api,
  deps: { registry: RelyingPartyRegistry; staff: StaffService; http: HttpPolicy },
): void {
  // After the table's guards (cross-site, staff): web/http/guards.table.ts.
  const mayManage = async (req: FastifyRequest, _reply: FastifyReply) => {
    if (!mayManageRelyingParties(req.principal.staff!.role))
      throw new AppError(
        httpErrors.forbidden,
        `role ${req.principal.staff!.role} may not manage relying parties`,
      );
  };
  const errors = [
    'http.unauthenticated',
    'http.forbidden',
    'catalogue.invalid_registration',
    'catalogue.unknown_service',
  ];

  api.register(app, {
    method: 'GET',
    url: '/api/staff/relying-parties',
    summary: 'Department services registered for single sign-on, with the fields each may ask for and why',
    tags: ['catalogue'],
    preHandler: mayManage,
    response: z.object({ relyingParties: z.array(view) }),
    errors,
    handler: async () => ({ relyingParties: await deps.registry.list() }),
  });

  api.register(app, {
    method: 'PUT',
    url: '/api/staff/relying-parties/:clientId',
    summary:
      'Register or change a department service (P1.2 policy link and agreement, P2.3 fields with purpose and retention); a new secret is shown once when asked for',
    tags: ['catalogue'],
    preHandler: mayManage,
    params: z.object({ clientId: z.string() }),
    body: z.object({
      serviceSlug: z.string(),
      redirectUris: z.array(z.string()),
      postLogoutRedirectUris: z.array(z.string()).optional(),
      frontchannelLogoutUri: z.string().optional(),
      backchannelLogoutUri: z.string().optional(),
      riscPushEndpoint: z.string().optional(),
      policyUrl: z.string(),
      homeUri: z.string().optional(),
      dpaReference: z.string(),
      fields: z.array(z.unknown()),
      assuranceLevel: z.number().optional(),
      grantTypes: z.array(z.enum(['authorization_code', 'refresh_token', 'client_credentials'])).optional(),
      idTokenAlg: z.enum(['ES256', 'RS256']).optional(),
      issueSecret: z.boolean().optional(),
    }),
    response: z.object({ relyingParty: view, clientSecret: z.string().optional() }),
    errors,
    handler: async ({ params, body, req }) => {
      const { issueSecret, ...rest } = body;
      const { relyingParty, secret } = await deps.registry.register(
        { ...rest, clientId: params.clientId } as Parameters<RelyingPartyRegistry['register']>[0],
        { type: 'staff', id: req.principal.staff!.id },
        { issueSecret: issueSecret ?? false, requestId: req.id },
      );
      return secret ? { relyingParty, clientSecret: secret } : { relyingParty };
    },
  });
}

/**
 * Company API: bind a company, list and view companies, authorise and revoke agents, and
 * choose whom the session acts for. Signed-in citizens only; scopes are enforced by the
 * service.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Api } from '../../shared/http/api.ts';
import { POWERS, type CompanyService, type Power } from '../../modules/company/index.ts';
import type { ActingFor } from '../http/acting.ts';
import type { HttpPolicy } from '../http/cookies.ts';

const uuid = z.uuid();
const scopeEnum = z.enum(POWERS);
const companyView = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['active', 'revoked']),
  role: z.enum(['representative', 'agent']),
  scopes: z.array(scopeEnum),
  validUntil: z.date().optional(),
});
// The JSON API keeps the field name `scopes` its clients know; inside they are powers.
const asJson = <T extends { powers: Power[] }>({
  powers,
  ...rest
}: T): Omit<T, 'powers'> & { scopes: Power[] } => ({
  ...rest,
  scopes: powers,
});
const acting = z.object({
  subjectId: z.string(),
  onBehalfOf: z
    .object({ companyId: z.string(), name: z.string(), role: z.enum(['representative', 'agent']) })
    .optional(),
  scopes: z.array(scopeEnum),
});

export function registerCompanyRoutes(
  app: FastifyInstance,
  api: Api,
  deps: {
    company: CompanyService;
    actingFor: ActingFor;
    session: (req: FastifyRequest) => Promise<{ id: string; subjectId: string }>;
    http: HttpPolicy;
  },
): void {
  const me = (req: FastifyRequest) => req.principal.citizen!.subjectId;
  const tags = ['companies'];

  app.register(async (scope) => {
    api.register(scope, {
      method: 'GET',
      url: '/api/companies',
      summary: 'Companies the person represents or is an authorised agent of',
      tags,
      response: z.object({ companies: z.array(companyView) }),
      handler: async ({ req }) => ({ companies: (await deps.company.companies(me(req))).map(asJson) }),
    });

    api.register(scope, {
      method: 'POST',
      url: '/api/companies',
      summary: 'Bind a company by its unified social credit code (legal representative, level L3)',
      tags,
      body: z.object({ creditCode: z.string().trim().max(40) }),
      response: z.object({ id: z.string(), name: z.string() }),
      status: 201,
      errors: [
        'company.invalid_credit_code',
        'company.level_too_low',
        'company.unknown_company',
        'company.not_representative',
        'company.company_revoked',
        'company.already_bound',
        'company.registry_unavailable',
      ],
      handler: ({ body, req }) => deps.company.bind(me(req), body.creditCode, req.id),
    });

    api.register(scope, {
      method: 'GET',
      url: '/api/companies/acting',
      summary: 'Whom this session acts for',
      tags,
      response: acting,
      errors: ['company.authorisation_ended'],
      handler: async ({ req }) => asJson(await deps.actingFor(req)),
    });

    api.register(scope, {
      method: 'PUT',
      url: '/api/companies/acting',
      summary: 'Act for a company (companyId) or for oneself (null) in this session',
      tags,
      body: z.object({ companyId: uuid.nullable() }),
      response: acting,
      errors: ['company.not_found'],
      handler: async ({ body, req }) =>
        asJson(await deps.company.switchActing(await deps.session(req), body.companyId, req.id)),
    });

    api.register(scope, {
      method: 'GET',
      url: '/api/companies/:id',
      summary: 'One company, with its agents when the person may manage them',
      tags,
      params: z.object({ id: z.string().max(40) }),
      response: companyView.extend({
        agents: z
          .array(
            z.object({ id: z.string(), label: z.string(), scopes: z.array(scopeEnum), validUntil: z.date() }),
          )
          .optional(),
      }),
      errors: ['company.not_found'],
      handler: async ({ params, req }) => {
        const { agents, ...company } = await deps.company.company(me(req), params.id);
        return { ...asJson(company), ...(agents ? { agents: agents.map(asJson) } : {}) };
      },
    });

    api.register(scope, {
      method: 'POST',
      url: '/api/companies/:id/agents',
      summary: 'Authorise a registered person (by mobile number) as an agent with scopes until a date',
      tags,
      params: z.object({ id: z.string().max(40) }),
      body: z.object({
        phone: z.string().trim().max(20),
        scopes: z.array(scopeEnum).min(1),
        validUntil: z.iso.date(),
      }),
      response: z.object({ id: z.string() }),
      status: 201,
      errors: [
        'company.not_found',
        'company.scope_denied',
        'company.invalid_agent',
        'company.agent_not_registered',
        'company.agent_exists',
      ],
      handler: async ({ params, body, req }) => ({
        id: await deps.company.authorise(
          me(req),
          params.id,
          { phone: body.phone, powers: body.scopes, validUntil: endOfDay(body.validUntil) },
          req.id,
        ),
      }),
    });

    api.register(scope, {
      method: 'POST',
      url: '/api/companies/:id/agents/:authorisation/revoke',
      summary: 'Revoke an agent’s authorisation',
      tags,
      params: z.object({ id: z.string().max(40), authorisation: z.string().max(40) }),
      response: z.object({ revoked: z.literal(true) }),
      errors: ['company.not_found', 'company.scope_denied'],
      handler: async ({ params, req }) => {
        await deps.company.revoke(me(req), params.id, params.authorisation, req.id);
        return { revoked: true as const };
      },
    });
  });
}

/** An end date is inclusive: the authorisation runs to the end of that day, China time. */
export const endOfDay = (isoDate: string) => new Date(`${isoDate}T23:59:59.999+08:00`);

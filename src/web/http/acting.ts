/**
 * `actingFor(req)`: whom a request acts for, for every module. The choice is bound to the
 * session (company_acting, keyed by session id) and re-checked on every call, so an
 * authorisation that ended stops working at once. The session is the request's principal
 * (principal.ts), resolved once; pages get the acting identity resolved with it.
 */
import type { FastifyRequest } from 'fastify';
import { AppError, httpErrors } from '../../kernel/errors.ts';
import type { Acting, CompanyService } from '../../modules/company/index.ts';
import type { CitizenPrincipal } from './principal.ts';

export type ActingFor = (req: FastifyRequest) => Promise<Acting>;

/** The request's live portal session, or a 401 problem. */
export function sessionOf(req: FastifyRequest): CitizenPrincipal {
  const s = req.principal.citizen;
  if (!s) throw new AppError(httpErrors.unauthenticated);
  return s;
}

export function createActingFor(deps: { company: CompanyService }): {
  actingFor: ActingFor;
  session: (req: FastifyRequest) => Promise<CitizenPrincipal>;
} {
  return {
    session: async (req) => sessionOf(req),
    actingFor: async (req) => (req.principal.acting ??= await deps.company.actingFor(sessionOf(req))),
  };
}

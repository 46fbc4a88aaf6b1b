/**
 * `actingFor(req)`: whom a request acts for, for every module. The choice is bound to the
 * session (company_acting, keyed by session id) and re-checked on every call, so an
 * authorisation that ended stops working at once.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CitizenSessions } from '../../modules/session/index.ts';
import { AppError, httpErrors } from '../../kernel/errors.ts';
import type { Acting, CompanyService } from '../../modules/company/index.ts';
import type { HttpPolicy } from './cookies.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set for pages by `installActingIdentity`: shown in the page header. */
    acting?: Acting;
  }
}

export type ActingFor = (req: FastifyRequest) => Promise<Acting>;

export function createActingFor(deps: {
  sessions: CitizenSessions;
  company: CompanyService;
  http: HttpPolicy;
}): { actingFor: ActingFor; session: (req: FastifyRequest) => Promise<{ id: string; subjectId: string }> } {
  const cookie = deps.http.cookieName('session');
  const session = async (req: FastifyRequest) => {
    const s = await deps.sessions.sessionOf(req.cookies[cookie]);
    if (!s) throw new AppError(httpErrors.unauthenticated);
    return s;
  };
  return { session, actingFor: async (req) => deps.company.actingFor(await session(req)) };
}

/**
 * Resolves the acting identity of signed-in page requests, for the header. An ended
 * authorisation falls back to the person (the service has cleared the choice).
 */
export function installActingIdentity(app: FastifyInstance, actingFor: ActingFor, http: HttpPolicy): void {
  const cookie = http.cookieName('session');
  app.addHook('preHandler', async (req) => {
    // Pages only: the API and the OpenID provider's endpoints never show the acting identity.
    if (
      !req.cookies?.[cookie] ||
      req.url.startsWith('/static/') ||
      req.url.startsWith('/api/') ||
      (req.url.startsWith('/oidc/') && !req.url.startsWith('/oidc/interaction/'))
    )
      return;
    try {
      req.acting = await actingFor(req);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
    }
  });
}

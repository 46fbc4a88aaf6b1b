/**
 * Citizen authentication for pages and the JSON API: the request's principal (principal.ts,
 * resolved once per request from the portal session cookie) is a signed-in person, or the
 * page redirects to sign-in / the API answers a 401 problem. The sessions themselves
 * (tokens, lifetimes, P7.3) are the session module's.
 *
 * A page request without a session returns, after sign-in, to the page's GET address
 * (return-address.ts): a form posted after the session ended has a POST-only address,
 * which would answer 404 after the sign-in. `ended=1` lets the sign-in page say that the
 * step was not saved.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, httpErrors } from '../../kernel/errors.ts';
import { withNext } from './return-address.ts';

/** preHandler: passes a signed-in person, or answers 401 (API) / redirects to sign-in (pages). */
export function citizenAuth(mode: 'api' | 'page') {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (req.principal?.citizen) return;
    if (mode === 'page') {
      const posted = req.method !== 'GET' && req.method !== 'HEAD';
      await reply.redirect(withNext(posted ? '/login?ended=1' : '/login', req.pageAddress || '/'), 303);
      return;
    }
    throw new AppError(httpErrors.unauthenticated);
  };
}

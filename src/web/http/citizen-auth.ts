/**
 * Citizen authentication for pages and the JSON API: the request's principal (principal.ts,
 * resolved once per request from the portal session cookie) is a signed-in person, or the
 * page redirects to sign-in / the API answers a 401 problem. The sessions themselves
 * (tokens, lifetimes, P7.3) are the session module's.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, httpErrors } from '../../kernel/errors.ts';

/** preHandler: passes a signed-in person, or answers 401 (API) / redirects to sign-in (pages). */
export function citizenAuth(mode: 'api' | 'page') {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (req.principal?.citizen) return;
    if (mode === 'page') {
      await reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
      return;
    }
    throw new AppError(httpErrors.unauthenticated);
  };
}

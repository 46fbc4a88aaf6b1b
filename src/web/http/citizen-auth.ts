/**
 * Citizen authentication for pages and the JSON API: the portal session cookie (cookies.ts)
 * resolved to the person, or a redirect to the sign-in page (pages) / a 401 problem (API).
 * The sessions themselves (tokens, lifetimes, P7.3) are the session module's.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CitizenSessions } from '../../modules/session/index.ts';
import { AppError, httpErrors } from '../../kernel/errors.ts';
import { cookieName } from './cookies.ts';

declare module 'fastify' {
  interface FastifyRequest {
    citizen?: { subjectId: string };
  }
}

/** preHandler: sets req.citizen, or answers 401 (API) / redirects to the sign-in page (pages). */
export function citizenAuth(sessions: CitizenSessions, secure: boolean, mode: 'api' | 'page') {
  const cookie = cookieName('session', secure);
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const subjectId = await sessions.subjectOf(req.cookies[cookie]);
    if (subjectId) {
      req.citizen = { subjectId };
      return;
    }
    if (mode === 'page') {
      await reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
      return;
    }
    throw new AppError(httpErrors.unauthenticated);
  };
}

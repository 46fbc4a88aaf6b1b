/**
 * Staff authentication for the staff JSON API: the request's principal (principal.ts,
 * resolved once per request from the staff session cookie) is a staff member, or a 401
 * problem (P7.2). What a role may do is the staff module's (staff.roles.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, httpErrors } from '../../kernel/errors.ts';

/** preHandler for the staff JSON API: 401 problem without a session. */
export function staffApiAuth() {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (!req.principal?.staff) throw new AppError(httpErrors.unauthenticated);
  };
}

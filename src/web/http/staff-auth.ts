/**
 * Staff authentication for the console and the staff JSON API: the request's principal
 * (principal.ts, resolved once per request from the staff session cookie) is a staff member
 * with both factors proved (P7.2). What a role may do is the staff module's (staff.roles.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, httpErrors } from '../../kernel/errors.ts';
import type { StaffService } from '../../modules/staff/index.ts';
import type { HttpPolicy } from './cookies.ts';

/** preHandler for the staff JSON API: 401 problem without a session. */
export function staffApiAuth() {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (!req.principal?.staff) throw new AppError(httpErrors.unauthenticated);
  };
}

/** Where a session that still owes its second factor goes next. */
export const nextStepOf = (stage: 'second-factor' | 'enrol') =>
  stage === 'enrol' ? '/admin/enrol' : '/admin/login/code';

/**
 * preHandler for console pages. P7.2.roles a session that proved only the password is sent
 * to its second factor (or its enrolment): nothing else opens for it.
 */
export function staffPageAuth(deps: { staff: StaffService; http: HttpPolicy }) {
  const cookie = deps.http.cookieName('staff');
  return async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    if (req.principal.staff) return;
    const pending = await deps.staff.pending(req.cookies[cookie]);
    return reply.redirect(pending ? nextStepOf(pending.stage) : '/admin/login', 303);
  };
}

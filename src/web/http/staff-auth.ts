/**
 * Staff authentication for the staff JSON API: the staff session cookie (web/http/cookies.ts)
 * resolved to a staff member, or a 401 problem (P7.2). What a role may do is the staff
 * module's (staff.roles.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StaffMember, StaffService } from '../../modules/staff/index.ts';
import { AppError, httpErrors } from '../../kernel/errors.ts';
import type { HttpPolicy } from './cookies.ts';

declare module 'fastify' {
  interface FastifyRequest {
    staff?: StaffMember;
  }
}

/** preHandler for the staff JSON API: 401 problem without a session. */
export function staffApiAuth(staff: StaffService, http: HttpPolicy) {
  const cookie = http.cookie('staff');
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    req.staff = await staff.session(cookie.read(req));
    if (!req.staff) throw new AppError(httpErrors.unauthenticated);
  };
}

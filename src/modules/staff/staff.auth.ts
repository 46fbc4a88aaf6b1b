/**
 * Staff authentication for console pages and the staff JSON API, and the least-privilege
 * rule of which role may use personal data for which purpose (P7.2: strict access limits).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, httpErrors } from '../../shared/errors.ts';
import type { StaffRole } from './staff.repository.ts';
import type { StaffMember, StaffService } from './staff.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    staff?: StaffMember;
  }
}

/** __Host- binds the cookie to this exact origin over HTTPS; plain HTTP in development cannot use it. */
export const staffCookieName = (secure: boolean) => (secure ? '__Host-civitas_staff' : 'civitas_staff');

/** Which role may use personal data for which purpose: the table in the inventory (P7.2.roles). */
export { mayUseFor } from '../inventory/index.ts';

/**
 * Registering department services (relying parties) is platform administration: it
 * touches no personal data, and only administrators do it (P1.2).
 */
export function mayManageRelyingParties(role: StaffRole): boolean {
  return role === 'administrator';
}

/** preHandler for the staff JSON API: 401 problem without a session. */
export function staffApiAuth(staff: StaffService, secure: boolean) {
  const cookie = staffCookieName(secure);
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    req.staff = await staff.session(req.cookies[cookie]);
    if (!req.staff) throw new AppError(httpErrors.unauthenticated);
  };
}

/**
 * The staff console: a login page and, behind it, the console pages. Staff sessions use
 * their own cookie, separate from anything a citizen holds.
 */
import type { Limiter } from '../../shared/limits.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditService } from '../../modules/audit/index.ts';
import type { StaffService } from '../../modules/staff/index.ts';
import type { VerificationService } from '../../modules/verification/index.ts';
import { refuseCrossSite } from '../../shared/http/security.ts';
import type { AccountSupport } from '../../modules/support/index.ts';
import { registerAccountPages } from './accounts/routes.ts';
import { registerServicePages } from './services/routes.ts';
import { registerConsoleHome } from './home/routes.ts';
import { registerInPersonPages } from './verify/routes.ts';
import type { RelyingPartyRegistry } from '../../modules/catalogue/index.ts';
import { nextStepOf, registerStaffSignIn } from './sign-in/routes.ts';
import type { HttpPolicy } from '../http/cookies.ts';

export function registerAdminRoutes(
  app: FastifyInstance,
  deps: {
    staff: StaffService;
    audit: AuditService;
    support: AccountSupport;
    registry: RelyingPartyRegistry;
    verification: VerificationService;
    http: HttpPolicy;
    limiter: Limiter;
  },
) {
  const cookie = deps.http.cookieName('staff');

  // P7.2.roles a session that proved only the password is sent to its second factor (or its
  // enrolment): nothing else opens for it.
  const requireStaff = async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.principal.staff) return;
    const pending = await deps.staff.pending(req.cookies[cookie]);
    return reply.redirect(pending ? nextStepOf(pending.stage) : '/admin/login', 303);
  };

  registerAccountPages(app, { support: deps.support, requireStaff });
  registerServicePages(app, { registry: deps.registry, requireStaff });

  app.register(async (scope) => {
    scope.addHook('preHandler', refuseCrossSite);

    registerStaffSignIn(scope, {
      staff: deps.staff,
      cookie,
      http: deps.http,
      requireStaff,
      limiter: deps.limiter,
    });

    registerConsoleHome(scope, { audit: deps.audit, requireStaff });
    registerInPersonPages(scope, { verification: deps.verification, requireStaff });
  });
}

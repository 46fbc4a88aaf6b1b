/**
 * The staff console: a login page and, behind it, the console pages. Staff sessions use
 * their own cookie, separate from anything a citizen holds.
 */
import type { Limiter } from '../../shared/limits.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditService } from '../../modules/audit/index.ts';
import type { StaffService } from '../../modules/staff/index.ts';
import type { VerificationService } from '../../modules/verification/index.ts';
import { AppError, errorSpec } from '../../kernel/errors.ts';
import { refuseCrossSite } from '../../shared/http/security.ts';
import { pageContext } from '../context.ts';
import { renderPage } from '../layout.tsx';
import type { AccountSupport } from '../../modules/support/index.ts';
import { registerAccountPages } from './accounts.routes.ts';
import { registerServicePages } from './services.routes.ts';
import type { RelyingPartyRegistry } from '../../modules/catalogue/index.ts';
import { ConsoleHome } from './pages.tsx';
import { nextStepOf, registerStaffSignIn } from './sign-in.routes.ts';
import { InPersonPage } from './verify.tsx';
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
  const html = (reply: FastifyReply) => reply.type('text/html; charset=utf-8');

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

    scope.get('/admin', { preHandler: requireStaff }, async (req, reply) => {
      const [audit, recent] = await Promise.all([deps.audit.status(), deps.audit.recent(20)]);
      return html(reply).send(
        await renderPage(
          ConsoleHome({ ctx: pageContext(req), view: { staff: req.principal.staff!, audit, recent } }),
        ),
      );
    });

    // policy: P2.1, P7.2 — service-hall staff record in-person verification; other roles are refused.
    scope.get('/admin/verify', { preHandler: requireStaff }, async (req, reply) =>
      html(reply).send(await renderPage(InPersonPage({ ctx: pageContext(req), state: {} }))),
    );

    scope.post<{ Body: { idNumber?: unknown; documentKind?: unknown; faceCompared?: unknown } }>(
      '/admin/verify',
      { preHandler: requireStaff },
      async (req, reply) => {
        const ctx = pageContext(req);
        const idNumber = typeof req.body?.idNumber === 'string' ? req.body.idNumber.trim() : '';
        const documentKind = typeof req.body?.documentKind === 'string' ? req.body.documentKind : '';
        try {
          const r = await deps.verification.recordInPerson(
            req.principal.staff!,
            { idNumber, documentKind, faceCompared: req.body?.faceCompared === '1' },
            req.id,
          );
          return html(reply).send(await renderPage(InPersonPage({ ctx, state: { done: { name: r.name } } })));
        } catch (err) {
          if (!(err instanceof AppError) || err.status >= 500) throw err;
          const spec = errorSpec(err.code);
          const error = spec.clause ? `${spec.title[ctx.locale]} (${spec.clause})` : spec.title[ctx.locale];
          reply.code(err.status);
          return html(reply).send(
            await renderPage(InPersonPage({ ctx, state: { error, idNumber, documentKind } })),
          );
        }
      },
    );
  });
}

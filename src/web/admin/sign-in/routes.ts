/**
 * Staff sign-in pages (P7.2.roles): password, then the second factor (or its enrolment at
 * first sign-in), then the console; sign-out; password change.
 *
 * Rules:
 * - A session that proved only the password opens nothing but its next step: every console
 *   page sends it there (the `staff` guard: web/http/guards.table.ts, staff-auth.ts).
 * - Ten attempts a minute per step and source (P7.2): the `staff-*` buckets of the guard table.
 * - The full session comes with a new cookie value; the pending one is ended.
 * - Refusals are pages in the person's language that keep the e-mail typed, never the
 *   password; a slowed-down account answers 429 with Retry-After.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderSVG } from 'uqr';
import { SESSION_HOURS, staffErrors, type StaffService } from '../../../modules/staff/index.ts';
import { AppError, errorSpec } from '../../../kernel/errors.ts';
import { nextStepOf } from '../../http/staff-auth.ts';
import { pageContext } from '../../context.ts';
import type { HttpPolicy } from '../../http/cookies.ts';
import { renderPage } from '../../layout.tsx';
import { LoginPage } from '../home/view.tsx';
import { StaffCodePage, StaffEnrolPage, StaffPasswordPage } from './view.tsx';
import { clock } from '../../../kernel/clock.ts';

type Form = Record<string, unknown> | undefined;
const field = (req: FastifyRequest, name: string) => {
  const v = (req.body as Form)?.[name];
  return typeof v === 'string' ? v : '';
};

export function registerStaffSignIn(
  scope: FastifyInstance,
  deps: {
    staff: StaffService;
    cookie: string;
    http: HttpPolicy;
  },
) {
  const { staff, cookie } = deps;
  const html = (reply: FastifyReply, body: string, status = 200) =>
    reply.code(status).type('text/html; charset=utf-8').send(body);
  const setCookie = (reply: FastifyReply, token: string) =>
    deps.http.cookie('staff').set(reply, token, SESSION_HOURS * 3600);
  /** A refusal the page can show: its title (with the clause), or rethrown when it is not one. */
  const refusal = (req: FastifyRequest, reply: FastifyReply, err: unknown): string => {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    const ctx = pageContext(req);
    const spec = errorSpec(err.code);
    reply.code(err.status);
    if (err.code === staffErrors.slow_down && err.detail) {
      const at = Date.parse(err.detail.replace('retry after ', ''));
      if (Number.isFinite(at))
        reply.header('retry-after', String(Math.max(1, Math.ceil((at - clock.now()) / 1000))));
    }
    return spec.clause ? `${spec.title[ctx.locale]} (${spec.clause})` : spec.title[ctx.locale];
  };

  scope.get('/admin/login', async (req, reply) => {
    if (req.principal.staff) return reply.redirect('/admin', 303);
    return html(reply, await renderPage(LoginPage({ ctx: pageContext(req) })));
  });

  scope.post('/admin/login', async (req, reply) => {
    const email = field(req, 'email').trim();
    try {
      const { token, stage } = await staff.login(email, field(req, 'password'), req.id);
      setCookie(reply, token);
      return reply.redirect(nextStepOf(stage), 303);
    } catch (err) {
      const ctx = pageContext(req);
      if (err instanceof AppError && err.code === staffErrors.invalid_credentials) {
        reply.code(401);
        return html(reply, await renderPage(LoginPage({ ctx, failed: true, email })), 401);
      }
      const error = refusal(req, reply, err);
      return html(reply, await renderPage(LoginPage({ ctx, error, email })), reply.statusCode);
    }
  });

  scope.get('/admin/login/code', async (req, reply) => {
    const p = await staff.pending(req.cookies[cookie]);
    if (!p) return reply.redirect('/admin/login', 303);
    if (p.stage !== 'second-factor') return reply.redirect(nextStepOf(p.stage), 303);
    return html(reply, await renderPage(StaffCodePage({ ctx: pageContext(req) })));
  });

  /**
   * A code typed for the pending session (its second factor, or the first code of an
   * enrolment): the full session, or the refusal on the same page; an expired pending
   * session starts again at the password.
   */
  const codeStep =
    (
      check: (token: string | undefined, code: string, requestId: string) => Promise<string>,
      again: (req: FastifyRequest, reply: FastifyReply, error: string) => Promise<unknown>,
    ) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      try {
        setCookie(reply, await check(req.cookies[cookie], field(req, 'code'), req.id));
        return reply.redirect('/admin', 303);
      } catch (err) {
        const error = refusal(req, reply, err);
        if (err instanceof AppError && err.code === staffErrors.second_factor_expired) {
          reply.clearCookie(cookie, { path: '/' });
          return html(reply, await renderPage(LoginPage({ ctx: pageContext(req), error })), 401);
        }
        return again(req, reply, error);
      }
    };

  scope.post(
    '/admin/login/code',
    codeStep(
      (token, code, requestId) => staff.verifyCode(token, code, requestId),
      async (req, reply, error) =>
        html(reply, await renderPage(StaffCodePage({ ctx: pageContext(req), error })), reply.statusCode),
    ),
  );

  const enrolPage = async (req: FastifyRequest, reply: FastifyReply, error?: string) => {
    const e = await staff.enrolment(req.cookies[cookie], 'Civitas staff');
    const qr = `data:image/svg+xml;base64,${Buffer.from(renderSVG(e.uri)).toString('base64')}`;
    return html(
      reply,
      await renderPage(StaffEnrolPage({ ctx: pageContext(req), ...e, qr, error })),
      error ? reply.statusCode : 200,
    );
  };

  scope.get('/admin/enrol', async (req, reply) => {
    const p = await staff.pending(req.cookies[cookie]);
    if (!p) return reply.redirect(req.principal.staff ? '/admin' : '/admin/login', 303);
    if (p.stage !== 'enrol') return reply.redirect(nextStepOf(p.stage), 303);
    return enrolPage(req, reply);
  });

  scope.post(
    '/admin/enrol',
    codeStep((token, code, requestId) => staff.confirmEnrolment(token, code, requestId), enrolPage),
  );

  scope.post('/admin/logout', async (req, reply) => {
    const token = req.cookies[cookie];
    if (token) await staff.logout(token, req.id);
    reply.clearCookie(cookie, { path: '/' });
    return reply.redirect('/admin/login', 303);
  });

  scope.get('/admin/password', async (req, reply) =>
    html(reply, await renderPage(StaffPasswordPage({ ctx: pageContext(req) }))),
  );

  scope.post('/admin/password', async (req, reply) => {
    try {
      await staff.changePassword(req.cookies[cookie], field(req, 'current'), field(req, 'password'), req.id);
      return html(reply, await renderPage(StaffPasswordPage({ ctx: pageContext(req), done: true })));
    } catch (err) {
      const error = refusal(req, reply, err);
      return html(
        reply,
        await renderPage(StaffPasswordPage({ ctx: pageContext(req), error })),
        reply.statusCode,
      );
    }
  });
}

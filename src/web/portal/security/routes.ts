/**
 * P7.3 managing second factors on /me/security: TOTP enrolment (confirmed by a first
 * code), recovery codes (shown once), removing factors (audited by the service). Passkeys
 * are added through the JSON API by /static/passkey.js. Removing a factor and making new
 * recovery codes need fresh proof (the password or an app code within 5 minutes) and are
 * told to the person (identity/reauth.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderSVG } from 'uqr';
import { deviceLabel, type CitizenSessions } from '../../../modules/session/index.ts';
import { type ChangeContext, type IdentityService } from '../../../modules/signin/index.ts';
import { AppError, errorSpec } from '../../../kernel/errors.ts';
import { pageContext } from '../../context.ts';
import { renderPage } from '../../layout.tsx';
import { ReauthPage } from './reauth.tsx';
import { RecoveryCodesPage, TotpEnrolPage } from './view.tsx';
import type { HttpPolicy } from '../../http/cookies.ts';

type Form = Record<string, string | undefined>;
const ACCOUNT = 'Civitas account';

export function registerSecurityRoutes(
  app: FastifyInstance,
  deps: { sessions: CitizenSessions; identity: IdentityService; http: HttpPolicy },
): void {
  const factors = deps.identity.factors;
  const html = (reply: FastifyReply, body: string, status = 200) =>
    reply.code(status).type('text/html; charset=utf-8').send(body);

  const enrolPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    e: { secret: string; uri: string },
    error?: string,
  ) =>
    html(
      reply,
      await renderPage(
        TotpEnrolPage({
          ctx: pageContext(req),
          ...e,
          qr: `data:image/svg+xml;base64,${Buffer.from(renderSVG(e.uri)).toString('base64')}`,
          error,
        }),
      ),
      error ? 400 : 200,
    );

  app.post('/me/security/totp', async (req, reply) => {
    try {
      return enrolPage(req, reply, await factors.beginTotp(req.principal.citizen!.subjectId, ACCOUNT));
    } catch (err) {
      if (err instanceof AppError && err.code === 'identity.factor_exists')
        return reply.redirect('/me/security', 303);
      throw err;
    }
  });

  app.post('/me/security/totp/confirm', async (req, reply) => {
    const subjectId = req.principal.citizen!.subjectId;
    const ctx = pageContext(req);
    try {
      const codes = await factors.confirmTotp(subjectId, ((req.body as Form)?.code ?? '').toString(), req.id);
      if (!codes) return reply.redirect('/me/security?notice=totp', 303);
      return html(
        reply,
        await renderPage(RecoveryCodesPage({ ctx, codes, notice: ctx.t('security.totp.done') })),
      );
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      const pending = await factors.pendingTotp(subjectId, ACCOUNT);
      if (!pending) return reply.redirect('/me/security', 303);
      return enrolPage(req, reply, pending, errorSpec(err.code).title[ctx.locale]);
    }
  });

  // P7.3 a change that weakens protection needs fresh proof: without one, the page asks for
  // the password or an app code and posts back to the same address; then the change runs.
  const reauth = deps.identity.reauth;
  const withFreshProof = async (
    req: FastifyRequest,
    reply: FastifyReply,
    change: (c: ChangeContext) => Promise<unknown>,
  ): Promise<unknown> => {
    const ctx = pageContext(req);
    const c: ChangeContext = {
      token: req.cookies[deps.http.cookieName('session')],
      device: deviceLabel(req.headers['user-agent']),
      locale: ctx.locale,
      requestId: req.id,
    };
    const body = (req.body as Form) ?? {};
    const ask = async (error?: string) => {
      const totp = (await factors.overview(req.principal.citizen!.subjectId)).totp === 'active';
      const page = ReauthPage({ ctx, action: req.url, totp, error });
      return html(reply, await renderPage(page), error ? 400 : 200);
    };
    if (!(await reauth.fresh(c.token))) {
      if (body.reauth !== '1') return ask();
      try {
        await reauth.prove(
          req.principal.citizen!.subjectId,
          { password: body.password, code: body.code?.trim() },
          c,
        );
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        // The fifth wrong proof ended the session.
        if (!(await deps.sessions.subjectOf(c.token))) return reply.redirect('/login', 303);
        return ask(errorSpec(err.code).title[ctx.locale]);
      }
    }
    return change(c);
  };

  app.post('/me/security/totp/remove', (req, reply) =>
    withFreshProof(req, reply, async (c) => {
      const r = await reauth.removeTotp(req.principal.citizen!.subjectId, c);
      return reply.redirect(`/me/security?notice=${r.last ? 'removed-last' : 'removed'}`, 303);
    }),
  );

  app.post<{ Params: { id: string } }>('/me/security/passkeys/:id/remove', (req, reply) =>
    withFreshProof(req, reply, async (c) => {
      const r = await reauth.removePasskey(req.principal.citizen!.subjectId, req.params.id, c);
      return reply.redirect(`/me/security?notice=${r.last ? 'removed-last' : 'removed'}`, 303);
    }),
  );

  app.post('/me/security/recovery-codes', (req, reply) =>
    withFreshProof(req, reply, async (c) => {
      const codes = await reauth.regenerateRecoveryCodes(req.principal.citizen!.subjectId, c);
      return html(reply, await renderPage(RecoveryCodesPage({ ctx: pageContext(req), codes })));
    }),
  );
}

/**
 * P7.3 managing second factors on /me/security: TOTP enrolment (confirmed by a first
 * code), recovery codes (shown once), removing factors (audited by the service). Passkeys
 * are added through the JSON API by /static/passkey.js.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderSVG } from 'uqr';
import { citizenAuth, type CitizenSessions, type IdentityService } from '../../modules/identity/index.ts';
import { AppError, errorSpec } from '../../shared/errors.ts';
import { refuseCrossSite } from '../../shared/http/security.ts';
import { pageContext } from '../context.ts';
import { renderPage } from '../layout.tsx';
import { RecoveryCodesPage, TotpEnrolPage } from './security.tsx';

type Form = Record<string, string | undefined>;
const ACCOUNT = 'Civitas account';

export function registerSecurityRoutes(
  app: FastifyInstance,
  deps: { sessions: CitizenSessions; identity: IdentityService; secureCookies: boolean },
): void {
  const auth = citizenAuth(deps.sessions, deps.secureCookies, 'page');
  const guard = { preHandler: [refuseCrossSite, auth] };
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

  app.post('/me/security/totp', guard, async (req, reply) => {
    try {
      return enrolPage(req, reply, await factors.beginTotp(req.citizen!.subjectId, ACCOUNT));
    } catch (err) {
      if (err instanceof AppError && err.code === 'identity.factor_exists')
        return reply.redirect('/me/security', 303);
      throw err;
    }
  });

  app.post('/me/security/totp/confirm', guard, async (req, reply) => {
    const subjectId = req.citizen!.subjectId;
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

  app.post('/me/security/totp/remove', guard, async (req, reply) => {
    const r = await factors.removeTotp(req.citizen!.subjectId, req.id);
    return reply.redirect(`/me/security?notice=${r.last ? 'removed-last' : 'removed'}`, 303);
  });

  app.post<{ Params: { id: string } }>('/me/security/passkeys/:id/remove', guard, async (req, reply) => {
    const r = await factors.removePasskey(req.citizen!.subjectId, req.params.id, req.id);
    return reply.redirect(`/me/security?notice=${r.last ? 'removed-last' : 'removed'}`, 303);
  });

  app.post('/me/security/recovery-codes', guard, async (req, reply) => {
    const codes = await factors.regenerateRecoveryCodes(req.citizen!.subjectId, req.id);
    return html(reply, await renderPage(RecoveryCodesPage({ ctx: pageContext(req), codes })));
  });
}

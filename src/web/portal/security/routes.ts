/**
 * P7.3 managing second factors on /me/security: TOTP enrolment (confirmed by a first
 * code), recovery codes (shown once), removing factors (audited by the service). Passkeys
 * are added through the JSON API by /static/passkey.js. Removing a factor and making new
 * recovery codes need fresh proof (the password, an app code or an SMS code within 5
 * minutes; fresh-proof.ts) and are told to the person (signin/reauth.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderSVG } from 'uqr';
import { type CitizenSessions, type NameProblem } from '../../../modules/session/index.ts';
import { type IdentityService } from '../../../modules/signin/index.ts';
import { AppError, errorSpec } from '../../../kernel/errors.ts';
import { pageContext } from '../../context.ts';
import { renderPage } from '../../layout.tsx';
import { freshProof } from './fresh-proof.ts';
import { RecoveryCodesPage, RecoveryCodesStalePage, RenamePasskeyPage, TotpEnrolPage } from './view.tsx';
import { askToConfirm, confirmed } from './confirm.tsx';
import type { HttpPolicy } from '../../http/cookies.ts';

type Form = Record<string, string | undefined>;
const ACCOUNT = 'Civitas account';
/** The shape of a recovery code (factors.ts): two groups of five base32 characters. */
const RECOVERY_CODE = /^[A-Z2-7]{5}-[A-Z2-7]{5}$/;

export function registerSecurityRoutes(
  app: FastifyInstance,
  deps: { sessions: CitizenSessions; identity: IdentityService; http: HttpPolicy },
): void {
  const factors = deps.identity.factors;
  // no-store: these pages show a TOTP secret or recovery codes, which no cache may keep.
  const html = (reply: FastifyReply, body: string, status = 200) =>
    reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);

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

  // P7.3 a change that weakens protection needs fresh proof (fresh-proof.ts): without one,
  // the page asks for it, naming the change, and posts back to the same address.
  const reauth = deps.identity.reauth;
  const withFreshProof = freshProof(deps);

  // Destructive: "Are you sure?" first (confirm.tsx), then fresh proof, then the change.
  app.post('/me/security/totp/remove', (req, reply) => {
    const ctx = pageContext(req);
    if (!confirmed(req))
      return askToConfirm(req, reply, ctx, {
        title: ctx.t('confirm.totp.title'),
        effect: `${ctx.t('confirm.totp.effect')} ${ctx.t('security.remove.effect')}`,
        confirm: ctx.t('confirm.remove.do'),
        back: '/me/security',
      });
    return withFreshProof(req, reply, 'totp-remove', async (c) => {
      const r = await reauth.removeTotp(req.principal.citizen!.subjectId, c);
      return reply.redirect(`/me/security?notice=${r.last ? 'removed-last' : 'removed'}`, 303);
    });
  });

  const passkeyOf = async (subjectId: string, id: string) =>
    (await factors.overview(subjectId)).passkeys.find((p) => p.id === id);

  app.post<{ Params: { id: string } }>('/me/security/passkeys/:id/remove', async (req, reply) => {
    const ctx = pageContext(req);
    if (!confirmed(req)) {
      const passkey = await passkeyOf(req.principal.citizen!.subjectId, req.params.id);
      if (!passkey) return reply.redirect('/me/security', 303);
      return askToConfirm(req, reply, ctx, {
        title: ctx.t('confirm.passkey.title'),
        subject: passkey.label,
        effect: `${ctx.t('confirm.passkey.effect')} ${ctx.t('security.remove.effect')}`,
        confirm: ctx.t('confirm.remove.do'),
        back: '/me/security',
      });
    }
    return withFreshProof(req, reply, 'passkey-remove', async (c) => {
      const r = await reauth.removePasskey(req.principal.citizen!.subjectId, req.params.id, c);
      return reply.redirect(`/me/security?notice=${r.last ? 'removed-last' : 'removed'}`, 303);
    });
  });

  // P7.3 renaming a passkey: a small form page; a refused name comes back beside its field.
  const renamePage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    p: { id: string; label: string },
    typed?: string,
    problem?: NameProblem,
  ) =>
    html(
      reply,
      await renderPage(
        RenamePasskeyPage({
          // The language switch returns to the form's GET address, not the POST's.
          ctx: { ...pageContext(req), path: `/me/security/passkeys/${p.id}/rename` },
          id: p.id,
          label: p.label,
          typed,
          problem,
        }),
      ),
      problem ? 400 : 200,
    );

  app.get<{ Params: { id: string } }>('/me/security/passkeys/:id/rename', async (req, reply) => {
    const passkey = await passkeyOf(req.principal.citizen!.subjectId, req.params.id);
    if (!passkey) return reply.redirect('/me/security', 303);
    return renamePage(req, reply, passkey);
  });

  app.post<{ Params: { id: string } }>('/me/security/passkeys/:id/rename', async (req, reply) => {
    const subjectId = req.principal.citizen!.subjectId;
    const passkey = await passkeyOf(subjectId, req.params.id);
    if (!passkey) return reply.redirect('/me/security', 303);
    const typed = String((req.body as Form)?.label ?? '');
    const problem = await factors.renamePasskey(subjectId, passkey.id, typed);
    if (problem === 'unknown') return reply.redirect('/me/security', 303);
    if (problem) return renamePage(req, reply, passkey, typed, problem);
    return reply.redirect('/me/security?notice=renamed', 303);
  });

  app.post('/me/security/recovery-codes', (req, reply) =>
    withFreshProof(req, reply, 'recovery-codes', async (c) => {
      const codes = await reauth.regenerateRecoveryCodes(req.principal.citizen!.subjectId, c);
      return html(reply, await renderPage(RecoveryCodesPage({ ctx: pageContext(req), codes })));
    }),
  );

  // The codes page's "Download" posts the codes it shows back here: they are kept only as
  // hashes, so the server cannot make the file itself. Only the person's own unused codes
  // are written into a file; anything else gets the page that says they are not valid.
  app.post('/me/security/recovery-codes/download', async (req, reply) => {
    const ctx = pageContext(req);
    const raw = (req.body as Record<string, string | string[] | undefined>)?.code;
    const codes = (Array.isArray(raw) ? raw : raw ? [raw] : []).map((c) => String(c).trim().toUpperCase());
    const wellFormed = codes.length > 0 && codes.length <= 10 && codes.every((c) => RECOVERY_CODE.test(c));
    if (!wellFormed || !(await factors.holdsRecoveryCodes(req.principal.citizen!.subjectId, codes))) {
      return html(reply, await renderPage(RecoveryCodesStalePage({ ctx })), 400);
    }
    const file = [ctx.t('recovery.file.title'), '', ctx.t('recovery.file.intro'), '', ...codes, ''].join(
      '\r\n',
    );
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', 'attachment; filename="civitas-recovery-codes.txt"')
      .header('x-content-type-options', 'nosniff')
      .type('text/plain; charset=utf-8')
      .send(file);
  });
}

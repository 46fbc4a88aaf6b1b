/**
 * P8.1 the person's e-mail address on /me/email: add (a code is mailed), verify, resend,
 * cancel, change and remove (asks to confirm first). The notify module enforces every rule;
 * a refusal re-renders the page in the person's language, on its field, keeping what was
 * typed (never the code).
 *
 * P8.5 /unsubscribe/:token: the one-click link of optional mail (RFC 8058). GET only shows a
 * button (a link checker must not unsubscribe anybody); POST switches that kind's mail off,
 * with no session and no CSRF token: the signed token is the proof, and a mail program posts
 * it from elsewhere. The page names the kind, never the person or the address.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EmailService } from '../../../modules/notify/index.ts';
import { pageContext } from '../../context.ts';
import { fieldErrors, isRefusal } from '../../forms/errors.ts';
import type { HttpPolicy } from '../../http/cookies.ts';
import { renderPage } from '../../layout.tsx';
import { askToConfirm, confirmed } from '../security/confirm.tsx';
import { EmailPage, UnsubscribePage } from './view.tsx';

type Form = Record<string, string | undefined>;

const notices = {
  sent: 'email.sent',
  verified: 'email.verified',
  removed: 'email.removed',
  cancelled: 'email.cancelled',
} as const;

export function registerEmailPages(
  app: FastifyInstance,
  deps: { email: EmailService; http: HttpPolicy },
): void {
  const me = (req: FastifyRequest) => req.principal.citizen!.subjectId;
  const field = (req: FastifyRequest, name: string) =>
    ((req.body as Form | undefined)?.[name] ?? '').toString();
  const html = async (reply: FastifyReply, el: unknown, status = 200) =>
    reply
      .code(status)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(await renderPage(el));
  const ctxOf = (req: FastifyRequest) => ({ locale: pageContext(req).locale, requestId: req.id });

  const page = async (
    req: FastifyRequest,
    reply: FastifyReply,
    o: { status?: string; err?: unknown; fallback?: string; typed?: string } = {},
  ) => {
    const ctx = pageContext(req);
    let errors;
    if (o.err !== undefined) {
      if (!isRefusal(o.err, ['notify.email_unavailable'])) throw o.err;
      errors = fieldErrors(o.err, ctx, {
        fallback: o.fallback ?? 'email',
        fields: {
          'notify.email_code_invalid': 'code',
          'notify.email_code_used_up': 'code',
          'notify.email_invalid': 'email',
          'notify.email_rejected': 'email',
          'notify.email_same': 'email',
        },
      });
    }
    return html(
      reply,
      EmailPage({ ctx, email: await deps.email.overview(me(req)), status: o.status, errors, typed: o.typed }),
      errors ? (o.err as { status: number }).status : 200,
    );
  };

  app.get<{ Querystring: { notice?: string } }>('/me/email', (req, reply) => {
    const n = req.query.notice;
    const key = n && Object.hasOwn(notices, n) ? notices[n as keyof typeof notices] : undefined;
    return page(req, reply, key ? { status: pageContext(req).t(key) } : {});
  });

  app.post('/me/email', async (req, reply) => {
    const typed = field(req, 'email');
    try {
      await deps.email.add(me(req), typed, ctxOf(req));
      return reply.redirect('/me/email?notice=sent', 303);
    } catch (err) {
      return page(req, reply, { err, typed });
    }
  });

  app.post('/me/email/verify', async (req, reply) => {
    try {
      await deps.email.verify(me(req), field(req, 'code'), ctxOf(req));
      return reply.redirect('/me/email?notice=verified', 303);
    } catch (err) {
      return page(req, reply, { err, fallback: 'code' });
    }
  });

  app.post('/me/email/resend', async (req, reply) => {
    try {
      await deps.email.resend(me(req), ctxOf(req));
      return reply.redirect('/me/email?notice=sent', 303);
    } catch (err) {
      return page(req, reply, { err, fallback: 'code' });
    }
  });

  app.post('/me/email/cancel', async (req, reply) => {
    try {
      await deps.email.cancel(me(req), ctxOf(req));
      return reply.redirect('/me/email?notice=cancelled', 303);
    } catch (err) {
      return page(req, reply, { err });
    }
  });

  // Destructive: "Are you sure?" first, then the removal.
  app.post('/me/email/remove', async (req, reply) => {
    const ctx = pageContext(req);
    if (!confirmed(req))
      return askToConfirm(req, reply, ctx, {
        title: ctx.t('email.confirm.title'),
        effect: ctx.t('email.confirm.effect'),
        confirm: ctx.t('email.confirm.do'),
        back: '/me/email',
      });
    try {
      await deps.email.remove(me(req), ctxOf(req));
      return reply.redirect('/me/email?notice=removed', 303);
    } catch (err) {
      return page(req, reply, { err });
    }
  });

  app.get<{ Params: { token: string } }>('/unsubscribe/:token', (req, reply) => {
    const target = deps.email.unsubscribeTarget(req.params.token);
    return html(
      reply,
      UnsubscribePage({
        ctx: pageContext(req),
        kind: target?.kind,
        action: `/unsubscribe/${encodeURIComponent(req.params.token)}`,
      }),
      target ? 200 : 404,
    );
  });

  app.post<{ Params: { token: string } }>('/unsubscribe/:token', async (req, reply) => {
    const done = await deps.email.unsubscribe(req.params.token);
    return html(
      reply,
      UnsubscribePage({ ctx: pageContext(req), kind: done?.kind, action: req.url, done: true }),
      done ? 200 : 404,
    );
  });
}

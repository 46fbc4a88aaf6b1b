/**
 * Linked-account routes (P7.1): start an upstream sign-in (to sign in, or to link while
 * signed in), the callback, and unlinking. The section on /me/security is rendered by
 * `linkedSection`, which me.routes includes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpPolicy } from '../../http/cookies.ts';
import { applySignIn, signInContext } from '../../http/sign-in.ts';
import type { LinkedService } from '../../../modules/linked/index.ts';
import { AppError, errorSpec } from '../../../kernel/errors.ts';
import { localPath } from '../../../shared/http/redirect.ts';
import { pageContext } from '../../context.ts';
import { renderPage, type PageContext } from '../../layout.tsx';
import { askToConfirm, confirmed } from '../security/confirm.tsx';
import { LinkedContinuePage, LinkedRefusedPage, LinkedSection, LinkedSignIn } from './view.tsx';
import { withNext } from '../../http/return-address.ts';

export const CALLBACK_PATH = '/linked/callback';

export function registerLinkedRoutes(
  app: FastifyInstance,
  deps: { linked: LinkedService; http: HttpPolicy },
): void {
  const stateCookie = deps.http.cookieName('linkedState');
  // Lax (the registry): the callback is a top-level navigation back from the provider.
  const setState = (reply: FastifyReply, state: string) => deps.http.cookie('linkedState').set(reply, state);
  const toUpstream = (reply: FastifyReply, r: { url: URL; state: string }) => {
    setState(reply, r.state);
    return reply.redirect(r.url.toString(), 303);
  };

  app.register(async (scope) => {
    scope.get<{ Params: { provider: string }; Querystring: { next?: string } }>(
      '/login/linked/:provider',
      async (req, reply) => {
        const next = localPath(req.query.next);
        return toUpstream(
          reply,
          await deps.linked.start({
            provider: req.params.provider,
            mode: 'login',
            ...(next ? { next } : {}),
          }),
        );
      },
    );

    // Shape kept from before the guard table, so parallel edits of the body merge.
    // prettier-ignore
    scope.post<{ Params: { provider: string } }>(
      '/me/linked/:provider',
      async (req, reply) => {
        const r = await deps.linked.start({
          provider: req.params.provider,
          mode: 'link',
          subjectId: req.principal.citizen!.subjectId,
        });
        const ctx = pageContext(req);
        const name =
          deps.linked.providers().find((p) => p.id === req.params.provider)?.name[ctx.locale] ?? '';
        setState(reply, r.state);
        return reply
          .header('refresh', `0; url=${r.url.toString()}`)
          .type('text/html; charset=utf-8')
          .send(await renderPage(LinkedContinuePage({ ctx, url: r.url.toString(), provider: name })));
      },
    );

    // Shape kept from before the guard table, so parallel edits of the body merge.
    // prettier-ignore
    scope.post<{ Params: { id: string } }>(
      '/me/linked/:id/unlink',
      async (req, reply) => {
        const subjectId = req.principal.citizen!.subjectId;
        // Not a link of theirs: no question to ask; the service refuses as before.
        const link = confirmed(req)
          ? undefined
          : (await deps.linked.links(subjectId)).find((l) => l.id === req.params.id);
        if (link) {
          const ctx = pageContext(req);
          return askToConfirm(req, reply, ctx, {
            title: ctx.t('confirm.unlink.title'),
            subject: link.providerName[ctx.locale],
            effect: ctx.t('confirm.unlink.effect'),
            confirm: ctx.t('confirm.unlink.do'),
            back: '/me/security',
          });
        }
        await deps.linked.unlink(subjectId, req.params.id, req.id);
        return reply.redirect('/me/security?unlinked=1', 303);
      },
    );

    scope.get(CALLBACK_PATH, async (req, reply) => {
      const url = new URL(req.url, 'http://callback.invalid');
      const callbackUrl = new URL(deps.linked.redirectUri());
      callbackUrl.search = url.search;
      deps.http.cookie('linkedState').clear(reply);
      try {
        const r = await deps.linked.finish({
          callbackUrl,
          stateCookie: req.cookies[stateCookie],
          signedIn: req.principal.citizen?.subjectId,
          ctx: signInContext(req, reply, deps.http.secureCookies),
        });
        if (r.mode === 'link') return reply.redirect('/me/security?linked=1', 303);
        // P7.3 a linked sign-in from a new device passes the same second step.
        applySignIn(reply, r.result, deps.http.secureCookies);
        const next = localPath(r.next);
        if (r.result.kind === 'second-step') {
          return reply.redirect(withNext('/login/second-step', next), 303);
        }
        return reply.redirect(next ?? '/me/access', 303);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) {
          if (!(err instanceof AppError) || err.code !== 'linked.upstream_failed') throw err;
        }
        const ctx = pageContext(req);
        const body = await renderPage(
          LinkedRefusedPage({
            ctx,
            notLinked: err.code === 'linked.not_linked',
            reason: errorSpec(err.code).title[ctx.locale],
          }),
        );
        return reply.code(err.status).type('text/html; charset=utf-8').send(body);
      }
    });
  });
}

/** The linked-accounts section of /me/security, for me.routes to include. */
export function linkedSection(linked: LinkedService) {
  return async (req: FastifyRequest) => {
    const q = req.query as { linked?: string; unlinked?: string };
    return LinkedSection({
      ctx: pageContext(req),
      links: await linked.links(req.principal.citizen!.subjectId),
      providers: linked.providers(),
      status: q.linked === '1' ? 'done' : q.unlinked === '1' ? 'removed' : undefined,
    });
  };
}

/** The sign-in buttons for the login page. */
export function linkedSignIn(linked: LinkedService) {
  return (ctx: PageContext, next?: string) => LinkedSignIn({ ctx, providers: linked.providers(), next });
}

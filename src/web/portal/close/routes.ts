/**
 * /me/close "Close my account" (P8.5.cancel, P8.3).
 *
 * Rules:
 * - The page shows what closing does before anything is asked (closure.preview): the
 *   services that will lose the person, what is erased, what is kept and why, the dates,
 *   a link to download a copy first, and what blocks closing. Signed in is enough to see it.
 * - Asking needs the box ticked (checked before any proof is asked for), then a fresh proof
 *   (guard table `step-up`; security/fresh-proof.ts says why on the proof page). A refusal
 *   (a company still represented, a closure already waiting) comes back on the page, beside
 *   the box, with the box as it was.
 * - Undo is a plain signed-in form: keeping one's account needs no proof, and the closure's
 *   message tells the person of every change anyway.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorSpec } from '../../../kernel/errors.ts';
import type { ClosureService } from '../../../modules/closure/index.ts';
import type { CitizenSessions } from '../../../modules/session/index.ts';
import type { IdentityService } from '../../../modules/signin/index.ts';
import { field } from '../../admin/refusal.tsx';
import { pageContext } from '../../context.ts';
import type { HttpPolicy } from '../../http/cookies.ts';
import { renderPage } from '../../layout.tsx';
import { freshProof } from '../security/fresh-proof.ts';
import { ClosePage } from './view.tsx';

export function registerClosePages(
  app: FastifyInstance,
  deps: { closure: ClosureService; sessions: CitizenSessions; identity: IdentityService; http: HttpPolicy },
): void {
  const withFreshProof = freshProof(deps);
  const subjectOf = (req: FastifyRequest) => req.principal.citizen!.subjectId;

  const page = async (
    req: FastifyRequest,
    reply: FastifyReply,
    o: { undone?: boolean; understood?: boolean; error?: string; status?: number } = {},
  ) => {
    const ctx = pageContext(req);
    const body = ClosePage({
      ctx,
      preview: await deps.closure.preview(subjectOf(req)),
      undone: o.undone,
      understood: o.understood,
      errors: o.error ? [{ field: 'close-understood', message: o.error }] : undefined,
    });
    return reply
      .code(o.status ?? 200)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(await renderPage(body));
  };

  app.get<{ Querystring: { undone?: string } }>('/me/close', (req, reply) =>
    page(req, reply, { undone: req.query.undone === '1' }),
  );

  app.post('/me/close', async (req, reply) => {
    const ctx = pageContext(req);
    if (field(req.body, 'understood') !== 'yes')
      return page(req, reply, { error: ctx.t('close.understoodMissing'), status: 400 });
    return withFreshProof(
      req,
      reply,
      'close',
      async () => {
        try {
          await deps.closure.request(subjectOf(req), { locale: ctx.locale, requestId: req.id });
          return await reply.redirect('/me/close', 303);
        } catch (err) {
          if (!(err instanceof AppError) || err.status >= 500) throw err;
          const spec = errorSpec(err.code);
          const reason = spec.clause ? `${spec.title[ctx.locale]} (${spec.clause})` : spec.title[ctx.locale];
          return page(req, reply, { error: reason, understood: true, status: err.status });
        }
      },
      { carry: ['understood'], detail: ctx.t('close.why') },
    );
  });

  app.post('/me/close/undo', async (req, reply) => {
    try {
      await deps.closure.undo(subjectOf(req), { requestId: req.id });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      return page(req, reply, {
        error: errorSpec(err.code).title[pageContext(req).locale],
        status: err.status,
      });
    }
    return reply.redirect('/me/close?undone=1', 303);
  });
}

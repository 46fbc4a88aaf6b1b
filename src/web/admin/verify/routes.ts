/** In-person verification at the service hall (L4), recorded by service-hall staff. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError, errorSpec } from '../../../kernel/errors.ts';
import type { VerificationService } from '../../../modules/verification/index.ts';
import { pageContext } from '../../context.ts';
import { renderPage } from '../../layout.tsx';
import { InPersonPage } from './view.tsx';

export function registerInPersonPages(
  scope: FastifyInstance,
  deps: {
    verification: VerificationService;
  },
) {
  const html = (reply: FastifyReply) => reply.type('text/html; charset=utf-8');
  // policy: P2.1, P7.2 — service-hall staff record in-person verification; other roles are refused.
  scope.get('/admin/verify', async (req, reply) =>
    html(reply).send(await renderPage(InPersonPage({ ctx: pageContext(req), state: {} }))),
  );

  scope.post<{ Body: { idNumber?: unknown; documentKind?: unknown; faceCompared?: unknown } }>(
    '/admin/verify',
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
}

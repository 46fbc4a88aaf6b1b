/**
 * /me/export "Download my data" (P8.1.export, P8.3).
 *
 * Rules:
 * - Step-up first (guard table `step-up`): the page, asking for an archive and each
 *   download need a proof from the last 5 minutes (security/fresh-proof.ts); the proof
 *   page says why. A download without one goes back to /me/export, which asks.
 * - Only the signed-in person's own archives: the id in the address is matched to the
 *   session's person by the service; another person's archive (or a made-up id) is the
 *   404 page, an expired link the 410 page, both readable, in the person's language.
 * - While an archive is on its way the page refreshes itself (no script) and shows the
 *   progress in sections.
 */
import type { FastifyInstance } from 'fastify';
import type { ExportService } from '../../../modules/export/index.ts';
import type { CitizenSessions } from '../../../modules/session/index.ts';
import type { IdentityService } from '../../../modules/signin/index.ts';
import { pageContext } from '../../context.ts';
import type { HttpPolicy } from '../../http/cookies.ts';
import { renderPage } from '../../layout.tsx';
import { freshProof } from '../security/fresh-proof.ts';
import { ExportPage } from './view.tsx';

export function registerExportPages(
  app: FastifyInstance,
  deps: { exports: ExportService; sessions: CitizenSessions; identity: IdentityService; http: HttpPolicy },
): void {
  const proof = freshProof(deps);
  const detail = (req: Parameters<typeof pageContext>[0]) => pageContext(req).t('export.why');

  app.get('/me/export', async (req, reply) => {
    if (!(await proof.fresh(req)))
      return proof.ask(req, reply, 'export', { action: '/me/export', detail: detail(req) });
    const ctx = pageContext(req);
    const archives = await deps.exports.list(req.principal.citizen!.subjectId);
    const sections = deps.exports.plan.sections.map((s) => s.label[ctx.locale]);
    return reply
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(await renderPage(ExportPage({ ctx, archives, sections })));
  });

  app.post<{ Body: { prepare?: unknown } }>('/me/export', (req, reply) =>
    proof(
      req,
      reply,
      'export',
      async () => {
        if (req.body?.prepare === '1')
          await deps.exports.request(req.principal.citizen!.subjectId, pageContext(req).locale, req.id);
        return reply.redirect('/me/export', 303);
      },
      { carry: ['prepare'], detail: detail(req) },
    ),
  );

  for (const format of ['json', 'html'] as const) {
    app.get<{ Params: { id: string } }>(`/me/export/:id/archive.${format}`, async (req, reply) => {
      if (!(await proof.fresh(req))) return reply.redirect('/me/export', 303);
      const d = await deps.exports.download(req.principal.citizen!.subjectId, req.params.id, format, req.id);
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${d.filename}"`)
        .type(d.contentType)
        .send(d.body);
    });
  }
}

/**
 * Support's desk of "this wasn't me" reports (P7.3). The rules are the activity service's:
 * only the support role handles them (another role reads why, not an empty list); a close
 * without a note is shown beside the case with what was typed and its clause, never a 500.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { activityErrors, mayHandleReports, type ActivityService } from '../../../modules/activity/index.ts';
import { pageContext } from '../../context.ts';
import { denied, field, refusalOf, sendPage } from '../refusal.tsx';
import { SuspiciousDeskPage } from './view.tsx';

export function registerSuspiciousDesk(app: FastifyInstance, deps: { activity: ActivityService }) {
  const staffOf = (req: FastifyRequest) => {
    const s = req.principal.staff!;
    return { id: s.id, role: s.role };
  };

  app.register(async (scope) => {
    scope.addHook('preHandler', async (req, reply) => {
      const s = req.principal.staff;
      if (s && !mayHandleReports(s.role))
        return denied(req, reply, pageContext(req).t('admin.suspicious.title'), activityErrors.forbidden);
    });

    scope.get<{ Querystring: { done?: string } }>('/admin/suspicious', async (req, reply) =>
      sendPage(
        reply,
        SuspiciousDeskPage({
          ctx: pageContext(req),
          open: await deps.activity.openCases(staffOf(req)),
          done: req.query.done === '1',
        }),
      ),
    );

    scope.post<{ Params: { id: string } }>('/admin/suspicious/:id/close', async (req, reply) => {
      const note = field(req.body, 'note').slice(0, 2000);
      try {
        await deps.activity.close(staffOf(req), req.params.id, note, req.id);
        return await reply.redirect('/admin/suspicious?done=1', 303);
      } catch (err) {
        const view = refusalOf(err, pageContext(req).locale);
        if (view.code === activityErrors.unknown_report) throw err;
        const open = await deps.activity.openCases(staffOf(req));
        return sendPage(
          reply,
          SuspiciousDeskPage({ ctx: pageContext(req), open, refusal: { id: req.params.id, view, note } }),
          view.status,
        );
      }
    });
  });
}

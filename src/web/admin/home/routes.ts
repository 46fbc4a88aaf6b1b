/** The console's first page: the audit chain's state and the latest entries. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AuditService } from '../../../modules/audit/index.ts';
import { pageContext } from '../../context.ts';
import { renderPage } from '../../layout.tsx';
import { ConsoleHome } from './view.tsx';

export function registerConsoleHome(scope: FastifyInstance, deps: { audit: AuditService }) {
  const html = (reply: FastifyReply) => reply.type('text/html; charset=utf-8');
  scope.get('/admin', async (req, reply) => {
    const [audit, recent] = await Promise.all([deps.audit.status(), deps.audit.recent(20)]);
    return html(reply).send(
      await renderPage(
        ConsoleHome({ ctx: pageContext(req), view: { staff: req.principal.staff!, audit, recent } }),
      ),
    );
  });
}

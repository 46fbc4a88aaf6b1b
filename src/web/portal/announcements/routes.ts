/**
 * Dismissing an announcement from a signed-in page's header (issue 13 §3): a POST form, so
 * it works without JavaScript and is refused cross-site (guards.table.ts); it returns to the
 * page it was on (`next`, through the one redirect guard). Only the person's own dismissal
 * is written; an id that is no announcement's dismisses nothing and still returns.
 */
import type { FastifyInstance } from 'fastify';
import type { AnnounceService } from '../../../modules/announce/index.ts';
import { nextOf } from '../../http/return-address.ts';

export function registerAnnouncementDismissal(
  app: FastifyInstance,
  deps: { announce: Pick<AnnounceService, 'dismiss'> },
): void {
  app.post<{ Params: { id: string } }>('/announcements/:id/dismiss', async (req, reply) => {
    await deps.announce.dismiss(req.principal.citizen!.subjectId, req.params.id, req.id);
    return reply.redirect(nextOf(req) ?? '/', 303);
  });
}

/**
 * The console's deliveries page: the outbox at a glance (`notify.outboxOverview`) and the
 * progress of one notice to many people (`notify.noticeProgress`), for the security officer
 * and the DPO (P7.2 least privilege: the roles that run incidents and transfers, whose
 * notices these are). Counts, channels, states and failure codes only: notify's overview
 * carries no subject id and no destination, so nothing here can show one person.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { NotifyService } from '../../../modules/notify/index.ts';
import { pageContext } from '../../context.ts';
import { consoleErrors } from '../console.errors.ts';
import { denied, sendPage } from '../refusal.tsx';
import { DeliveriesPage } from './view.tsx';
import { mayWatchDeliveries } from './who.ts';

/** A notice key as notify writes them (`incident:<id>`, `transfer:<id>`); anything else finds nothing. */
const query = z.object({ key: z.string().trim().max(200).optional().catch(undefined) });

export function registerDeliveryConsole(
  app: FastifyInstance,
  deps: { notify: Pick<NotifyService, 'outboxOverview' | 'noticeProgress'> },
) {
  app.get('/admin/deliveries', async (req, reply) => {
    const ctx = pageContext(req);
    const s = req.principal.staff;
    if (s && !mayWatchDeliveries(s.role))
      return denied(req, reply, ctx.t('admin.deliveries.title'), consoleErrors.deliveries_forbidden);
    const key = query.parse(req.query ?? {}).key || undefined;
    const [overview, progress] = await Promise.all([
      deps.notify.outboxOverview(),
      key ? deps.notify.noticeProgress(key) : Promise.resolve(undefined),
    ]);
    return sendPage(
      reply,
      DeliveriesPage({ ctx, view: { overview, key, progress, unknownKey: Boolean(key) && !progress } }),
    );
  });
}

/**
 * /admin/usage: the daily usage aggregates of the last 30 days (P4 "improving services").
 * Any full staff session (guards.table.ts): the aggregates are counts, with no id of anyone;
 * the raw events are never shown here.
 */
import type { FastifyInstance } from 'fastify';
import { chinaDay, type UsageService } from '../../../modules/usage/index.ts';
import { pageContext } from '../../context.ts';
import { sendPage } from '../refusal.tsx';
import { UsagePage } from './view.tsx';

export function registerUsagePage(app: FastifyInstance, deps: { usage: Pick<UsageService, 'daily'> }) {
  app.get('/admin/usage', async (req, reply) =>
    sendPage(
      reply,
      UsagePage({ ctx: pageContext(req), rows: await deps.usage.daily(chinaDay(29), chinaDay(0)) }),
    ),
  );
}

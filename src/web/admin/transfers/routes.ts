/**
 * Console pages over transfer campaigns (P5.3.2). The rules are the transfer service's; the
 * page asks it and shows what it answers: a refusal (the notice period still running, a
 * field not valid, a role that may not) re-renders the list with the reason, its clause and
 * what was typed, never a 500.
 *
 * Only the DPO runs campaigns (`mayRunTransfers`); the page checks it first so another role
 * reads why instead of an empty list.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  mayRunTransfers,
  transferErrors,
  type DraftInput,
  type TransferService,
} from '../../../modules/transfer/index.ts';
import { pageContext } from '../../context.ts';
import { checkForm, denied, field, fields, refusalOf, sendPage, type RefusalView } from '../refusal.tsx';
import { TransfersPage, type CampaignLine, type DraftForm, type TransfersView } from './view.tsx';

/** The draft form as posted: strings, trimmed; the service judges the values. */
const draftForm = z.object({
  recipientName: z.string().trim().max(500),
  recipientCreditCode: z.string().trim().max(100),
  reason: z.string().max(50),
  categories: z.array(z.string().max(50)).max(50),
  scope: z.string().max(20),
  serviceSlug: z.string().trim().max(100),
  subjectIds: z.string().max(2_000_000),
  noticeDays: z.string().trim().max(10),
  plannedFor: z.string().trim().max(20),
});

/** What was typed, as typed (checked inside the post: checkForm). */
const formOf = (body: unknown): DraftForm => ({
  recipientName: field(body, 'recipientName'),
  recipientCreditCode: field(body, 'recipientCreditCode'),
  reason: field(body, 'reason'),
  categories: fields(body, 'categories'),
  scope: field(body, 'scope'),
  serviceSlug: field(body, 'serviceSlug'),
  subjectIds: field(body, 'subjectIds'),
  noticeDays: field(body, 'noticeDays'),
  plannedFor: field(body, 'plannedFor'),
});

const inputOf = (f: DraftForm): DraftInput => ({
  recipientName: f.recipientName,
  recipientCreditCode: f.recipientCreditCode,
  reason: f.reason,
  categories: f.categories,
  scope: f.scope as DraftInput['scope'],
  serviceSlug: f.serviceSlug || undefined,
  subjectIds: f.subjectIds.split(/[\s,]+/).filter(Boolean),
  // Empty: the configured default; anything not a whole number is refused by the service.
  noticeDays: f.noticeDays === '' ? undefined : Number(f.noticeDays),
  plannedFor: f.plannedFor,
});

type Params = { Params: { id: string } };

export function registerTransferPages(
  app: FastifyInstance,
  deps: { transfer: TransferService; defaultNoticeDays: number },
) {
  const { transfer } = deps;

  async function lines(): Promise<CampaignLine[]> {
    const campaigns = await transfer.list();
    return Promise.all(campaigns.map(async (c) => ({ campaign: c, ...(await transfer.affected(c.id)) })));
  }

  async function show(
    req: FastifyRequest,
    reply: FastifyReply,
    view: Partial<Omit<TransfersView, 'campaigns' | 'services' | 'defaultNoticeDays'>>,
    status = 200,
  ) {
    const [campaigns, services] = await Promise.all([lines(), transfer.services()]);
    const full: TransfersView = { ...view, campaigns, services, defaultNoticeDays: deps.defaultNoticeDays };
    return sendPage(reply, TransfersPage({ ctx: pageContext(req), view: full }), status);
  }

  const staffOf = (req: FastifyRequest) => {
    const s = req.principal.staff!;
    return { id: s.id, role: s.role };
  };

  app.register(async (scope) => {
    // The role check, after the table's guards (cross-site, staff: web/http/guards.table.ts).
    scope.addHook('preHandler', async (req, reply) => {
      const s = req.principal.staff;
      if (s && !mayRunTransfers(s.role))
        return denied(req, reply, pageContext(req).t('admin.transfers.title'), transferErrors.forbidden);
    });

    scope.get('/admin/transfers', (req, reply) => show(req, reply, {}));

    scope.post('/admin/transfers', async (req, reply) => {
      const form = formOf(req.body);
      try {
        await transfer.draft(inputOf(checkForm(draftForm, form)), staffOf(req), req.id);
        return await show(req, reply, { done: 'drafted' });
      } catch (err) {
        const refusal = refusalOf(err, pageContext(req).locale);
        return show(req, reply, { form, refusal }, refusal.status);
      }
    });

    /** One step on one campaign; a refusal is shown beside the campaign it concerns. */
    const step =
      (done: TransfersView['done'], run: (req: FastifyRequest<Params>) => Promise<unknown>) =>
      async (req: FastifyRequest<Params>, reply: FastifyReply) => {
        try {
          await run(req);
          return await show(req, reply, { done });
        } catch (err) {
          const refusal: RefusalView = refusalOf(err, pageContext(req).locale);
          return show(
            req,
            reply,
            { refusal, refusedCampaign: req.params.id, reference: field(req.body, 'reference') },
            refusal.status,
          );
        }
      };

    scope.post<Params>(
      '/admin/transfers/:id/notify',
      step('notified', (req) => transfer.sendNotice(req.params.id, staffOf(req), req.id)),
    );
    scope.post<Params>(
      '/admin/transfers/:id/transfer',
      step('transferred', (req) =>
        transfer.recordTransfer(
          req.params.id,
          { reference: field(req.body, 'reference').slice(0, 500) },
          staffOf(req),
          req.id,
        ),
      ),
    );
    scope.post<Params>(
      '/admin/transfers/:id/cancel',
      step('cancelled', (req) => transfer.cancel(req.params.id, staffOf(req), req.id)),
    );
  });
}

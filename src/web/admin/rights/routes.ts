/**
 * The DPO's desk for rights requests (P8.2–P8.4). The rules are the rights service's: a
 * refusal (identity not confirmed, a reason missing, a role that may not) re-renders the
 * request with the reason, its clause and what was typed, never a 500. Only the DPO sees
 * the desk (`mayHandleRights`): another role reads why instead of an empty queue.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { mayHandleRights, rightsErrors, type RightsService } from '../../../modules/rights/index.ts';
import { pageContext } from '../../context.ts';
import { checkForm, denied, field, refusalOf, sendPage } from '../refusal.tsx';
import { RightsCasePage, RightsQueuePage } from './view.tsx';

type Params = { Params: { id: string } };

const text = (max: number) => z.string().max(max);
const decisionForm = z.object({
  outcome: text(30),
  reason: text(30),
  exemption: text(50),
  note: text(4000),
});
const checkFormShape = z.object({ method: text(30), reference: text(200) });
const askForm = z.object({ question: text(4000) });

export function registerRightsDesk(app: FastifyInstance, deps: { rights: RightsService }) {
  const { rights } = deps;
  const staffOf = (req: FastifyRequest) => {
    const s = req.principal.staff!;
    return { id: s.id, role: s.role };
  };

  async function showCase(
    req: FastifyRequest<Params>,
    reply: FastifyReply,
    view: { refusal?: ReturnType<typeof refusalOf>; form?: Record<string, string>; done?: boolean } = {},
  ) {
    const { request, events } = await rights.case(staffOf(req), req.params.id);
    const page = RightsCasePage({
      ctx: pageContext(req),
      request,
      events,
      exemptions: rights.exemptions(),
      ...view,
    });
    return sendPage(reply, page, view.refusal?.status ?? 200);
  }

  /** One step on one request; a refusal is shown on the request's page with what was typed. */
  const step =
    (
      keys: readonly string[],
      run: (req: FastifyRequest<Params>, form: Record<string, string>) => Promise<unknown>,
    ) =>
    async (req: FastifyRequest<Params>, reply: FastifyReply) => {
      const form = Object.fromEntries(keys.map((k) => [k, field(req.body, k)]));
      try {
        await run(req, form);
        return await reply.redirect(`/admin/rights/${req.params.id}?done=1`, 303);
      } catch (err) {
        const refusal = refusalOf(err, pageContext(req).locale);
        if (refusal.code === rightsErrors.unknown_request) throw err;
        return showCase(req, reply, { refusal, form });
      }
    };

  app.register(async (scope) => {
    scope.addHook('preHandler', async (req, reply) => {
      const s = req.principal.staff;
      if (s && !mayHandleRights(s.role))
        return denied(req, reply, pageContext(req).t('admin.rights.title'), rightsErrors.forbidden);
    });

    scope.get('/admin/rights', async (req, reply) => {
      const { open, closed } = await rights.queue(staffOf(req));
      return sendPage(reply, RightsQueuePage({ ctx: pageContext(req), open, closed }));
    });

    scope.get<Params & { Querystring: { done?: string } }>('/admin/rights/:id', (req, reply) =>
      showCase(req, reply, { done: req.query.done === '1' }),
    );

    scope.post<Params>(
      '/admin/rights/:id/confirm',
      step(['method', 'reference'], (req, form) => {
        const f = checkForm(checkFormShape, { method: form.method!, reference: form.reference! });
        return rights.confirmByStaff(staffOf(req), req.params.id, f, req.id);
      }),
    );
    scope.post<Params>(
      '/admin/rights/:id/start',
      step([], (req) => rights.start(staffOf(req), req.params.id, req.id)),
    );
    scope.post<Params>(
      '/admin/rights/:id/ask',
      step(['question'], (req, form) => {
        const f = checkForm(askForm, { question: form.question! });
        return rights.ask(staffOf(req), req.params.id, f.question, req.id);
      }),
    );
    scope.post<Params>(
      '/admin/rights/:id/decide',
      step(['outcome', 'reason', 'exemption', 'note'], (req, form) => {
        const f = checkForm(decisionForm, {
          outcome: form.outcome!,
          reason: form.reason!,
          exemption: form.exemption!,
          note: form.note!,
        });
        return rights.decide(staffOf(req), req.params.id, f, req.id);
      }),
    );
  });
}

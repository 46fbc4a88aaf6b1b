/**
 * Delivery-by-post pages (P2.4): a department service sends the person's browser to
 * GET /delivery with its client ID, the application reference, a registered return
 * address and its state; the person gives a contact (or declines) and goes back.
 * "My deliveries" lists what was given, its state and deletion date, and deletes on request.
 *
 * A malformed or unregistered request gets a readable error page and never a redirect:
 * an unregistered return address must not become an open redirect.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { deliveryAsk, type DeliveryAsk, type DeliveryService } from '../../../modules/delivery/index.ts';
import { ContinuePage } from '../../../oidc/index.ts';
import { AppError, errorSpec, fieldProblems, httpErrors } from '../../../kernel/errors.ts';
import { pageContext } from '../../context.ts';
import { renderPage } from '../../layout.tsx';
import { DeliveryPage, MyDeliveriesPage } from './view.tsx';
import type { HttpPolicy } from '../../http/cookies.ts';

type Form = Record<string, unknown>;

function askOf(input: unknown): DeliveryAsk {
  const parsed = deliveryAsk.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      httpErrors.invalid_request,
      'the service sent an incomplete delivery request',
      fieldProblems(parsed.error),
    );
  }
  return parsed.data;
}

export function registerDeliveryPages(
  app: FastifyInstance,
  deps: { delivery: DeliveryService; http: HttpPolicy },
): void {
  const html = (reply: FastifyReply, status = 200) => reply.code(status).type('text/html; charset=utf-8');
  /** Moves on by a Refresh header: CSP `form-action 'self'` would stop a redirect to the service. */
  const toService = async (req: FastifyRequest, reply: FastifyReply, to: string) =>
    html(reply)
      .header('refresh', `0;url=${to}`)
      .send(await renderPage(ContinuePage({ ctx: pageContext(req), to })));

  app.register(async (scope) => {
    scope.get('/delivery', async (req, reply) => {
      const ask = askOf(req.query);
      const rp = await deps.delivery.check(ask);
      return html(reply).send(await renderPage(DeliveryPage({ ctx: pageContext(req), rp, ask })));
    });

    scope.post('/delivery', async (req, reply) => {
      const form = (req.body ?? {}) as Form;
      const ask = askOf(form);
      const contact = { recipient: form.recipient, phone: form.phone, address: form.address };
      try {
        const { returnTo } = await deps.delivery.give(req.principal.citizen!.subjectId, ask, contact, req.id);
        return await toService(req, reply, returnTo);
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== httpErrors.invalid_request) throw err;
        const ctx = pageContext(req);
        // Each refused field in the summary and beside the field (web/forms).
        const named = ['recipient', 'phone', 'address'] as const;
        const errors = [...new Set((err.fields ?? []).map((f) => String(f.path)))]
          .filter((f): f is (typeof named)[number] => (named as readonly string[]).includes(f))
          .map((f) => ({
            field: `delivery-${f}`,
            message: `${ctx.t(`delivery.${f}`)} ${ctx.t('delivery.fieldInvalid')}`,
          }));
        const kept = Object.fromEntries(
          Object.entries(contact).map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, 200) : '']),
        );
        const rp = await deps.delivery.check(ask);
        // A refusal naming no contact field still points somewhere: the first field.
        if (errors.length === 0)
          errors.push({ field: 'delivery-recipient', message: errorSpec(err.code).title[ctx.locale] });
        return html(reply, 400).send(await renderPage(DeliveryPage({ ctx, rp, ask, kept, errors })));
      }
    });

    scope.post('/delivery/decline', async (req, reply) =>
      toService(req, reply, await deps.delivery.decline(askOf(req.body))),
    );

    // Shape kept from before the guard table, so parallel edits of the body merge.
    // prettier-ignore
    scope.get<{ Querystring: { erased?: string } }>(
      '/me/deliveries',
      async (req, reply) => {
        const rows = await deps.delivery.mine(req.principal.citizen!.subjectId);
        return html(reply).send(
          await renderPage(
            MyDeliveriesPage({ ctx: pageContext(req), rows, erased: req.query.erased === '1' }),
          ),
        );
      },
    );

    // Shape kept from before the guard table, so parallel edits of the body merge.
    // prettier-ignore
    scope.post<{ Params: { id: string } }>(
      '/me/deliveries/:id/erase',
      async (req, reply) => {
        await deps.delivery.erase(req.principal.citizen!.subjectId, req.params.id, req.id);
        return reply.redirect('/me/deliveries?erased=1', 303);
      },
    );
  });
}

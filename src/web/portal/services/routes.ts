/**
 * /me/services "Connected services" (P8.1.view; P8.5.withdraw for "disconnect").
 *
 * Rules:
 * - The page shows what the connected module answers for the signed-in person only: each
 *   service with what it received, under which consent, when granted and last used, its
 *   policy link; every code turned into words of the page's language here.
 * - "Disconnect" asks first (security/confirm.tsx): the first POST changes nothing and says
 *   what will happen; the confirming POST disconnects (consents withdrawn, grants and tokens
 *   revoked, the service told by back-channel logout) and comes back with a notice.
 * - A service the person is not connected to is the 404 page, before any question.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Connected, ConnectedService } from '../../../modules/connected/index.ts';
import {
  categories as categorySpecs,
  fields as fieldSpecs,
  isField,
  isPurpose,
  purposes,
  type Category,
} from '../../../modules/inventory/index.ts';
import { AppError } from '../../../kernel/errors.ts';
import { connectedErrors } from '../../../modules/connected/index.ts';
import { pageContext } from '../../context.ts';
import { renderPage } from '../../layout.tsx';
import { askToConfirm, confirmed } from '../security/confirm.tsx';
import { ServicesPage, type ServiceRow } from './view.tsx';

type Params = { Params: { clientId: string } };

export function registerServicesPages(app: FastifyInstance, deps: { connected: Connected }): void {
  const subjectOf = (req: FastifyRequest) => req.principal.citizen!.subjectId;

  const rowOf = (req: FastifyRequest, s: ConnectedService): ServiceRow => {
    const ctx = pageContext(req);
    const time = new Intl.DateTimeFormat(ctx.locale, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Shanghai',
    });
    const category = (c: string) => categorySpecs[c as Category]?.label[ctx.locale] ?? c;
    // Fields by their labels; of the other scopes only those a person can understand.
    const received = s.received.flatMap((r) =>
      isField(r)
        ? [fieldSpecs[r].label[ctx.locale]]
        : r === 'company'
          ? [ctx.t('services.scope.company')]
          : [],
    );
    return {
      clientId: s.clientId,
      name: s.names[ctx.locale] ?? s.name,
      policyUrl: s.policyUrl,
      received: received.length > 0 ? received : s.categories.map(category),
      consents: s.consents.map((c) => ({
        purpose: isPurpose(c.purpose) ? purposes[c.purpose].label[ctx.locale] : c.purpose,
        categories: c.categories.map(category),
        given: time.format(c.givenAt),
        active: c.active,
      })),
      granted: s.granted && s.grantedAt ? time.format(s.grantedAt) : null,
      lastUsed: s.lastUsedAt ? time.format(s.lastUsedAt) : null,
      connected: s.granted || s.consents.some((c) => c.active),
    };
  };

  const connectedOne = async (req: FastifyRequest<Params>) => {
    const found = (await deps.connected.services(subjectOf(req), pageContext(req).locale)).find(
      (s) => s.clientId === req.params.clientId,
    );
    if (!found) throw new AppError(connectedErrors.unknown_service);
    return found;
  };

  app.get<{ Querystring: { done?: string } }>('/me/services', async (req, reply) => {
    const ctx = pageContext(req);
    const list = await deps.connected.services(subjectOf(req), ctx.locale);
    const done = list.find((s) => s.clientId === req.query.done);
    return reply
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(
        await renderPage(
          ServicesPage({
            ctx,
            services: list.map((s) => rowOf(req, s)),
            done: done ? (done.names[ctx.locale] ?? done.name) : undefined,
          }),
        ),
      );
  });

  app.post<Params>('/me/services/:clientId/disconnect', async (req, reply) => {
    const service = await connectedOne(req);
    if (!confirmed(req)) {
      const ctx = pageContext(req);
      return askToConfirm(req, reply, ctx, {
        title: ctx.t('confirm.disconnect.title'),
        subject: service.names[ctx.locale] ?? service.name,
        effect: ctx.t('confirm.disconnect.effect'),
        confirm: ctx.t('confirm.disconnect.do'),
        back: '/me/services',
      });
    }
    await deps.connected.disconnect(subjectOf(req), service.clientId, { requestId: req.id });
    return reply.redirect(`/me/services?done=${encodeURIComponent(service.clientId)}`, 303);
  });
}

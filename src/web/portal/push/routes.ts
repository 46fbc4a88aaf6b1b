/**
 * Push notifications in this browser (issue 13 §2, ADR 0029): the page, and the JSON the
 * page's script posts (a subscription from the browser's PushManager, or its removal).
 *
 * Rules:
 * - Which browser is the request's: the device cookie's hash and the live session, never
 *   anything in the body; the body is only the subscription (checked by the module).
 * - Guards (guards.table.ts): signed in, no cross-site post, the `push` attempt bucket.
 * - A refusal is RFC 9457 problem+json with a stable code (shared/http/api.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { PushSubscriptions } from '../../../modules/notify/index.ts';
import { deviceHash, deviceLabel } from '../../../modules/session/index.ts';
import type { Api } from '../../../shared/http/api.ts';
import { pageContext } from '../../context.ts';
import type { HttpPolicy } from '../../http/cookies.ts';
import { deviceIdOf } from '../../http/device-cookie.ts';
import { renderPage } from '../../layout.tsx';
import { PushPage } from './view.tsx';

const subscription = z.object({
  endpoint: z.string().min(1).max(2048),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({ p256dh: z.string().min(1).max(200), auth: z.string().min(1).max(100) }),
});

export function registerPushPages(
  app: FastifyInstance,
  api: Api,
  deps: { pushSubscriptions: PushSubscriptions; http: HttpPolicy },
): void {
  const push = deps.pushSubscriptions;
  const browserOf = (req: FastifyRequest, reply: Parameters<typeof deviceIdOf>[1]) => {
    const me = req.principal.citizen!;
    return {
      subjectId: me.subjectId,
      sessionId: me.id,
      deviceHash: deviceHash(me.subjectId, deviceIdOf(req, reply, deps.http.secureCookies)),
      label: deviceLabel(req.headers['user-agent']),
    };
  };

  app.get('/me/push', async (req, reply) => {
    const b = browserOf(req, reply);
    const all = await push.list(b.subjectId);
    const here = await push.ofDevice(b.subjectId, b.deviceHash);
    const page = PushPage({
      ctx: pageContext(req),
      publicKey: push.publicKey,
      here,
      others: all.filter((s) => s.id !== here?.id),
    });
    return reply.type('text/html; charset=utf-8').send(await renderPage(page));
  });

  api.register(app, {
    method: 'POST',
    url: '/api/me/push/subscription',
    summary: 'Turn push notifications on in this browser (the PushManager subscription)',
    tags: ['notifications'],
    body: subscription,
    response: z.object({ subscribed: z.literal(true) }),
    errors: [
      'http.unauthenticated',
      'http.cross_site',
      'notify.push_subscription_invalid',
      'notify.push_service_refused',
    ],
    handler: async ({ body, req, reply }) => {
      await push.subscribe(browserOf(req, reply), body, req.id);
      return { subscribed: true as const };
    },
  });

  api.register(app, {
    method: 'POST',
    url: '/api/me/push/subscription/remove',
    summary: 'Stop push notifications in this browser',
    tags: ['notifications'],
    response: z.object({ removed: z.boolean() }),
    errors: ['http.unauthenticated', 'http.cross_site'],
    handler: async ({ req, reply }) => {
      const b = browserOf(req, reply);
      return { removed: await push.unsubscribe(b.subjectId, b.deviceHash, req.id) };
    },
  });
}

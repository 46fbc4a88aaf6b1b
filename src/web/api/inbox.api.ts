/**
 * The JSON twins of /me/inbox and /me/notifications (issue 13 §3–4): the same module calls
 * as the pages, request and response checked by zod (the response is an allow-list).
 *
 * Rules:
 * - Only the signed-in person's own messages and choices; another person's message id marks
 *   nothing (`marked: 0`).
 * - A PUT of choices saves every kind or none (the page's order: notifications/routes.ts);
 *   a mandatory kind with no channel answers 422 `notify.mandatory_needs_channel` (P7.3).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { channels, kinds, type Kind, type NotifyService } from '../../modules/notify/index.ts';
import type { Api } from '../../shared/http/api.ts';
import { localeOf } from '../i18n/index.ts';
import { cursorOf, INBOX_PAGE_SIZE, parseCursor } from '../portal/inbox/cursor.ts';
import { saveChoices } from '../portal/notifications/choices.ts';

const channel = z.enum(channels);
const kind = z.enum(Object.keys(kinds) as [Kind, ...Kind[]]);
const deliveryState = z.enum(['sent', 'pending', 'failed']);

const inboxResponse = z.object({
  entries: z.array(
    z.object({
      id: z.uuid(),
      kind,
      title: z.string(),
      text: z.string(),
      at: z.date().transform((d) => d.toISOString()),
      read: z.boolean(),
      deliveries: z.array(z.object({ channel, state: deliveryState })),
    }),
  ),
  unread: z.number().int(),
  /** Pass as `before` for the next (older) page; absent on the last page. */
  older: z.string().optional(),
});

const preferencesResponse = z.object({
  kinds: z.array(z.object({ kind, mandatory: z.boolean(), channels: z.array(channel), chosen: z.boolean() })),
  reachable: z.array(channel),
});

export function registerInboxRoutes(
  app: FastifyInstance,
  api: Api,
  deps: { notify: Pick<NotifyService, 'inbox' | 'unreadCount' | 'markRead' | 'preferences' | 'choose'> },
): void {
  const { notify } = deps;

  api.register(app, {
    method: 'GET',
    url: '/api/me/inbox',
    summary: 'My messages, newest first, in my language (paged by `before`)',
    tags: ['notifications'],
    query: z.object({
      before: z.string().max(100).optional(),
      limit: z.coerce.number().int().min(1).max(100).optional(),
    }),
    response: inboxResponse,
    errors: ['http.unauthenticated', 'http.invalid_request'],
    handler: async ({ query, req }) => {
      const me = req.principal.citizen!.subjectId;
      const size = query.limit ?? INBOX_PAGE_SIZE;
      const before = parseCursor(query.before);
      const [page, unread] = await Promise.all([
        notify.inbox(me, localeOf(req), { limit: size + 1, ...(before ? { before } : {}) }),
        notify.unreadCount(me),
      ]);
      const entries = page.slice(0, size);
      const last = entries[entries.length - 1];
      return {
        entries,
        unread,
        ...(page.length > size && last ? { older: cursorOf(last) } : {}),
      };
    },
  });

  api.register(app, {
    method: 'POST',
    url: '/api/me/inbox/read',
    summary: 'Mark one of my messages, or all of them, as read',
    tags: ['notifications'],
    body: z.object({ id: z.union([z.uuid(), z.literal('all')]) }),
    response: z.object({ marked: z.number().int(), unread: z.number().int() }),
    errors: ['http.unauthenticated', 'http.cross_site', 'http.invalid_request'],
    handler: async ({ body, req }) => {
      const me = req.principal.citizen!.subjectId;
      const marked = await notify.markRead(me, body.id);
      return { marked, unread: await notify.unreadCount(me) };
    },
  });

  api.register(app, {
    method: 'GET',
    url: '/api/me/notifications',
    summary: 'The channels each kind of message reaches me by, and which channels can reach me',
    tags: ['notifications'],
    response: preferencesResponse,
    errors: ['http.unauthenticated'],
    handler: ({ req }) => notify.preferences(req.principal.citizen!.subjectId),
  });

  api.register(app, {
    method: 'PUT',
    url: '/api/me/notifications',
    summary: 'Choose the channels per kind of message (mandatory kinds need at least one)',
    tags: ['notifications'],
    body: z.object({
      kinds: z
        .array(z.object({ kind, channels: z.array(channel).max(channels.length) }))
        .min(1)
        .max(Object.keys(kinds).length),
    }),
    response: preferencesResponse,
    errors: [
      'http.unauthenticated',
      'http.cross_site',
      'http.invalid_request',
      'notify.mandatory_needs_channel',
    ],
    handler: async ({ body, req }) => {
      const me = req.principal.citizen!.subjectId;
      await saveChoices(notify, me, new Map(body.kinds.map((k) => [k.kind, k.channels])), localeOf(req));
      return notify.preferences(me);
    },
  });
}

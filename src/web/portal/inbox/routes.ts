/**
 * /me/inbox (issue 13 §3; notify's INBOX_PATH, where a push notification opens): the
 * person's messages, newest first, paged by `before`, in the reader's language.
 *
 * Rules:
 * - Only the signed-in person's own messages are read or marked: the id in a form is
 *   matched to the session's person in SQL (notify.markRead), so another person's id (or a
 *   made-up one) marks nothing.
 * - Opening a message is a POST (a prefetch or another site's image must not mark it read;
 *   the form is refused cross-site, guards.table.ts); it returns to the same page with the
 *   message open. "Mark all as read" is the same form with `all`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NotifyService } from '../../../modules/notify/index.ts';
import { pageContext } from '../../context.ts';
import { renderPage } from '../../layout.tsx';
import { cursorOf, INBOX_PAGE_SIZE, parseCursor } from './cursor.ts';
import { InboxPage } from './view.tsx';

type Query = { before?: string; open?: string; notice?: string };

export function registerInboxPages(
  app: FastifyInstance,
  deps: { notify: Pick<NotifyService, 'inbox' | 'unreadCount' | 'markRead'> },
): void {
  const show = async (req: FastifyRequest<{ Querystring: Query }>, reply: FastifyReply) => {
    const ctx = pageContext(req);
    const me = req.principal.citizen!.subjectId;
    const before = parseCursor(req.query.before);
    const [page, unread] = await Promise.all([
      deps.notify.inbox(me, ctx.locale, { limit: INBOX_PAGE_SIZE + 1, ...(before ? { before } : {}) }),
      deps.notify.unreadCount(me),
    ]);
    const entries = page.slice(0, INBOX_PAGE_SIZE);
    const last = entries[entries.length - 1];
    const html = await renderPage(
      InboxPage({
        ctx,
        entries,
        unread,
        older: page.length > INBOX_PAGE_SIZE && last ? cursorOf(last) : undefined,
        before: before ? req.query.before : undefined,
        opened: typeof req.query.open === 'string' ? req.query.open : undefined,
        status: req.query.notice === 'all-read' ? ctx.t('inbox.markedAll') : undefined,
      }),
    );
    return reply.type('text/html; charset=utf-8').send(html);
  };

  app.get<{ Querystring: Query }>('/me/inbox', show);

  app.post<{ Querystring: Query; Body: { id?: unknown } }>('/me/inbox/read', async (req, reply) => {
    const me = req.principal.citizen!.subjectId;
    const id = typeof req.body?.id === 'string' ? req.body.id : '';
    await deps.notify.markRead(me, id === 'all' ? 'all' : id);
    const before = parseCursor(req.query.before) ? req.query.before : undefined;
    const q = new URLSearchParams();
    if (before) q.set('before', before);
    if (id === 'all') q.set('notice', 'all-read');
    else if (id) q.set('open', id);
    const qs = q.toString();
    return reply.redirect(
      `/me/inbox${qs ? `?${qs}` : ''}${id && id !== 'all' ? `#m-${encodeURIComponent(id)}` : ''}`,
      303,
    );
  });
}

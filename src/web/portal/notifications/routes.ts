/**
 * /me/notifications (issue 13 §4): the channels per kind of message. The notify module
 * holds every rule (notify.preferences.ts); this page only shows them and posts the choice.
 *
 * Rules:
 * - One post saves every kind or none: kinds that are mandatory and left with no channel go
 *   to the module first, so its refusal (`notify.mandatory_needs_channel`) comes before
 *   anything is written; the page then shows the refusal on that kind, keeping every box
 *   as the person ticked it.
 * - Channels that cannot reach the person (no verified e-mail, no browser with push) are
 *   said so, with links to /me/email and /me/push; choosing them is still allowed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppError } from '../../../kernel/errors.ts';
import type { ChannelId, Kind, KindChoice, NotifyService } from '../../../modules/notify/index.ts';
import { pageContext } from '../../context.ts';
import { fieldErrors, isRefusal } from '../../forms/errors.ts';
import { renderPage } from '../../layout.tsx';
import { choicesOf, saveChoices, type Body } from './choices.ts';
import { NotificationsPage } from './view.tsx';

export function registerNotificationPages(
  app: FastifyInstance,
  deps: { notify: Pick<NotifyService, 'preferences' | 'choose'> },
): void {
  const show = async (
    req: FastifyRequest,
    reply: FastifyReply,
    o: { status?: string; kept?: Map<Kind, ChannelId[]>; err?: AppError } = {},
  ) => {
    const ctx = pageContext(req);
    const prefs = await deps.notify.preferences(req.principal.citizen!.subjectId);
    const kinds: KindChoice[] = o.kept
      ? prefs.kinds.map((k) => ({ ...k, channels: o.kept!.get(k.kind) ?? k.channels }))
      : prefs.kinds;
    const failing = o.kept
      ? prefs.kinds.find((k) => k.mandatory && (o.kept!.get(k.kind) ?? []).length === 0)?.kind
      : undefined;
    const errors = o.err ? fieldErrors(o.err, ctx, { fallback: `kind-${failing ?? 'security'}` }) : undefined;
    const html = await renderPage(
      NotificationsPage({
        ctx,
        kinds,
        reachable: prefs.reachable,
        status: o.status,
        errors,
        clause: o.err?.clause,
      }),
    );
    return reply
      .code(o.err ? o.err.status : 200)
      .type('text/html; charset=utf-8')
      .send(html);
  };

  app.get<{ Querystring: { notice?: string } }>('/me/notifications', (req, reply) =>
    show(req, reply, req.query.notice === 'saved' ? { status: pageContext(req).t('prefs.saved') } : {}),
  );

  app.post<{ Body: Body }>('/me/notifications', async (req, reply) => {
    const wanted = choicesOf(req.body);
    try {
      await saveChoices(deps.notify, req.principal.citizen!.subjectId, wanted, pageContext(req).locale);
      return reply.redirect('/me/notifications?notice=saved', 303);
    } catch (err) {
      if (!isRefusal(err)) throw err;
      return show(req, reply, { kept: wanted, err });
    }
  });
}

/**
 * The push channel: a delivery goes to every browser the person turned push on in
 * (notify.subscriptions.ts), over the web-push adapter (src/adapters/push.ts).
 *
 * Rules:
 * - The payload is `{ title, body, url, tag }`: the template's title and text in the
 *   notification's language, the inbox address, and the notification's id as the tag (a
 *   browser shows one notification per tag, so a retried delivery replaces, not repeats).
 *   Nothing else: no parameter the template does not show, no name, no number. It travels
 *   encrypted to the browser (RFC 8291); the push service sees only its length.
 * - Mandatory kinds (security, incident, legal) go with urgency `high` and are kept by the
 *   push service for a week for a browser that is offline; others `normal`, a day. The
 *   topic is the notification's id, so a retry replaces a copy the push service still holds.
 * - The delivery succeeded when at least one browser's push service took it. A browser whose
 *   push service says it is gone (404, 410) is removed. When every browser is gone, or there
 *   is none, the failure is permanent (`no-destination`); when one may take it later (429,
 *   5xx, no answer), it is retried (`gateway-unavailable`); when every push service refused
 *   the request itself, retrying cannot help (`destination-refused`).
 * - Logs carry subscription ids and statuses, never an endpoint.
 */
import type { PushService } from '../../adapters/push.ts';
import type { Database } from '../../kernel/db/database.ts';
import { silentLogger, type Logger } from '../../kernel/logger.ts';
import type { Channel, Outcome } from './notify.channel.ts';
import * as repo from './notify.push.repository.ts';
import { isMandatory, render, renderTitle } from './notify.templates.ts';

/** Where a click on a notification leads: the person's inbox in the portal. */
export const INBOX_PATH = '/me/inbox';

const DAY = 86_400;

export function createPushChannel(deps: {
  db: Database;
  push: Pick<PushService, 'send'>;
  log?: Logger;
}): Channel {
  const { db } = deps;
  const log = deps.log ?? silentLogger;
  return {
    id: 'push',
    async deliver(m): Promise<Outcome> {
      const browsers = await repo.destinationsOf(db, m.subjectId);
      if (browsers.length === 0) return { ok: false, code: 'no-destination' };
      const mandatory = isMandatory(m.template);
      const payload = JSON.stringify({
        title: renderTitle(m.template, m.locale, m.params),
        body: render(m.template, m.locale, m.params),
        url: INBOX_PATH,
        tag: m.notificationId,
      });
      const results = await Promise.all(
        browsers.map(async (b) => ({
          id: b.id,
          r: await deps.push.send(b, {
            payload,
            ttlSeconds: mandatory ? 7 * DAY : DAY,
            urgency: mandatory ? 'high' : 'normal',
            topic: m.notificationId.replace(/-/g, ''),
          }),
        })),
      );
      const ok = results.filter((x) => x.r.ok).map((x) => x.id);
      const gone = results.filter((x) => !x.r.ok && x.r.outcome === 'gone').map((x) => x.id);
      const failed = results.filter((x) => !x.r.ok && x.r.outcome !== 'gone');
      await repo.succeeded(db, ok);
      await repo.removeMany(db, gone);
      await repo.failed(
        db,
        failed.map((x) => x.id),
      );
      for (const x of results)
        if (!x.r.ok)
          log.warn(
            { deliveryId: m.id, subscriptionId: x.id, outcome: x.r.outcome, status: x.r.status },
            x.r.outcome === 'gone' ? 'push subscription gone; removed' : 'push not accepted',
          );
      if (ok.length > 0) return { ok: true };
      if (failed.some((x) => !x.r.ok && x.r.outcome === 'retry'))
        return { ok: false, code: 'gateway-unavailable' };
      if (failed.length > 0) return { ok: false, code: 'destination-refused' };
      return { ok: false, code: 'no-destination' };
    },
  };
}

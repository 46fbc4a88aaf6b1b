/**
 * What every page's frame shows besides who is signed in (issue 13 §3): the unread count of
 * the person's inbox (linked to /me/inbox) and the announcements they have not dismissed;
 * signed out, the home page shows the announcements (without dismiss). Looked up once per
 * page request, after the principal (principal.ts), so no page asks again (ADR 0019).
 *
 * Rules:
 * - Pages only: the API, static files and the OpenID provider's endpoints look nothing up.
 * - Signed out, only the home page asks (P7.2i: the announcement is on the home page); an
 *   unknown visitor's other pages cost no query.
 * - The frame is secondary to the page: a failed look-up leaves it out (logged without any
 *   personal data) rather than failing the page the person asked for.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AnnounceService, ShownAnnouncement } from '../../modules/announce/index.ts';
import type { NotifyService } from '../../modules/notify/index.ts';
import type { PolicyVersions } from '../../modules/policy/index.ts';
import { localeOf } from '../i18n/index.ts';

export interface HeaderNotices {
  /** The signed-in person's unread messages. */
  unread?: number;
  announcements: Pick<ShownAnnouncement, 'id' | 'kind' | 'title' | 'text'>[];
  /** P9.accept a material change of the privacy policy the person has not acknowledged yet. */
  policyChange?: { effectiveFrom: Date };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `installHeaderNotices` for page requests. */
    headerNotices?: HeaderNotices;
  }
}

const isPage = (url: string) =>
  !url.startsWith('/api/') &&
  !url.startsWith('/static/') &&
  !url.startsWith('/healthz') &&
  !url.startsWith('/readyz') &&
  (!url.startsWith('/oidc/') || url.startsWith('/oidc/interaction/'));

const isHome = (url: string) => url === '/' || url.startsWith('/?');

export function installHeaderNotices(
  app: FastifyInstance,
  deps: {
    notify: Pick<NotifyService, 'unreadCount'>;
    announce: Pick<AnnounceService, 'active'>;
    policy?: Pick<PolicyVersions, 'pending'>;
  },
): void {
  app.addHook('onRequest', async (req: FastifyRequest) => {
    if (!isPage(req.url)) return;
    const me = req.principal?.citizen?.subjectId;
    if (!me && !isHome(req.url)) return;
    try {
      const [unread, announcements, change] = await Promise.all([
        me ? deps.notify.unreadCount(me) : undefined,
        deps.announce.active(me ?? null, localeOf(req)),
        me && deps.policy ? deps.policy.pending(me) : undefined,
      ]);
      req.headerNotices = {
        ...(unread !== undefined ? { unread } : {}),
        ...(change ? { policyChange: { effectiveFrom: change.effectiveFrom } } : {}),
        announcements: announcements.map(({ id, kind, title, text }) => ({ id, kind, title, text })),
      };
    } catch (err) {
      req.log.warn(
        { err: (err as Error).name },
        'header notices could not be read; the page shows without them',
      );
    }
  });
}

/**
 * The console's announcements page (issue 13 §3): the list (drills included, marked), a
 * service or policy announcement published in zh-CN, en and cs with an expiry, and
 * withdrawal. Incident announcements are published by the incident's send, not here.
 *
 * Rules:
 * - Who may is `mayPublishAnnouncements` (the announce module), checked here for the page
 *   and again by the module for each change; others get a readable 403 page.
 * - The form carries a key made when the page was shown: posting it twice (a double click,
 *   a reload) publishes once (the module's idempotent publish).
 * - A refusal re-renders the form with the reason and everything typed.
 * - The expiry is a date: the announcement shows until the end of that day, Beijing time.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  announceErrors,
  mayPublishAnnouncements,
  type AnnounceService,
} from '../../../modules/announce/index.ts';
import { AppError, errorSpec } from '../../../kernel/errors.ts';
import { pageContext } from '../../context.ts';
import { locales, type Locale } from '../../i18n/index.ts';
import { renderPage } from '../../layout.tsx';
import { AnnouncementsPage, type AnnouncementForm } from './view.tsx';

type Body = Record<string, string | undefined>;

/** The end of a calendar day in China Standard Time (no DST), or undefined. */
export function endOfBeijingDay(date: string | undefined): Date | undefined {
  if (!date || !/^\d{4}-\d\d-\d\d$/.test(date)) return undefined;
  const d = new Date(`${date}T23:59:59+08:00`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function registerAnnouncementPages(app: FastifyInstance, deps: { announce: AnnounceService }): void {
  const { announce } = deps;
  const show = async (
    req: FastifyRequest,
    reply: FastifyReply,
    o: { status?: string; error?: string; form?: AnnouncementForm; key?: string; code?: number } = {},
  ) => {
    const ctx = pageContext(req);
    const html = await renderPage(
      AnnouncementsPage({
        ctx,
        list: o.code === 403 ? [] : await announce.list(ctx.locale),
        formKey: o.key ?? `console:${randomUUID()}`,
        form: o.form,
        status: o.status,
        error: o.error,
      }),
    );
    return reply
      .code(o.code ?? 200)
      .type('text/html; charset=utf-8')
      .send(html);
  };

  const refused = (req: FastifyRequest, err: AppError) => errorSpec(err.code).title[pageContext(req).locale];

  app.register(async (scope) => {
    // The role check, after the table's guards (cross-site, staff: web/http/guards.table.ts).
    scope.addHook('preHandler', async (req, reply) => {
      const staff = req.principal.staff;
      if (staff && !mayPublishAnnouncements(staff.role))
        return show(req, reply, { error: pageContext(req).t('announce.admin.forbidden'), code: 403 });
    });

    scope.get<{ Querystring: { notice?: string } }>('/admin/announcements', (req, reply) => {
      const n = req.query.notice;
      const t = pageContext(req).t;
      return show(req, reply, {
        status:
          n === 'published'
            ? t('announce.admin.published')
            : n === 'withdrawn'
              ? t('announce.admin.withdrawn')
              : undefined,
      });
    });

    scope.post<{ Body: Body }>('/admin/announcements', async (req, reply) => {
      const b = req.body ?? {};
      const staff = req.principal.staff!;
      const texts = Object.fromEntries(
        locales.map((l) => [l, { title: b[`title-${l}`] ?? '', text: b[`text-${l}`] ?? '' }]),
      ) as Record<Locale, { title: string; text: string }>;
      const form: AnnouncementForm = { kind: b.kind, expires: b.expires, texts };
      const key =
        typeof b.key === 'string' && /^console:[0-9a-f-]{36}$/.test(b.key)
          ? b.key
          : `console:${randomUUID()}`;
      try {
        const kind = b.kind === 'policy' ? 'policy' : b.kind === 'service' ? 'service' : undefined;
        const expiresAt = endOfBeijingDay(b.expires);
        if (!kind || !expiresAt) throw new AppError(announceErrors.invalid, !kind ? 'kind' : 'expiresAt');
        await announce.publishNow({
          key,
          kind,
          texts,
          expiresAt,
          by: { id: staff.id, role: staff.role },
          requestId: req.id,
        });
        return reply.redirect('/admin/announcements?notice=published', 303);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        return show(req, reply, { error: refused(req, err), form, key, code: err.status });
      }
    });

    scope.post<{ Params: { id: string } }>('/admin/announcements/:id/withdraw', async (req, reply) => {
      const staff = req.principal.staff!;
      try {
        await announce.withdraw({ id: staff.id, role: staff.role }, req.params.id, req.id);
        return reply.redirect('/admin/announcements?notice=withdrawn', 303);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        return show(req, reply, { error: refused(req, err), code: err.status });
      }
    });
  });
}

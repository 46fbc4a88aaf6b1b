/**
 * /me/activity "Account activity" (P8.1.view) and "this wasn't me" (P7.3).
 *
 * Rules:
 * - The query is read at the edge (zod): a kind the table does not know, or a cursor that
 *   is not one, is dropped (the whole history, the first page), never an error status.
 * - The page words the service's codes (action, method, device kind) in its language;
 *   a release names who received the data (actor names, me/actor-names.ts).
 * - Paging links carry the kind filter and one cursor; keyset, both directions.
 * - "This wasn't me" asks first (security/confirm.tsx); an entry not the person's, or not a
 *   sign-in or security change, is the 404 page before any question. Once confirmed, every
 *   session including this one has ended: the cookie is cleared and the browser goes to
 *   a public page saying what was done and what to do next (set a new password).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  activityKinds,
  isActivityKind,
  type ActivityEntry,
  type ActivityService,
} from '../../../modules/activity/index.ts';
import { categories, type Category } from '../../../modules/inventory/index.ts';
import { pageContext } from '../../context.ts';
import type { HttpPolicy } from '../../http/cookies.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { renderPage } from '../../layout.tsx';
import { actorNamer, type NamerDeps } from '../me/actor-names.ts';
import { askToConfirm, confirmed } from '../security/confirm.tsx';
import { ActivityPage, ReportedPage, type ActivityRow } from './view.tsx';

const PAGE = 20;
const cursor = z
  .string()
  .regex(/^\d{1,19}\.[01]\.\d{1,19}$/)
  .optional()
  .catch(undefined);
const query = z.object({
  kind: z.string().max(20).optional().catch(undefined),
  before: cursor,
  after: cursor,
});
const entryParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const methods = ['password', 'sms-code', 'password-reset', 'passkey', 'registration'];

export function registerActivityPages(
  app: FastifyInstance,
  deps: NamerDeps & { activity: ActivityService; http: HttpPolicy },
): void {
  const namer = actorNamer(deps);
  const sessionCookie = deps.http.cookieName('session');
  const subjectOf = (req: FastifyRequest) => req.principal.citizen!.subjectId;

  const rowOf = (
    req: FastifyRequest,
    e: ActivityEntry,
    name: (code: string, type: string) => string,
  ): ActivityRow => {
    const ctx = pageContext(req);
    const time = new Intl.DateTimeFormat(ctx.locale, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Shanghai',
    });
    const details: string[] = [];
    if (e.kind === 'signin') {
      details.push(ctx.t(e.succeeded ? 'activity.succeeded' : 'activity.failed'));
      if (e.method)
        details.push(
          ctx.t(
            methods.includes(e.method)
              ? (`activity.method.${e.method}` as MessageKey)
              : e.method.startsWith('linked')
                ? 'activity.method.linked'
                : 'activity.method.other',
          ),
        );
    }
    if (e.deviceKind) details.push(ctx.t(`activity.device.${e.deviceKind}` as MessageKey));
    if (e.placeShared) details.push(ctx.t('activity.place'));
    if (e.byStaff) details.push(ctx.t('activity.by.staff'));
    if (e.to) {
      details.push(ctx.t('activity.to').replace('{who}', name(e.to, e.actorType ?? '')));
      for (const c of e.categories ?? []) details.push(categories[c as Category]?.label[ctx.locale] ?? c);
    }
    return {
      entryId: e.entryId,
      when: time.format(e.occurredAt),
      what: ctx.t(`activity.action.${e.action}` as MessageKey),
      details,
      succeeded: e.succeeded,
      reportable: e.reportable,
      reported: e.reported,
    };
  };

  app.get('/me/activity', async (req, reply) => {
    const ctx = pageContext(req);
    const q = query.parse(typeof req.query === 'object' && req.query !== null ? req.query : {});
    const kind = isActivityKind(q.kind) ? q.kind : undefined;
    const [page, name] = await Promise.all([
      deps.activity.history(subjectOf(req), {
        ...(kind ? { kind } : {}),
        ...(q.before !== undefined ? { before: q.before } : {}),
        ...(q.after !== undefined ? { after: q.after } : {}),
        limit: PAGE,
      }),
      namer(req),
    ]);
    const link = (c: { before: string } | { after: string }) => {
      const p = new URLSearchParams();
      if (kind) p.set('kind', kind);
      for (const [k, v] of Object.entries(c)) p.set(k, v);
      return `/me/activity?${p.toString()}`;
    };
    const first = page.entries[0];
    const last = page.entries[page.entries.length - 1];
    return reply
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(
        await renderPage(
          ActivityPage({
            ctx,
            rows: page.entries.map((e) => rowOf(req, e, name)),
            kinds: [
              { value: '', label: ctx.t('activity.kind.all') },
              ...activityKinds.map((k) => ({ value: k, label: ctx.t(`activity.kind.${k}`) })),
            ],
            kind: kind ?? '',
            newer: page.newer && first ? link({ after: first.cursor }) : undefined,
            older: page.older && last ? link({ before: last.cursor }) : undefined,
          }),
        ),
      );
  });

  app.post<{ Params: { entry: string } }>('/me/activity/:entry/not-me', async (req, reply) => {
    const ctx = pageContext(req);
    const parsed = entryParam.safeParse(req.params.entry);
    // Unknown before anything is asked: another person's entry, or none, reads as missing.
    const entry = await deps.activity.reportableEntry(subjectOf(req), parsed.success ? parsed.data : 0);
    if (!confirmed(req)) {
      const time = new Intl.DateTimeFormat(ctx.locale, {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: 'Asia/Shanghai',
      });
      return askToConfirm(req, reply, ctx, {
        title: ctx.t('confirm.notMe.title'),
        subject: `${ctx.t(`activity.action.${entry.action}` as MessageKey)} · ${time.format(entry.occurredAt)}`,
        effect: ctx.t('confirm.notMe.effect'),
        confirm: ctx.t('confirm.notMe.do'),
        back: '/me/activity',
      });
    }
    await deps.activity.reportNotMe(subjectOf(req), entry.id, { locale: ctx.locale, requestId: req.id });
    reply.clearCookie(sessionCookie, { path: '/' });
    return reply.redirect('/activity/reported', 303);
  });

  // Public: the person's sessions have all ended by the time they read it.
  app.get('/activity/reported', async (req, reply) =>
    reply
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(await renderPage(ReportedPage({ ctx: pageContext(req) }))),
  );
}

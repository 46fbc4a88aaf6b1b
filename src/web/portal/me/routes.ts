/**
 * The person's pages about their own data. Labels (who, which data, why, on what basis)
 * are resolved here into the page's language; the services return codes.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Child } from 'hono/jsx';
import type { CatalogueService } from '../../../modules/catalogue/index.ts';
import { isActive, type ConsentService } from '../../../modules/consent/index.ts';
import { type CitizenSessions } from '../../../modules/session/index.ts';
import { type IdentityService } from '../../../modules/signin/index.ts';
import { categories, isPurpose, purposes, type Category } from '../../../modules/inventory/index.ts';
import type { SharingService } from '../../../modules/sharing/index.ts';
import type { VaultService } from '../../../modules/vault/index.ts';
import { pageContext } from '../../context.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { renderPage } from '../../layout.tsx';
import { AccessPage, ConsentsPage, SecurityPage } from './view.tsx';
import { AlertsSection, FactorsSection, methodLabel } from '../security/view.tsx';
import type { HttpPolicy } from '../../http/cookies.ts';

export interface MeDeps {
  sessions: CitizenSessions;
  identity: IdentityService;
  vault: VaultService;
  consent: ConsentService;
  catalogue: CatalogueService;
  sharing: SharingService;
  http: HttpPolicy;
  /** P7.1 the linked-accounts section (web/portal/linked/routes.ts). */
  linkedSection?: (req: FastifyRequest) => Promise<Child>;
}

const PAGE = 20;

export function registerMeRoutes(app: FastifyInstance, deps: MeDeps): void {
  /** Resolves actor codes (`role:support`, `department:tax`, `partner:face-id`) to names. */
  async function namer(req: FastifyRequest) {
    const ctx = pageContext(req);
    const [departments, partners] = await Promise.all([deps.catalogue.list(), deps.sharing.partners()]);
    return (code: string, actorType: string): string => {
      const [kind, id = ''] = code.split(':');
      if (kind === 'role') return ctx.t(`role.${id}` as MessageKey) ?? id;
      if (kind === 'department') return departments.find((d) => d.slug === id)?.name[ctx.locale] ?? id;
      if (kind === 'partner') return partners.find((p) => p.slug === id)?.name[ctx.locale] ?? id;
      if (kind === 'authority') return id;
      return actorType === 'system' ? ctx.t('actor.system') : id;
    };
  }

  const html = { 'content-type': 'text/html; charset=utf-8' };

  app.get<{ Querystring: { before?: string } }>('/me/access', async (req, reply) => {
    const ctx = pageContext(req);
    const before = Number(req.query.before);
    const entries = await deps.vault.accessLog(req.principal.citizen!.subjectId, {
      limit: PAGE,
      ...(Number.isSafeInteger(before) && before > 0 ? { before } : {}),
    });
    const name = await namer(req);
    const time = new Intl.DateTimeFormat(ctx.locale, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Shanghai',
    });
    const rows = entries.map((e) => ({
      id: e.id,
      when: time.format(e.occurredAt),
      operation: ctx.t(`op.${e.operation}` as MessageKey),
      who: name(e.actorLabel, e.actorType),
      categories: e.categories.map((c) => categories[c as Category]?.label[ctx.locale] ?? c),
      purpose: isPurpose(e.purpose) ? purposes[e.purpose].label[ctx.locale] : e.purpose,
      basis: ctx.t(`basis.${e.basis}` as MessageKey) ?? e.basis,
    }));
    const last = entries[entries.length - 1];
    return reply
      .headers(html)
      .send(
        await renderPage(
          AccessPage({ ctx, rows, ...(entries.length === PAGE && last ? { olderThan: last.id } : {}) }),
        ),
      );
  });

  const consentsPage = async (req: FastifyRequest, withdrawn: boolean) => {
    const ctx = pageContext(req);
    const name = await namer(req);
    const date = new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeZone: 'Asia/Shanghai' });
    const list = await deps.consent.of(req.principal.citizen!.subjectId);
    const rows = list.map((c) => ({
      id: c.id,
      purpose: isPurpose(c.purpose) ? purposes[c.purpose].label[ctx.locale] : c.purpose,
      essential: isPurpose(c.purpose) && purposes[c.purpose].essential,
      categories: c.categories.map((k) => categories[k as Category]?.label[ctx.locale] ?? k),
      recipient: c.recipientId
        ? name(`${c.recipientType}:${c.recipientId}`, c.recipientType ?? '')
        : ctx.t('me.consents.platform'),
      given: date.format(c.givenAt),
      status: c.withdrawnAt
        ? ('withdrawn' as const)
        : isActive(c)
          ? ('active' as const)
          : ('expired' as const),
    }));
    return renderPage(ConsentsPage({ ctx, rows, withdrawn }));
  };

  app.get<{ Querystring: { withdrawn?: string } }>('/me/consents', async (req, reply) =>
    reply.headers(html).send(await consentsPage(req, req.query.withdrawn === '1')),
  );

  // Shape kept from before the guard table, so parallel edits of the body merge.
  // prettier-ignore
  app.post<{ Params: { id: string } }>(
    '/me/consents/:id/withdraw',
    async (req, reply) => {
      const subjectId = req.principal.citizen!.subjectId;
      await deps.consent.withdraw(req.params.id, { type: 'self', id: subjectId }, req.id);
      return reply.redirect('/me/consents?withdrawn=1', 303);
    },
  );

  // policy: P7.3 — the person sees where they are signed in and signs devices out.
  const sessionCookie = deps.http.cookieName('session');
  // Shape kept from before the guard table, so parallel edits of the body merge.
  // prettier-ignore
  app.get<{ Querystring: { ended?: string; notice?: string } }>(
    '/me/security',
    async (req, reply) => {
      const ctx = pageContext(req);
      const time = new Intl.DateTimeFormat(ctx.locale, {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: 'Asia/Shanghai',
      });
      const subjectId = req.principal.citizen!.subjectId;
      const [sessions, factors, alerts] = await Promise.all([
        deps.sessions.list(subjectId, req.cookies[sessionCookie]),
        deps.identity.factors.overview(subjectId),
        deps.identity.loginAlerts(subjectId),
      ]);
      const rows = sessions.map((r) => ({
        id: r.id,
        device: r.device,
        since: time.format(r.createdAt),
        current: r.current,
      }));
      const notices: Record<string, MessageKey> = {
        totp: 'security.totp.done',
        passkey: 'security.passkeys.done',
        removed: 'security.removed',
        'removed-last': 'security.removedLast',
      };
      const notice = notices[req.query.notice ?? ''];
      const sections = [
        FactorsSection({
          ctx,
          f: {
            ...factors,
            passkeys: factors.passkeys.map((p) => ({
              id: p.id,
              label: p.label,
              added: time.format(p.createdAt),
              lastUsed: p.lastUsedAt ? time.format(p.lastUsedAt) : null,
            })),
          },
          notice: notice && ctx.t(notice),
        }),
        AlertsSection({
          ctx,
          rows: alerts.map((a) => ({
            when: time.format(a.at),
            device: a.device,
            reasons: a.reasons.map((r) => ctx.t(`security.reason.${r}`)),
            secondStep: methodLabel(ctx.t, a.secondStep),
            sms: a.delivery,
          })),
        }),
      ];
      return reply.headers(html).send(
        await renderPage(
          SecurityPage({
            ctx,
            rows,
            ended: req.query.ended === '1',
            sections,
            linked: await deps.linkedSection?.(req),
          }),
        ),
      );
    },
  );

  // Shape kept from before the guard table, so parallel edits of the body merge.
  // prettier-ignore
  app.post<{ Params: { id: string } }>(
    '/me/sessions/:id/end',
    async (req, reply) => {
      await deps.identity.endSession(req.principal.citizen!.subjectId, req.params.id, req.id);
      return reply.redirect('/me/security?ended=1', 303);
    },
  );

  app.post('/me/sessions/end-others', async (req, reply) => {
    await deps.identity.endOtherSessions(
      req.principal.citizen!.subjectId,
      req.cookies[sessionCookie],
      req.id,
    );
    return reply.redirect('/me/security?ended=1', 303);
  });
}

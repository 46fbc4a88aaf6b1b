/**
 * The person's pages about their own data. Labels (who, which data, why, on what basis)
 * are resolved here into the page's language; the services return codes.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Child } from 'hono/jsx';
import type { CatalogueService, RelyingPartyRegistry } from '../../../modules/catalogue/index.ts';
import { isActive, type ConsentService } from '../../../modules/consent/index.ts';
import { type CitizenSessions } from '../../../modules/session/index.ts';
import { type IdentityService } from '../../../modules/signin/index.ts';
import { categories, isPurpose, purposes, type Category } from '../../../modules/inventory/index.ts';
import type { SharingService } from '../../../modules/sharing/index.ts';
import type { VaultService } from '../../../modules/vault/index.ts';
import { pageContext } from '../../context.ts';
import { deviceName, type MessageKey } from '../../i18n/index.ts';
import { renderPage } from '../../layout.tsx';
import { AccessPage, ConsentsPage, NameDevicePage, SecurityPage } from './view.tsx';
import { pageLink, readAccessQuery } from './access-filter.ts';
import { actorNamer } from './actor-names.ts';
import { askToConfirm, confirmed } from '../security/confirm.tsx';
import { AlertsSection, FactorsSection, methodLabel } from '../security/view.tsx';
import type { HttpPolicy } from '../../http/cookies.ts';

export interface MeDeps {
  sessions: CitizenSessions;
  identity: IdentityService;
  vault: VaultService;
  consent: ConsentService;
  catalogue: CatalogueService;
  /** Names the services consents were given to (a consent's recipient is a client id). */
  registry: RelyingPartyRegistry;
  sharing: SharingService;
  http: HttpPolicy;
  /** P7.1 the linked-accounts section (web/portal/linked/routes.ts). */
  linkedSection?: (req: FastifyRequest) => Promise<Child>;
}

const PAGE = 20;

export function registerMeRoutes(app: FastifyInstance, deps: MeDeps): void {
  /**
   * Resolves actor codes (`role:support`, `department:tax`, `partner:face-id`) to names; a
   * consent names its department service by client id (`department:transit-card`).
   */
  const namer = actorNamer(deps);

  const html = { 'content-type': 'text/html; charset=utf-8' };

  // P8.1 what happened to the person's data and what was refused, filtered and paged.
  app.get('/me/access', async (req, reply) => {
    const ctx = pageContext(req);
    const subjectId = req.principal.citizen!.subjectId;
    const form = readAccessQuery(req.query);
    const [page, facets, name] = await Promise.all([
      deps.vault.accessHistory(subjectId, {
        ...form.filter,
        ...(form.before !== undefined ? { before: form.before } : {}),
        ...(form.after !== undefined ? { after: form.after } : {}),
        limit: PAGE,
      }),
      deps.vault.accessFacets(subjectId),
      namer(req),
    ]);
    const time = new Intl.DateTimeFormat(ctx.locale, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Shanghai',
    });
    const purposeLabel = (p: string) => (isPurpose(p) ? purposes[p].label[ctx.locale] : p);
    const rows = page.entries.map((e) => ({
      id: e.id,
      when: time.format(e.occurredAt),
      operation: ctx.t(`op.${e.operation}` as MessageKey),
      who: name(e.actorLabel, e.actorType),
      categories: e.categories.map((c) => categories[c as Category]?.label[ctx.locale] ?? c),
      purpose: purposeLabel(e.purpose),
      basis: ctx.t(`basis.${e.basis}` as MessageKey) ?? e.basis,
      outcome: e.outcome,
      ...(e.refusal
        ? { reason: ctx.t(`access.refusal.${e.refusal}` as MessageKey) ?? ctx.t('access.refusal.other') }
        : {}),
    }));
    const first = page.entries[0];
    const last = page.entries[page.entries.length - 1];
    return reply.headers(html).send(
      await renderPage(
        AccessPage({
          ctx,
          rows,
          filter: {
            typed: form.typed,
            problems: form.problems,
            who: facets.who
              .map((w) => ({ value: w.code, label: name(w.code, w.actorType) }))
              .sort((a, b) => a.label.localeCompare(b.label, ctx.locale)),
            purposes: facets.purposes.map((p) => ({ value: p, label: purposeLabel(p) })),
            active: form.params.size > 0,
          },
          ...(page.newer && first ? { newer: pageLink(form.params, { after: first.id }) } : {}),
          ...(page.older && last ? { older: pageLink(form.params, { before: last.id }) } : {}),
        }),
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
      // Nothing of theirs to withdraw: no question to ask; the service answers as before.
      const c = confirmed(req)
        ? undefined
        : (await deps.consent.of(subjectId)).find((x) => x.id === req.params.id && isActive(x));
      if (c) {
        const ctx = pageContext(req);
        const essential = isPurpose(c.purpose) && purposes[c.purpose].essential;
        return askToConfirm(req, reply, ctx, {
          title: ctx.t('confirm.consent.title'),
          subject: isPurpose(c.purpose) ? purposes[c.purpose].label[ctx.locale] : c.purpose,
          effect: ctx.t(essential ? 'me.consents.effect.essential' : 'me.consents.effect.optional'),
          confirm: ctx.t('confirm.consent.do'),
          back: '/me/consents',
        });
      }
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
        device: deviceName(ctx.t, r.device),
        name: r.name,
        since: time.format(r.createdAt),
        lastUsed: time.format(r.lastSeenAt),
        current: r.current,
      }));
      const notices: Record<string, MessageKey> = {
        totp: 'security.totp.done',
        passkey: 'security.passkeys.done',
        removed: 'security.removed',
        'removed-last': 'security.removedLast',
        renamed: 'passkeys.renamed',
        named: 'devices.name.done',
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
          notice: notice && notice !== 'devices.name.done' ? ctx.t(notice) : undefined,
        }),
        AlertsSection({
          ctx,
          rows: alerts.map((a) => ({
            when: time.format(a.at),
            device: deviceName(ctx.t, a.device),
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
            notice: notice === 'devices.name.done' ? ctx.t(notice) : undefined,
            sections,
            linked: await deps.linkedSection?.(req),
          }),
        ),
      );
    },
  );

  const deviceOf = async (req: FastifyRequest<{ Params: { id: string } }>) =>
    (await deps.sessions.list(req.principal.citizen!.subjectId, req.cookies[sessionCookie])).find(
      (r) => r.id === req.params.id,
    );

  app.post<{ Params: { id: string } }>('/me/sessions/:id/end', async (req, reply) => {
    const device = confirmed(req) ? undefined : await deviceOf(req);
    if (device) {
      const ctx = pageContext(req);
      return askToConfirm(req, reply, ctx, {
        title: ctx.t('confirm.endSession.title'),
        subject: device.name ? `${device.name} (${device.device})` : device.device,
        effect: ctx.t('confirm.endSession.effect'),
        confirm: ctx.t('confirm.endSession.do'),
        back: '/me/security',
      });
    }
    await deps.identity.endSession(req.principal.citizen!.subjectId, req.params.id, req.id);
    return reply.redirect('/me/security?ended=1', 303);
  });

  app.post('/me/sessions/end-others', async (req, reply) => {
    if (!confirmed(req)) {
      const ctx = pageContext(req);
      return askToConfirm(req, reply, ctx, {
        title: ctx.t('confirm.endOthers.title'),
        effect: ctx.t('confirm.endOthers.effect'),
        confirm: ctx.t('confirm.endOthers.do'),
        back: '/me/security',
      });
    }
    await deps.identity.endOtherSessions(
      req.principal.citizen!.subjectId,
      req.cookies[sessionCookie],
      req.id,
    );
    return reply.redirect('/me/security?ended=1', 303);
  });

  // P7.3 the person names a device; a refused name comes back on its own small page.
  app.post<{ Params: { id: string } }>('/me/sessions/:id/name', async (req, reply) => {
    const typed = String((req.body as Record<string, unknown> | undefined)?.name ?? '');
    const problem = await deps.sessions.rename(req.principal.citizen!.subjectId, req.params.id, typed);
    if (problem === null) return reply.redirect('/me/security?notice=named', 303);
    const device = problem === 'unknown' ? undefined : await deviceOf(req);
    if (!device || problem === 'unknown') return reply.redirect('/me/security', 303);
    // The language switch returns to the security page (this one answers a POST).
    const ctx = { ...pageContext(req), path: '/me/security' };
    return reply
      .code(400)
      .headers(html)
      .send(await renderPage(NameDevicePage({ ctx, id: device.id, device: device.device, typed, problem })));
  });
}

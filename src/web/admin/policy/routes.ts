/**
 * The DPO's editor of privacy policy versions (P9.version, P9.notice): the versions, a new
 * draft from the one in effect, the draft's texts, what changed and its summary, the line diff
 * per language, and scheduling. The rules are the policy module's; this page keeps what was
 * typed when refused and names the field.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../../kernel/errors.ts';
import { locales, type Locale } from '../../../kernel/locale.ts';
import { policyErrors, type PolicyVersions, type VersionInput } from '../../../modules/policy/index.ts';
import { pageContext } from '../../context.ts';
import { checkForm, denied, field, fields, refusalOf, sendPage, type RefusalView } from '../refusal.tsx';
import { PolicyDeskPage, PolicyDraftPage } from './view.tsx';

const CST = 8 * 3_600_000;
/** `YYYY-MM-DD` in China: the start of that day. */
const dayStart = (ymd: string): Date | null => {
  if (!/^\d{4}-\d\d-\d\d$/.test(ymd)) return null;
  const t = Date.parse(`${ymd}T00:00:00Z`);
  return Number.isNaN(t) ? null : new Date(t - CST);
};

const draftForm = z.object({
  texts: z.record(z.string(), z.string().max(100_000)),
  summary: z.record(z.string(), z.string().max(2_000)),
  material: z.boolean(),
  changedSections: z.array(z.string().max(10)).max(20),
  changedPurposes: z.array(z.string().max(60)).max(40),
});

export function registerPolicyDesk(
  app: FastifyInstance,
  deps: { policyVersions: PolicyVersions; noticeDays: number },
) {
  const v = deps.policyVersions;
  const staffOf = (req: FastifyRequest) => ({ id: req.principal.staff!.id, role: req.principal.staff!.role });
  const desk = async (
    req: FastifyRequest,
    reply: FastifyReply,
    extra: { done?: string; refusal?: RefusalView; typed?: string } = {},
    status = 200,
  ) =>
    sendPage(
      reply,
      PolicyDeskPage({
        ctx: pageContext(req),
        versions: await v.list(),
        noticeDays: deps.noticeDays,
        ...extra,
      }),
      status,
    );

  const draftPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    version: string,
    extra: { done?: string; refusal?: RefusalView; typed?: VersionInput; effectiveOn?: string } = {},
    status = 200,
  ) => {
    const record = await v.get(version);
    if (!record) return reply.callNotFound();
    const diffs = Object.fromEntries(
      await Promise.all(locales.map(async (l) => [l, await v.diff(version, l)] as const)),
    ) as Record<Locale, Awaited<ReturnType<PolicyVersions['diff']>>>;
    return sendPage(
      reply,
      PolicyDraftPage({ ctx: pageContext(req), record, diffs, noticeDays: deps.noticeDays, ...extra }),
      status,
    );
  };

  app.register(async (scope) => {
    scope.addHook('preHandler', async (req, reply) => {
      const s = req.principal.staff;
      if (s && s.role !== 'dpo')
        return denied(req, reply, pageContext(req).t('admin.policy.title'), policyErrors.forbidden);
    });

    scope.get<{ Querystring: { done?: string } }>('/admin/policy', (req, reply) =>
      desk(req, reply, req.query.done === 'discarded' ? { done: 'discarded' } : {}),
    );

    scope.post('/admin/policy', async (req, reply) => {
      const version = field(req.body, 'version').trim().slice(0, 41);
      try {
        await v.draft(staffOf(req), version);
        return await reply.redirect(`/admin/policy/${encodeURIComponent(version)}`, 303);
      } catch (err) {
        const view = refusalOf(err, pageContext(req).locale);
        return desk(req, reply, { refusal: view, typed: version }, view.status);
      }
    });

    scope.get<{ Params: { version: string }; Querystring: { done?: string } }>(
      '/admin/policy/:version',
      (req, reply) =>
        draftPage(
          req,
          reply,
          req.params.version,
          req.query.done === 'saved' || req.query.done === 'scheduled' ? { done: req.query.done } : {},
        ),
    );

    const typedOf = (body: unknown): VersionInput => ({
      texts: Object.fromEntries(locales.map((l) => [l, field(body, `text.${l}`)])),
      summary: Object.fromEntries(locales.map((l) => [l, field(body, `summary.${l}`)])),
      material: field(body, 'material') === 'yes',
      changedSections: fields(body, 'sections'),
      changedPurposes: fields(body, 'purposes'),
    });

    scope.post<{ Params: { version: string } }>('/admin/policy/:version', async (req, reply) => {
      const typed = typedOf(req.body);
      try {
        await v.save(staffOf(req), req.params.version, checkForm(draftForm, typed) as VersionInput);
        return await reply.redirect(
          `/admin/policy/${encodeURIComponent(req.params.version)}?done=saved`,
          303,
        );
      } catch (err) {
        const view = refusalOf(err, pageContext(req).locale);
        return draftPage(req, reply, req.params.version, { refusal: view, typed }, view.status);
      }
    });

    scope.post<{ Params: { version: string } }>('/admin/policy/:version/schedule', async (req, reply) => {
      const effectiveOn = field(req.body, 'effectiveOn').slice(0, 10);
      try {
        const at = dayStart(effectiveOn);
        if (!at) throw new AppError(policyErrors.invalid_version, 'effectiveFrom');
        await v.schedule(staffOf(req), req.params.version, at);
        return await reply.redirect(
          `/admin/policy/${encodeURIComponent(req.params.version)}?done=scheduled`,
          303,
        );
      } catch (err) {
        const view = refusalOf(err, pageContext(req).locale);
        return draftPage(req, reply, req.params.version, { refusal: view, effectiveOn }, view.status);
      }
    });

    scope.post<{ Params: { version: string } }>('/admin/policy/:version/discard', async (req, reply) => {
      try {
        await v.discard(staffOf(req), req.params.version);
        return await reply.redirect('/admin/policy?done=discarded', 303);
      } catch (err) {
        const view = refusalOf(err, pageContext(req).locale);
        return draftPage(req, reply, req.params.version, { refusal: view }, view.status);
      }
    });
  });
}

/**
 * Console pages over the relying-party registry (administrators only). A refused change
 * re-renders the form with the reason and what was typed.
 *
 * Saving keeps every setting of the registration: the form shows them all (edit link:
 * `?edit=<clientId>`), and a setting the post does not carry at all (an older form, a
 * hand-made request) keeps its registered value instead of falling back to a default.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RelyingPartyRegistry } from '../../../modules/catalogue/index.ts';
import { mayManageRelyingParties } from '../../../modules/staff/index.ts';
import { AppError, errorSpec } from '../../../kernel/errors.ts';
import { pageContext } from '../../context.ts';
import { renderPage } from '../../layout.tsx';
import { formOf, ServicesPage, type ServicesView } from './view.tsx';

type Form = Record<string, string | string[] | undefined>;
const list = (v: string | undefined) => (v ?? '').split(/[\s,]+/).filter(Boolean);

function parseFields(text: string) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [field, purpose, days, need] = l.split(/\s+/);
      return { field, purpose, retentionDays: Number(days), required: need !== 'optional' };
    });
}

export function registerServicePages(
  app: FastifyInstance,
  deps: {
    registry: RelyingPartyRegistry;
  },
) {
  const show = async (
    req: FastifyRequest,
    reply: FastifyReply,
    view: Omit<ServicesView, 'relyingParties'>,
    status = 200,
  ) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(
        await renderPage(
          ServicesPage({
            ctx: pageContext(req),
            view: { ...view, relyingParties: await deps.registry.list() },
          }),
        ),
      );

  app.register(async (scope) => {
    // The role check, after the table's guards (cross-site, staff: web/http/guards.table.ts).
    const mayManage = async (req: FastifyRequest, reply: FastifyReply) => {
      if (req.principal.staff && !mayManageRelyingParties(req.principal.staff.role)) {
        return reply
          .code(403)
          .type('text/html; charset=utf-8')
          .send(
            await renderPage(
              ServicesPage({
                ctx: pageContext(req),
                view: {
                  relyingParties: [],
                  error: errorSpec('http.forbidden').title[pageContext(req).locale],
                },
              }),
            ),
          );
      }
    };

    // Shape kept from before the guard table, so parallel edits of the body merge.
    // prettier-ignore
    scope.get<{ Querystring: { edit?: string } }>('/admin/services', { preHandler: mayManage }, async (req, reply) => {
      const editing =
        typeof req.query.edit === 'string' ? await deps.registry.find(req.query.edit) : undefined;
      return show(req, reply, editing ? { form: formOf(editing) } : {});
    });

    scope.post('/admin/services', { preHandler: mayManage }, async (req, reply) => {
      const f = (req.body ?? {}) as Form;
      // Repeated keys (checkboxes) arrive as arrays: joined, as the text inputs are lists too.
      const form = Object.fromEntries(
        Object.entries(f).map(([k, v]) => [k, [v ?? ''].flat().filter(Boolean).join(' ')]),
      );
      const has = (k: string) => Object.hasOwn(f, k);
      try {
        const before = await deps.registry.find(form.clientId ?? '');
        const kept = <T>(k: string, chosen: T, registered: T | undefined, fallback: T): T =>
          has(k) ? chosen : (registered ?? fallback);
        const grants = kept('grantTypes', list(form.grantTypes), before?.grantTypes, [
          'authorization_code',
          'refresh_token',
        ]);
        const offlineDelivery = kept(
          'offlineDelivery',
          form.offlineDelivery === 'yes',
          before?.offlineDelivery,
          false,
        );
        const backchannel = kept(
          'backchannelLogoutUri',
          form.backchannelLogoutUri,
          before?.backchannelLogoutUri,
          '',
        );
        const frontchannel = kept(
          'frontchannelLogoutUri',
          form.frontchannelLogoutUri,
          before?.frontchannelLogoutUri,
          '',
        );
        const risc = kept('riscPushEndpoint', form.riscPushEndpoint, before?.riscPushEndpoint, '');
        const home = kept('homeUri', form.homeUri, before?.homeUri, '');
        const { secret, relyingParty } = await deps.registry.register(
          {
            clientId: form.clientId ?? '',
            serviceSlug: form.serviceSlug ?? '',
            redirectUris: list(form.redirectUris),
            postLogoutRedirectUris: kept(
              'postLogoutRedirectUris',
              list(form.postLogoutRedirectUris),
              before?.postLogoutRedirectUris,
              [],
            ),
            ...(backchannel ? { backchannelLogoutUri: backchannel } : {}),
            ...(frontchannel ? { frontchannelLogoutUri: frontchannel } : {}),
            ...(risc ? { riscPushEndpoint: risc } : {}),
            policyUrl: form.policyUrl ?? '',
            ...(home ? { homeUri: home } : {}),
            dpaReference: form.dpaReference ?? '',
            fields: parseFields(form.fields ?? '') as never,
            assuranceLevel: Number(form.assuranceLevel || 1),
            idTokenAlg: kept('idTokenAlg', form.idTokenAlg, before?.idTokenAlg, 'ES256') as never,
            // Posting results needs a back end that reads the delivery contact (P2.4).
            grantTypes: (offlineDelivery && !grants.includes('client_credentials')
              ? [...grants, 'client_credentials']
              : grants) as never,
            offlineDelivery,
          },
          { type: 'staff', id: req.principal.staff!.id },
          { issueSecret: form.issueSecret === 'yes', requestId: req.id },
        );
        return await show(
          req,
          reply,
          secret ? { secret: { clientId: relyingParty.clientId, value: secret } } : {},
        );
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        const text = `${errorSpec(err.code).title[pageContext(req).locale]}${err.detail ? `: ${err.detail}` : ''}`;
        return show(req, reply, { form, error: text }, err.status);
      }
    });
  });
}

/**
 * Console pages over the relying-party registry (administrators only). A refused change
 * re-renders the form with the reason and what was typed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RelyingPartyRegistry } from '../../modules/catalogue/index.ts';
import { mayManageRelyingParties } from '../../modules/staff/index.ts';
import { AppError, errorSpec } from '../../shared/errors.ts';
import { refuseCrossSite } from '../../shared/http/security.ts';
import { pageContext } from '../context.ts';
import { renderPage } from '../layout.tsx';
import { ServicesPage, type ServicesView } from './services.tsx';

type Form = Record<string, string | undefined>;
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
    requireStaff: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
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
    scope.addHook('preHandler', refuseCrossSite);
    scope.addHook('preHandler', deps.requireStaff);
    scope.addHook('preHandler', async (req, reply) => {
      if (req.staff && !mayManageRelyingParties(req.staff.role)) {
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
    });

    scope.get('/admin/services', (req, reply) => show(req, reply, {}));

    scope.post('/admin/services', async (req, reply) => {
      const f = (req.body ?? {}) as Form;
      const form = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, String(v ?? '')]));
      try {
        const { secret, relyingParty } = await deps.registry.register(
          {
            clientId: form.clientId ?? '',
            serviceSlug: form.serviceSlug ?? '',
            redirectUris: list(form.redirectUris),
            postLogoutRedirectUris: list(form.postLogoutRedirectUris),
            ...(form.backchannelLogoutUri ? { backchannelLogoutUri: form.backchannelLogoutUri } : {}),
            ...(form.frontchannelLogoutUri ? { frontchannelLogoutUri: form.frontchannelLogoutUri } : {}),
            policyUrl: form.policyUrl ?? '',
            dpaReference: form.dpaReference ?? '',
            fields: parseFields(form.fields ?? '') as never,
            assuranceLevel: Number(form.assuranceLevel || 1),
            // Posting results needs a back end that reads the delivery contact (P2.4).
            ...(form.offlineDelivery === 'yes'
              ? {
                  offlineDelivery: true,
                  grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
                }
              : {}),
          },
          { type: 'staff', id: req.staff!.id },
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

/**
 * Company pages over the company service. A refusal re-renders the form with the error's
 * title in the page language and keeps what was typed; the service enforces every rule.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CompanyService } from '../../../modules/company/index.ts';
import { AppError } from '../../../kernel/errors.ts';
import { fieldErrors, isRefusal, type FieldError } from '../../forms/errors.ts';
import { pageContext } from '../../context.ts';
import { renderPage } from '../../layout.tsx';
import { CompaniesPage, CompanyPage, SCOPES_FIELD, type Flash } from './view.tsx';
import type { HttpPolicy } from '../../http/cookies.ts';

type Form = Record<string, string | string[] | undefined>;
const endOfDay = (isoDate: string) => new Date(`${isoDate}T23:59:59.999+08:00`);

export function registerCompanyPages(
  app: FastifyInstance,
  deps: {
    company: CompanyService;
    session: (req: FastifyRequest) => Promise<{ id: string; subjectId: string }>;
    http: HttpPolicy;
  },
): void {
  const me = (req: FastifyRequest) => req.principal.citizen!.subjectId;
  const text = (req: FastifyRequest, name: string) => {
    const v = (req.body as Form | undefined)?.[name];
    return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).toString();
  };
  const list = (req: FastifyRequest, name: string) => {
    const v = (req.body as Form | undefined)?.[name];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  /** The refusal on its field (web/forms); a server failure propagates. */
  const errorsOf = (req: FastifyRequest, err: unknown, fallback: string): FieldError[] => {
    if (!isRefusal(err, ['company.registry_unavailable'])) throw err;
    return fieldErrors(err, pageContext(req), { fallback });
  };
  const send = async (reply: FastifyReply, el: unknown, status = 200) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(await renderPage(el));

  const listPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    flash: Flash,
    creditCode?: string,
    status = 200,
  ) =>
    send(
      reply,
      CompaniesPage({
        ctx: pageContext(req),
        companies: await deps.company.companies(me(req)),
        actingId: req.principal.acting?.onBehalfOf?.companyId,
        flash,
        ...(creditCode !== undefined ? { creditCode } : {}),
      }),
      status,
    );

  const detailPage = async (
    req: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    flash: Flash,
    form?: { phone: string; scopes: string[]; validUntil: string },
    status = 200,
  ) =>
    send(
      reply,
      CompanyPage({
        ctx: pageContext(req),
        company: await deps.company.company(me(req), req.params.id),
        acting: req.principal.acting?.onBehalfOf?.companyId === req.params.id,
        flash,
        ...(form ? { form } : {}),
      }),
      status,
    );

  app.register(async (scope) => {
    scope.get<{ Querystring: { switched?: string } }>('/me/companies', (req, reply) =>
      listPage(
        req,
        reply,
        req.query.switched === '1' ? { status: pageContext(req).t('company.acting.switched') } : {},
      ),
    );

    scope.post('/me/companies', async (req, reply) => {
      const creditCode = text(req, 'creditCode').trim();
      try {
        const { id } = await deps.company.bind(me(req), creditCode, req.id);
        return reply.redirect(`/me/companies/${id}?bound=1`, 303);
      } catch (err) {
        return listPage(req, reply, { errors: errorsOf(req, err, 'creditCode') }, creditCode, 400);
      }
    });

    scope.get<{ Params: { id: string }; Querystring: { bound?: string; added?: string; revoked?: string } }>(
      '/me/companies/:id',
      (req, reply) => {
        const { t } = pageContext(req);
        const q = req.query;
        const status = q.bound
          ? t('company.bound')
          : q.added
            ? t('company.agents.added')
            : q.revoked
              ? t('company.agents.revoked')
              : undefined;
        return detailPage(req, reply, { status });
      },
    );

    // Shape kept from before the guard table, so parallel edits of the body merge.
    // prettier-ignore
    scope.post<{ Params: { id: string } }>(
      '/me/companies/:id/agents',
      async (req, reply) => {
        const form = {
          phone: text(req, 'phone').trim(),
          scopes: list(req, 'scopes'),
          validUntil: text(req, 'validUntil'),
        };
        try {
          const until = /^\d{4}-\d{2}-\d{2}$/.test(form.validUntil)
            ? endOfDay(form.validUntil)
            : new Date(NaN);
          await deps.company.authorise(
            me(req),
            req.params.id,
            { phone: form.phone, powers: form.scopes, validUntil: until },
            req.id,
          );
          return reply.redirect(`/me/companies/${req.params.id}?added=1`, 303);
        } catch (err) {
          // invalid_agent covers the powers, the date and the person: tie it to the one at fault.
          // (Its detail names the person: the representative holds every power already.)
          const detail = err instanceof AppError ? err.detail : undefined;
          const at = detail ? 'phone' : form.scopes.length === 0 ? SCOPES_FIELD : 'validUntil';
          const invalid = err instanceof AppError && err.code === 'company.invalid_agent';
          const errors = errorsOf(req, err, invalid ? at : 'phone');
          return detailPage(req, reply, { errors }, form, 400);
        }
      },
    );

    scope.post<{ Params: { id: string; auth: string } }>(
      '/me/companies/:id/agents/:auth/revoke',
      async (req, reply) => {
        await deps.company.revoke(me(req), req.params.id, req.params.auth, req.id);
        return reply.redirect(`/me/companies/${req.params.id}?revoked=1`, 303);
      },
    );

    scope.post('/me/acting', async (req, reply) => {
      const companyId = text(req, 'companyId') || null;
      await deps.company.switchActing(await deps.session(req), companyId, req.id);
      return reply.redirect('/me/companies?switched=1', 303);
    });
  });
}

/**
 * Console pages over account support. A refusal (no such account, missing ticket, a role
 * that may not) re-renders the form with the reason and what was typed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ClosureService } from '../../../modules/closure/index.ts';
import type { AccountSupport, LookupQuery } from '../../../modules/support/index.ts';
import { AppError, errorSpec } from '../../../kernel/errors.ts';
import { pageContext } from '../../context.ts';
import { renderPage } from '../../layout.tsx';
import { AccountsPage, type AccountsView } from './view.tsx';

type Form = Record<string, string | undefined>;

export function registerAccountPages(
  app: FastifyInstance,
  deps: {
    support: AccountSupport;
    closure: ClosureService;
  },
) {
  const show = async (req: FastifyRequest, reply: FastifyReply, view: AccountsView, status = 200) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(await renderPage(AccountsPage({ ctx: pageContext(req), view })));
  const refusal = (req: FastifyRequest, err: unknown) => {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    return { status: err.status, text: errorSpec(err.code).title[pageContext(req).locale] };
  };

  app.register(async (scope) => {
    scope.get('/admin/accounts', (req, reply) => show(req, reply, {}));

    scope.post('/admin/accounts', async (req, reply) => {
      const body = (req.body ?? {}) as Form;
      const query: LookupQuery = {
        by: body.by === 'id_number' ? 'id_number' : 'phone',
        value: (body.value ?? '').trim(),
        ticket: (body.ticket ?? '').trim(),
      };
      try {
        const found = await deps.support.lookup(req.principal.staff!, query, req.id);
        const closure = await deps.closure.waiting(found.subjectId);
        // The number typed is not echoed once it found the account: nothing left on screen.
        return await show(req, reply, { query: { by: query.by, ticket: query.ticket }, found, closure });
      } catch (err) {
        const r = refusal(req, err);
        return show(req, reply, { query, error: r.text }, r.status);
      }
    });

    scope.post<{ Params: { subjectId: string } }>('/admin/accounts/:subjectId/unlock', async (req, reply) => {
      const ticket = ((req.body ?? {}) as Form).ticket ?? '';
      try {
        const found = await deps.support.unlock(req.principal.staff!, req.params.subjectId, ticket, req.id);
        return await show(req, reply, { query: { ticket }, found, unlocked: true });
      } catch (err) {
        const r = refusal(req, err);
        return show(req, reply, { query: { ticket }, error: r.text }, r.status);
      }
    });

    // P8.5.cancel support records a closure the person asked for, after checking who they are.
    scope.post<{ Params: { subjectId: string } }>('/admin/accounts/:subjectId/close', async (req, reply) => {
      const body = (req.body ?? {}) as Form;
      const ticket = (body.ticket ?? '').trim();
      const staff = req.principal.staff!;
      try {
        // The look-up again: the role, the ticket and the account are checked, and audited.
        const found = await deps.support.account(staff, req.params.subjectId, ticket, req.id);
        if (body.checked !== 'yes')
          return await show(
            req,
            reply,
            { query: { ticket }, found, error: pageContext(req).t('admin.accounts.closeUnchecked') },
            400,
          );
        const closure = await deps.closure.recordForPerson(staff, found.subjectId, {
          ticketRef: ticket,
          locale: 'zh-CN',
          requestId: req.id,
        });
        return await show(req, reply, { query: { ticket }, found, closure, closureRecorded: true });
      } catch (err) {
        const r = refusal(req, err);
        return show(req, reply, { query: { ticket }, error: r.text }, r.status);
      }
    });
  });
}

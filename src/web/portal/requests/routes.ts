/**
 * "My rights requests" (P8.2–P8.4, P8.6). The rules are the rights service's; these pages
 * ask it and show what it answers. A request made within minutes of a fresh proof starts
 * with the identity confirmed; otherwise confirming it asks for the proof first (P8.3,
 * security/fresh-proof.ts). Another person's request answers 404, like a missing one.
 * A refused form shows the reason beside the field with what was typed kept.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorSpec } from '../../../kernel/errors.ts';
import type { CitizenSessions } from '../../../modules/session/index.ts';
import type { IdentityService } from '../../../modules/signin/index.ts';
import { rightsErrors, type RightsService } from '../../../modules/rights/index.ts';
import { pageContext } from '../../context.ts';
import { renderPage } from '../../layout.tsx';
import type { HttpPolicy } from '../../http/cookies.ts';
import { field, fields } from '../../admin/refusal.tsx';
import { askToConfirm, confirmed } from '../security/confirm.tsx';
import { freshProof } from '../security/fresh-proof.ts';
import { MyRequestsPage, RequestPage, type RequestForm } from './view.tsx';

type Params = { Params: { id: string } };

export function registerRequestPages(
  app: FastifyInstance,
  deps: {
    rights: RightsService;
    identity: IdentityService;
    sessions: CitizenSessions;
    http: HttpPolicy;
    deadlines: { working: number; calendar: number };
  },
): void {
  const { rights } = deps;
  const withFreshProof = freshProof(deps);
  const html = async (reply: FastifyReply, page: unknown, status = 200) =>
    reply
      .code(status)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(await renderPage(page));
  const subjectOf = (req: FastifyRequest) => req.principal.citizen!.subjectId;

  const list = async (req: FastifyRequest, reply: FastifyReply, form?: RequestForm, err?: AppError) => {
    const ctx = pageContext(req);
    const errors = err
      ? [
          {
            field: `request-${['kind', 'categories', 'details'].includes(err.detail ?? '') ? err.detail : 'details'}`,
            message: errorSpec(err.code).title[ctx.locale],
          },
        ]
      : undefined;
    const page = MyRequestsPage({
      ctx,
      requests: await rights.mine(subjectOf(req)),
      exemptions: rights.exemptions(),
      deadlines: deps.deadlines,
      form,
      errors,
    });
    return html(reply, page, err ? err.status : 200);
  };

  const one = async (
    req: FastifyRequest<Params>,
    reply: FastifyReply,
    extra: { made?: boolean; answer?: string; err?: AppError } = {},
  ) => {
    const ctx = pageContext(req);
    const { request, events } = await rights.ofPerson(subjectOf(req), req.params.id);
    const errors = extra.err
      ? [{ field: 'request-answer', message: errorSpec(extra.err.code).title[ctx.locale] }]
      : undefined;
    const page = RequestPage({
      ctx,
      request,
      events,
      exemptions: rights.exemptions(),
      made: extra.made,
      answer: extra.answer,
      errors,
    });
    return html(reply, page, extra.err ? extra.err.status : 200);
  };

  app.register(async (scope) => {
    scope.get('/me/requests', (req, reply) => list(req, reply));

    scope.post('/me/requests', async (req, reply) => {
      const form: RequestForm = {
        kind: field(req.body, 'kind').slice(0, 50),
        categories: fields(req.body, 'categories').slice(0, 50),
        details: field(req.body, 'details').slice(0, 5000),
      };
      try {
        const fresh = await deps.identity.reauth.fresh(req.cookies[deps.http.cookieName('session')]);
        const made = await rights.submit(subjectOf(req), form, {
          fresh,
          locale: pageContext(req).locale,
          requestId: req.id,
        });
        return await reply.redirect(`/me/requests/${made.id}?made=1`, 303);
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== rightsErrors.invalid_request) throw err;
        return list(req, reply, form, err);
      }
    });

    scope.get<Params & { Querystring: { made?: string } }>('/me/requests/:id', (req, reply) =>
      one(req, reply, { made: req.query.made === '1' }),
    );

    // P8.3 the person proves it is them again, then the request is confirmed.
    scope.post<Params>('/me/requests/:id/confirm', async (req, reply) => {
      // Not theirs: unknown before any proof is asked for.
      await rights.ofPerson(subjectOf(req), req.params.id);
      return withFreshProof(req, reply, 'rights-request', async () => {
        await rights.confirmBySelf(subjectOf(req), req.params.id, { requestId: req.id });
        return reply.redirect(`/me/requests/${req.params.id}`, 303);
      });
    });

    scope.post<Params>('/me/requests/:id/answer', async (req, reply) => {
      const answer = field(req.body, 'answer').slice(0, 5000);
      try {
        await rights.answer(subjectOf(req), req.params.id, answer, { requestId: req.id });
        return await reply.redirect(`/me/requests/${req.params.id}`, 303);
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== rightsErrors.invalid_request) throw err;
        return one(req, reply, { answer, err });
      }
    });

    scope.post<Params>('/me/requests/:id/withdraw', async (req, reply) => {
      const { request } = await rights.ofPerson(subjectOf(req), req.params.id);
      const ctx = pageContext(req);
      if (!confirmed(req))
        return askToConfirm(req, reply, ctx, {
          title: ctx.t('confirm.withdrawRequest.title'),
          subject: ctx.t(`rights.kind.${request.kind}`),
          effect: ctx.t('confirm.withdrawRequest.effect'),
          confirm: ctx.t('confirm.withdrawRequest.do'),
          back: `/me/requests/${request.id}`,
        });
      await rights.withdraw(subjectOf(req), req.params.id, { requestId: req.id });
      return reply.redirect(`/me/requests/${req.params.id}`, 303);
    });
  });
}

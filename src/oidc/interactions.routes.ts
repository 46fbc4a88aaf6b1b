/**
 * The provider's interactions, answered by the portal:
 *   login    the portal session signs the person in (or /login first, returning here);
 *            a person below the service's level is sent to verify further
 *   consent  consent-screen.ts decides what to ask; nothing is asked when every requested
 *            field already has an active consent, unless the service asks for scope
 *            `company`: then the person chooses whom they act for (acting.ts); an optional
 *            field the person declined is not asked again (declined.ts) unless the
 *            service sends prompt=consent
 *   scope    an authorization asking for `department-api` (client-credentials only) ends
 *            with invalid_scope before any sign-in (conformance.ts)
 * The provider writes the redirect that continues the authorization, so those replies are
 * hijacked before `interactionFinished`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { Database } from '../db/database.ts';
import type { RelyingParty, RelyingPartyRegistry } from '../modules/catalogue/index.ts';
import { scopeForDepartment, type CompanyService } from '../modules/company/index.ts';
import type { ConsentService } from '../modules/consent/index.ts';
import { assuranceLevel, citizenCookieName, type CitizenSessions } from '../modules/identity/index.ts';
import { refuseCrossSite } from '../shared/http/security.ts';
import { pageContext } from '../web/context.ts';
import { renderPage } from '../web/layout.tsx';
import { ConsentPage, consentText, ContinuePage, LevelPage } from './consent-page.tsx';
import { CONSENT_DAYS, ConsentRefused, question, recordAnswer } from './consent-screen.ts';
import { declinedFields, recordDeclined } from './declined.ts';
import { bindActing, COMPANY_SCOPE } from './acting.ts';
import type { ProviderHolder } from './mount.ts';
import { ACR, DEPARTMENT_API_SCOPE, neededLevel } from './provider.ts';

interface Deps {
  holder: ProviderHolder;
  db: Database;
  sessions: CitizenSessions;
  consent: ConsentService;
  registry: RelyingPartyRegistry;
  company: CompanyService;
  secureCookies: boolean;
}

type Params = { Params: { uid: string } };
type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

export function registerInteractionRoutes(app: FastifyInstance, deps: Deps): void {
  const op = (): Provider => {
    if (!deps.holder.provider) throw new Error('the OpenID provider is not started yet');
    return deps.holder.provider;
  };
  const cookie = citizenCookieName(deps.secureCookies);
  const page = async (reply: FastifyReply, el: unknown, status = 200) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(await renderPage(el));

  /**
   * Continues the authorization with a page that moves on by itself (Refresh header, and a
   * link) rather than a 303: this request may be the end of a redirect chain started by
   * the sign-in or consent form, and the portal's CSP (`form-action 'self'`) would stop that
   * chain at the service's origin. A new document's refresh is not a form submission.
   */
  const finish = async (req: FastifyRequest, reply: FastifyReply, result: object, merge: boolean) => {
    const to = await op().interactionResult(req.raw, reply.raw, result as never, {
      mergeWithLastSubmission: merge,
    });
    return page(reply.header('refresh', `0;url=${to}`), ContinuePage({ ctx: pageContext(req), to }));
  };

  /** What the consent screen asks now: declined optional fields only on prompt=consent. */
  const ask = async (rp: RelyingParty, details: Details, subjectId: string) =>
    question(rp, String(details.params.scope ?? ''), await deps.consent.of(subjectId), {
      declined: await declinedFields(deps.db, subjectId, rp.clientId, CONSENT_DAYS),
      askAgain: String(details.params.prompt ?? '')
        .split(' ')
        .includes('consent'),
    });

  /** Companies the person may act for at this service, when it asks (scope `company`). */
  const actingChoices = async (rp: RelyingParty, scope: string, subjectId: string) => {
    const needs = scopeForDepartment(rp.departmentSlug);
    if (!needs || !scope.split(' ').includes(COMPANY_SCOPE)) return undefined;
    return deps.company.representable(subjectId, needs);
  };

  /**
   * Grants the released fields (and the protocol scopes asked for), binds whom the person
   * acts for when the service asked (undefined: it did not), and continues.
   */
  const grantAndContinue = async (
    req: FastifyRequest,
    reply: FastifyReply,
    details: Details,
    released: string[],
    refused: string[],
    acting?: string | null,
  ) => {
    const accountId = details.session!.accountId;
    const clientId = String(details.params.client_id);
    const grant = details.grantId
      ? ((await op().Grant.find(details.grantId)) ?? new (op().Grant)({ accountId, clientId }))
      : new (op().Grant)({ accountId, clientId });
    const asked = String(details.params.scope ?? '').split(' ');
    const protocol = asked.filter(
      (s) => s === 'offline_access' || (s === COMPANY_SCOPE && acting !== undefined),
    );
    grant.addOIDCScope(['openid', ...protocol, ...released].join(' '));
    if (refused.length) grant.rejectOIDCScope(refused.join(' '));
    const grantId = await grant.save();
    if (acting !== undefined) await bindActing(deps.db, grantId, accountId, acting);
    return finish(
      req,
      reply,
      { consent: { grantId }, ...(acting !== undefined ? { civitas_acting: acting ?? 'self' } : {}) },
      true,
    );
  };

  app.register(async (scope) => {
    scope.addHook('preHandler', refuseCrossSite);

    scope.get<Params>('/oidc/interaction/:uid', async (req, reply) => {
      const details = await op().interactionDetails(req.raw, reply.raw);
      const rp = await deps.registry.find(String(details.params.client_id));
      if (!rp || details.uid !== req.params.uid) return reply.callNotFound();
      const ctx = pageContext(req);
      // department-api names a back end, never a person (conformance.ts): no sign-in or
      // consent can grant it, so asking for it ends here instead of looping through consent.
      if (
        String(details.params.scope ?? '')
          .split(' ')
          .includes(DEPARTMENT_API_SCOPE)
      ) {
        return finish(
          req,
          reply,
          {
            error: 'invalid_scope',
            error_description: `${DEPARTMENT_API_SCOPE} is granted to client-credentials tokens only`,
          },
          false,
        );
      }

      if (details.prompt.name === 'login') {
        const subjectId = await deps.sessions.subjectOf(req.cookies[cookie]);
        if (!subjectId) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
        const level = await assuranceLevel(deps.db, subjectId);
        const needed = neededLevel(rp.assuranceLevel, details.params.acr_values);
        if (level < needed) return page(reply, LevelPage({ ctx, needed, have: level, next: req.url }), 403);
        return finish(req, reply, { login: { accountId: subjectId, acr: ACR(level), amr: ['pwd'] } }, false);
      }

      const subjectId = details.session!.accountId;
      const scope = String(details.params.scope ?? '');
      const q = await ask(rp, details, subjectId);
      const choices = await actingChoices(rp, scope, subjectId);
      // Nothing to ask: every field consented or declined before, and no company to choose.
      if (q.ask.length === 0 && !choices?.length)
        return grantAndContinue(req, reply, details, q.granted, q.declined, choices ? null : undefined);
      return page(reply, ConsentPage({ ctx, uid: details.uid, q, ...(choices ? { choices } : {}) }));
    });

    scope.post<Params & { Body: Record<string, string | string[] | undefined> }>(
      '/oidc/interaction/:uid/consent',
      async (req, reply) => {
        const details = await op().interactionDetails(req.raw, reply.raw);
        const rp = await deps.registry.find(String(details.params.client_id));
        if (!rp || details.uid !== req.params.uid || details.prompt.name !== 'consent')
          return reply.callNotFound();
        const body = req.body ?? {};
        if (body.decision !== 'allow') {
          return finish(
            req,
            reply,
            { error: 'access_denied', error_description: 'the person did not allow the release' },
            false,
          );
        }
        const ctx = pageContext(req);
        const subjectId = details.session!.accountId;
        const scope = String(details.params.scope ?? '');
        const q = await ask(rp, details, subjectId);
        const chosen = new Set([body.field ?? []].flat());
        const choices = await actingChoices(rp, scope, subjectId);
        // Only a company offered now counts; anything else is the person acting for themself.
        const acting = choices ? (choices.find((c) => c.id === body.acting)?.id ?? null) : undefined;
        try {
          const { released, refused } = await recordAnswer(deps.consent, q, subjectId, {
            chosen,
            sensitiveTick: body.sensitive === 'yes',
            textShown: consentText(ctx, q),
            requestId: req.id,
          });
          await recordDeclined(
            deps.db,
            subjectId,
            rp.clientId,
            q.ask.filter((f) => !f.required).map((f) => f.field),
            refused,
          );
          return await grantAndContinue(req, reply, details, released, [...refused, ...q.declined], acting);
        } catch (err) {
          if (!(err instanceof ConsentRefused)) throw err;
          return page(
            reply,
            ConsentPage({
              ctx,
              uid: details.uid,
              q,
              ...(choices ? { choices } : {}),
              error: ctx.t('sso.consent.sensitiveNeeded'),
            }),
            400,
          );
        }
      },
    );
  });
}

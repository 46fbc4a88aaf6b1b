/**
 * The provider's interactions, answered by the portal:
 *   login    the portal session signs the person in (or /login first, returning here);
 *            a person below the service's level is sent to verify further. The login
 *            result carries the portal session's real sign-in time (`auth_time`, which
 *            also binds the provider session to it, provider.ts), its methods (`amr`) and
 *            the account's current level (`acr`). `prompt=login`, or a sign-in older than
 *            `max_age`, needs a fresh sign-in at /login after this authorization began,
 *            with the account's second step (OpenID Connect Core 3.1.2.1)
 *   consent  consent-screen.ts decides what to ask; nothing is asked when every requested
 *            field already has an active consent, unless the service asks for scope
 *            `company`: then the person chooses whom they act for (acting.ts); an optional
 *            field the person declined is not asked again (declined.ts) unless the
 *            service sends prompt=consent
 *   scope    an authorization asking for `department-api` (client-credentials only) ends
 *            with invalid_scope before any sign-in (conformance.ts)
 * The provider writes the redirect that continues the authorization, so those replies are
 * hijacked before `interactionFinished`.
 *
 * One answer on the consent screen is recorded in one transaction: its consents (with the
 * text shown kept by the policy module), their audit entries, the declined fields, the
 * grant, whom the person acts for and the interaction's result commit together; a failure
 * at any step leaves none of them. The screen's wording is the `sso-consent-screen`
 * document; the form says which version was read, and a version no longer known (or one
 * never published) is answered by showing the screen again in the version in effect.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { Database, Queryable } from '../../kernel/db/database.ts';
import type { RelyingParty, RelyingPartyRegistry } from '../../modules/catalogue/index.ts';
import { powerForDepartment, type CompanyService } from '../../modules/company/index.ts';
import type { ConsentService } from '../../modules/consent/index.ts';
import { documentIds, type PolicyService } from '../../modules/policy/index.ts';
import { assuranceLevel } from '../../modules/account/index.ts';
import { type PortalSession } from '../../modules/session/index.ts';
import { provedStrongly } from '../../modules/signin/index.ts';
import { pageContext } from '../context.ts';
import { isLocale } from '../../kernel/locale.ts';
import { renderPage } from '../layout.tsx';
import { withinTransaction } from '../../oidc/adapter.ts';
import {
  ConsentPage,
  consentText,
  ContinuePage,
  LevelPage,
  screenWording,
  WORDING_FIELD,
} from './consent/view.tsx';
import { CONSENT_DAYS, ConsentRefused, question, recordAnswer } from '../../oidc/consent-screen.ts';
import { declinedFields, recordDeclined } from '../../oidc/declined.ts';
import { bindActing, COMPANY_SCOPE } from '../../oidc/acting.ts';
import type { ProviderHolder } from '../../oidc/mount.ts';
import { ACR, DEPARTMENT_API_SCOPE, neededLevel } from '../../oidc/provider.ts';
import type { HttpPolicy } from '../http/cookies.ts';
import { clock } from '../../kernel/clock.ts';
import { withNext } from '../http/return-address.ts';

interface Deps {
  holder: ProviderHolder;
  db: Database;
  consent: ConsentService;
  policy: PolicyService;
  registry: RelyingPartyRegistry;
  company: CompanyService;
  http: HttpPolicy;
}

type Params = { Params: { uid: string } };
type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

/**
 * Whether this authorization needs a sign-in newer than the portal session: `prompt=login`
 * needs one made after the authorization began, `max_age` one no older than it allows, and
 * both one proved with the account's passkey or authenticator app when it has one (a
 * sign-in at /login without the `reauth` mark, which skips that step, does not count).
 */
async function freshSignInNeeded(
  db: Database,
  details: Awaited<ReturnType<Provider['interactionDetails']>>,
  portal: PortalSession | undefined,
): Promise<boolean> {
  const prompts = String(details.params.prompt ?? '').split(' ');
  const maxAge = details.params.max_age === undefined ? undefined : Number(details.params.max_age);
  if (!prompts.includes('login') && maxAge === undefined) return false;
  if (prompts.includes('login')) {
    // `iat` has one-second precision, so a sign-in made earlier in the same second would
    // pass for fresh. The interaction remembers, to the millisecond, when it first asked
    // for the sign-in; only a portal session begun after that counts.
    const asked = (details.result as { civitas_login_asked?: number } | undefined)?.civitas_login_asked;
    if (asked === undefined) {
      details.result = { ...(details.result ?? {}), civitas_login_asked: clock.now() };
      await details.save(Math.max(1, details.exp - clock.epochSeconds()));
      return true;
    }
    if (!portal || portal.signedInAt.getTime() <= asked) return true;
  }
  if (!portal) return true;
  const signedIn = Math.floor(portal.signedInAt.getTime() / 1000);
  if (maxAge !== undefined && clock.epochSeconds() - signedIn > maxAge) return true;
  return !(await provedStrongly(db, portal.subjectId, portal.amr));
}

export function registerInteractionRoutes(app: FastifyInstance, deps: Deps): void {
  const op = (): Provider => {
    if (!deps.holder.provider) throw new Error('the OpenID provider is not started yet');
    return deps.holder.provider;
  };
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
  const resultTo = (req: FastifyRequest, reply: FastifyReply, result: object, merge: boolean) =>
    op().interactionResult(req.raw, reply.raw, result as never, { mergeWithLastSubmission: merge });
  const moveOn = (req: FastifyRequest, reply: FastifyReply, to: string) =>
    page(reply.header('refresh', `0;url=${to}`), ContinuePage({ ctx: pageContext(req), to }));
  const finish = async (req: FastifyRequest, reply: FastifyReply, result: object, merge: boolean) =>
    moveOn(req, reply, await resultTo(req, reply, result, merge));

  /** The screen's wording: the version in effect, in the page's language. */
  const wording = async (req: FastifyRequest) =>
    screenWording(await deps.policy.inEffect(documentIds.ssoConsentScreen, pageContext(req).locale));

  /** The wording the form says was read (`language/version`); undefined if never published. */
  const wordingRead = async (read: string) => {
    const [language, version] = read.split('/');
    const doc =
      isLocale(language) && version
        ? await deps.policy.find({ documentId: documentIds.ssoConsentScreen, version, language })
        : undefined;
    return doc ? screenWording(doc) : undefined;
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
    const needs = powerForDepartment(rp.departmentSlug);
    if (!needs || !scope.split(' ').includes(COMPANY_SCOPE)) return undefined;
    return deps.company.representable(subjectId, needs);
  };

  /**
   * Records the answer (its consents and declined fields; it says which fields are now
   * released and which refused), grants the released fields (and the protocol scopes asked
   * for), binds whom the person acts for when the service asked (undefined: it did not),
   * and continues; all of it in one transaction.
   */
  const grantAndContinue = async (
    req: FastifyRequest,
    reply: FastifyReply,
    details: Details,
    answer: (q: Queryable) => Promise<{ released: string[]; refused: string[] }>,
    acting?: string | null,
  ) => {
    const to = await deps.db.tx((q) =>
      withinTransaction(q, async () => {
        const { released, refused } = await answer(q);
        const result = await grantOn(q, details, released, refused, acting);
        return resultTo(req, reply, result, true);
      }),
    );
    return moveOn(req, reply, to);
  };

  const grantOn = async (
    q: Queryable,
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
    if (acting !== undefined) await bindActing(q, grantId, accountId, acting);
    return { consent: { grantId }, ...(acting !== undefined ? { civitas_acting: acting ?? 'self' } : {}) };
  };

  app.register(async (scope) => {
    scope.get<Params>('/oidc/interaction/:uid', async (req, reply) => {
      const details = await op().interactionDetails(req.raw, reply.raw);
      const rp = await deps.registry.find(String(details.params.client_id));
      if (!rp || details.uid !== req.params.uid) return reply.callNotFound();
      // P4 a use of this service, counted only with analytics consent (web/http/usage.ts).
      req.usageService = rp.clientId;
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
        const here = `/oidc/interaction/${details.uid}`;
        const portal = req.principal.citizen;
        const fresh = await freshSignInNeeded(deps.db, details, portal);
        if (!portal || fresh) {
          const next = fresh ? `${here}?reauth=1` : here;
          return reply.redirect(withNext('/login', next), 303);
        }
        const level = await assuranceLevel(deps.db, portal.subjectId);
        const needed = neededLevel(rp.assuranceLevel, details.params.acr_values);
        if (level < needed) return page(reply, LevelPage({ ctx, needed, have: level, next: req.url }), 403);
        const login = {
          accountId: portal.subjectId,
          acr: ACR(level),
          ...(portal.amr.length ? { amr: portal.amr } : {}),
          ts: Math.floor(portal.signedInAt.getTime() / 1000),
        };
        return finish(req, reply, { login }, false);
      }

      const subjectId = details.session!.accountId;
      // P4 signed in to this service: one of the person's recent services, only with
      // personalisation consent (web/portal/personal/routes.ts).
      req.personalService = rp.serviceSlug;
      const scope = String(details.params.scope ?? '');
      const q = await ask(rp, details, subjectId);
      const choices = await actingChoices(rp, scope, subjectId);
      // Nothing to ask: every field consented or declined before, and no company to choose.
      if (q.ask.length === 0 && !choices?.length)
        return grantAndContinue(
          req,
          reply,
          details,
          async () => ({ released: q.granted, refused: q.declined }),
          choices ? null : undefined,
        );
      const shown = await wording(req);
      return page(
        reply,
        ConsentPage({ ctx, uid: details.uid, q, wording: shown, ...(choices ? { choices } : {}) }),
      );
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
        const again = async (error: string, status: number) =>
          page(
            reply,
            ConsentPage({
              ctx,
              uid: details.uid,
              q,
              wording: await wording(req),
              ...(choices ? { choices } : {}),
              error,
            }),
            status,
          );
        // The version the person read; a form without one (older page) read the one in effect.
        const read = body[WORDING_FIELD];
        const shown = typeof read === 'string' ? await wordingRead(read) : await wording(req);
        if (!shown) return again(ctx.t('sso.consent.wordingChanged'), 409);
        try {
          const answer = async (tx: Queryable) => {
            const { released, refused } = await recordAnswer(
              deps.consent,
              q,
              subjectId,
              {
                chosen,
                sensitiveTick: body.sensitive === 'yes',
                shown: consentText(shown, q),
                requestId: req.id,
              },
              tx,
            );
            await recordDeclined(
              tx,
              subjectId,
              rp.clientId,
              q.ask.filter((f) => !f.required).map((f) => f.field),
              refused,
            );
            return { released, refused: [...refused, ...q.declined] };
          };
          return await grantAndContinue(req, reply, details, answer, acting);
        } catch (err) {
          if (!(err instanceof ConsentRefused)) throw err;
          return again(ctx.t('sso.consent.sensitiveNeeded'), 400);
        }
      },
    );
  });
}

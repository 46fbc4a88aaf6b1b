/**
 * The OpenID provider (oidc-provider, OpenID-certified) configured for Civitas.
 *
 * Rules (what the configuration enforces, and where):
 *   every client          clients come only from the relying-party registry (no dynamic
 *                         registration); redirect URIs must match exactly (library)
 *   PKCE                  required for every authorization code, S256 only
 *   subject               pairwise per department (P1.2): HMAC of the person and the
 *                         department under a keyring secret; two departments cannot join
 *                         their data on `sub`
 *   claims                released only by claims.ts (registered + requested + consented);
 *                         ID tokens carry none
 *   refresh tokens        issued to clients allowed the grant, rotated on every use; reuse
 *                         of a rotated token revokes the whole grant (library), also when
 *                         the uses are concurrent (consume is a compare-and-set,
 *                         unit-of-work.ts)
 *   assurance (acr)       urn:civitas:loa:1…4, from the account's current level at every
 *                         authorization (P2.1): a session whose acr differs goes through the
 *                         login step again; a service registered for level N is only
 *                         signed in once the person has level N (interactions.routes.ts)
 *   provider session      bound to the portal session it was opened from (same person, same
 *                         sign-in time = auth_time); reused silently only while that portal
 *                         session lives in this browser (P1.1, P7.3); session-ends.ts ends it
 *                         with the portal session
 *   auth_time, amr        the portal session's sign-in time and methods (RFC 8176);
 *                         prompt=login and max_age get a fresh sign-in (interactions.routes.ts)
 *   logout                RP-initiated and back-channel (library); front-channel in logout.ts
 *                         (advertised in discovery, OpenID Connect Front-Channel Logout 1.0 §3)
 *   response types        `code` only: no client can be registered for another, so discovery
 *                         advertises no other (conformance.ts)
 *   spec conformance      conformance.ts (token headers, error codes, scopes a token may carry)
 *   signing keys          keys.ts: ES256 default, RS256 per client; rotation keeps the old
 *                         key published
 */
import Provider, { interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../kernel/config/index.ts';
import type { Database } from '../kernel/db/database.ts';
import type { ConsentService } from '../modules/consent/index.ts';
import type { RelyingParty, RelyingPartyRegistry } from '../modules/catalogue/index.ts';
import { powerForDepartment, type CompanyService } from '../modules/company/index.ts';
import { actingOf, COMPANY_SCOPE } from './acting.ts';
import type { KeyManager, VaultService } from '../modules/vault/index.ts';
import { pgAdapterFactory } from './adapter.ts';
import { claimsOf, consentFor, releaseClaims } from './claims.ts';
import { loadSigningKeys } from './keys.ts';
import { installConformance } from './conformance.ts';
import { installSingleLogout } from './logout.ts';
import { installUnitOfWork } from './unit-of-work.ts';
import { assuranceLevel } from '../modules/account/index.ts';
import type { CitizenSessions } from '../modules/session/index.ts';
import type { HttpPolicy } from '../web/http/cookies.ts';
import { logoutPages, renderOidcError } from '../web/oidc/pages.tsx';

export const ACR = (level: number) => `urn:civitas:loa:${level}`;
export const DEPARTMENT_API_SCOPE = 'department-api';

export const TTL = {
  AccessToken: 600,
  AuthorizationCode: 60,
  ClientCredentials: 600,
  IdToken: 3600,
  RefreshToken: 14 * 24 * 3600,
  Interaction: 3600,
  Session: 12 * 3600,
  Grant: 14 * 24 * 3600,
} as const;

/** The registry's view of a service, in the metadata oidc-provider expects of a client. */
export async function clientMetadata(
  rp: RelyingParty,
  secret: string | undefined,
): Promise<Record<string, unknown>> {
  const code = rp.grantTypes.includes('authorization_code');
  const scopes = [
    ...(code ? ['openid', 'offline_access'] : []),
    ...rp.fields.map((f) => f.field),
    ...(rp.grantTypes.includes('client_credentials') ? [DEPARTMENT_API_SCOPE] : []),
    ...(code && powerForDepartment(rp.departmentSlug) ? [COMPANY_SCOPE] : []),
  ];
  return {
    client_id: rp.clientId,
    ...(secret
      ? { client_secret: secret, token_endpoint_auth_method: 'client_secret_basic' }
      : { token_endpoint_auth_method: 'none' }),
    client_name: rp.serviceName['en'],
    // The provider's own pages (logout) name the service in the person's language.
    civitas_service_name: rp.serviceName,
    redirect_uris: code ? rp.redirectUris : [],
    post_logout_redirect_uris: rp.postLogoutRedirectUris,
    grant_types: rp.grantTypes,
    response_types: code ? ['code'] : [],
    scope: scopes.join(' '),
    subject_type: 'pairwise',
    id_token_signed_response_alg: rp.idTokenAlg,
    default_acr_values: [ACR(rp.assuranceLevel)],
    // Every ID token says when the person really signed in (the portal session's sign-in).
    require_auth_time: true,
    civitas_department: rp.departmentSlug,
    ...(rp.backchannelLogoutUri
      ? { backchannel_logout_uri: rp.backchannelLogoutUri, backchannel_logout_session_required: true }
      : {}),
    ...(rp.frontchannelLogoutUri ? { civitas_frontchannel_logout_uri: rp.frontchannelLogoutUri } : {}),
  };
}

import { pairwiseSubject } from './pairwise.ts';
export { pairwiseSubject };

/** The level a request needs: the service's registered level, or more if it asks (acr_values). */
export function neededLevel(registered: number, acrValues: unknown): number {
  const asked = typeof acrValues === 'string' ? acrValues.split(' ') : [];
  return Math.max(registered, ...asked.map((v) => Number(/^urn:civitas:loa:([1-4])$/.exec(v)?.[1] ?? 0)));
}

const levelOf = (acr: unknown) => Number(/^urn:civitas:loa:([1-4])$/.exec(String(acr))?.[1] ?? 0);

/** What the login check needs to know about the person behind a provider session, now. */
type Standing = (ctx: KoaContextWithOIDC, accountId: string) => Promise<{ bound: boolean; level: number }>;

/**
 * The library's prompts plus three checks:
 * - login: a provider session whose portal session has ended (signed out, other devices
 *   signed out, password reset, expired) or is not this browser's goes through the login
 *   step again, which signs in afresh or asks for the password;
 * - login: a session whose acr is not the account's current level, or below the level the
 *   service needs, goes through the login step again: it takes the current level, or sends
 *   the person to verify further;
 * - consent: a service asking for scope `company` makes the person choose whom they act
 *   for in every authorization (acting.ts), even when no field needs consent.
 */
function policy(standing: Standing) {
  const p = interactionPolicy.base();
  // One read per authorization for both checks (the portal session and the level, at once).
  const standingOf = (ctx: KoaContextWithOIDC) => {
    const accountId = ctx.oidc.session?.accountId;
    if (!accountId) return undefined; // no session: the library's `no_session` check asks
    const held = ctx as KoaContextWithOIDC & { civitasStanding?: ReturnType<Standing> };
    held.civitasStanding ??= standing(ctx, accountId);
    return held.civitasStanding;
  };
  p.get('login')!.checks.add(
    new interactionPolicy.Check('civitas_session_ended', 'the portal session has ended', async (ctx) => {
      const s = await standingOf(ctx);
      return s && !s.bound
        ? interactionPolicy.Check.REQUEST_PROMPT
        : interactionPolicy.Check.NO_NEED_TO_PROMPT;
    }),
  );
  p.get('login')!.checks.add(
    new interactionPolicy.Check('civitas_assurance', 'a higher assurance level is required', async (ctx) => {
      const s = await standingOf(ctx);
      if (!s) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      const client = ctx.oidc.client as unknown as { defaultAcrValues?: string[] } | undefined;
      const registered = levelOf(client?.defaultAcrValues?.[0]);
      const needed = neededLevel(registered, ctx.oidc.params?.acr_values);
      return levelOf(ctx.oidc.session?.acr) !== s.level || s.level < needed
        ? interactionPolicy.Check.REQUEST_PROMPT
        : interactionPolicy.Check.NO_NEED_TO_PROMPT;
    }),
  );
  p.get('consent')!.checks.add(
    new interactionPolicy.Check('civitas_acting', 'the person chooses whom they act for', (ctx) => {
      const asked = String(ctx.oidc.params?.scope ?? '').split(' ');
      const allowed = String((ctx.oidc.client as unknown as { scope?: string })?.scope ?? '').split(' ');
      const chosen = (ctx.oidc.result as { civitas_acting?: unknown } | undefined)?.civitas_acting;
      return asked.includes(COMPANY_SCOPE) && allowed.includes(COMPANY_SCOPE) && chosen === undefined
        ? interactionPolicy.Check.REQUEST_PROMPT
        : interactionPolicy.Check.NO_NEED_TO_PROMPT;
    }),
  );
  return p;
}

export interface OidcDeps {
  config: Config;
  db: Database;
  keys: KeyManager;
  vault: VaultService;
  consent: ConsentService;
  registry: RelyingPartyRegistry;
  sessions: CitizenSessions;
  company: CompanyService;
  /** The HTTP policy (web/http/cookies.ts): secure cookies and the portal cookie's name. */
  http: HttpPolicy;
}

export async function createProvider(issuer: string, deps: OidcDeps): Promise<Provider> {
  const { db, keys, registry } = deps;
  const jwks = await loadSigningKeys(db, keys);
  const cookieKey = (n: number) => keys.blindIndex('oidc-cookie', `v1:${n}`).toString('base64url');
  const clientLookup = async (clientId: string) => {
    const rp = await registry.find(clientId);
    return rp ? clientMetadata(rp, await registry.secretOf(clientId)) : undefined;
  };
  const adapter = pgAdapterFactory(db, clientLookup);
  const portalCookie = deps.http.cookieName('session');
  const standing: Standing = async (ctx, accountId) => {
    const [portal, level] = await Promise.all([
      deps.sessions.sessionOf(ctx.cookies.get(portalCookie, { signed: false })),
      assuranceLevel(db, accountId),
    ]);
    const bound =
      portal !== undefined &&
      portal.subjectId === accountId &&
      Math.floor(portal.signedInAt.getTime() / 1000) === ctx.oidc.session?.loginTs;
    return { bound, level };
  };

  const configuration: Configuration = {
    adapter,
    jwks: { keys: jwks as never },
    cookies: {
      keys: [cookieKey(1), cookieKey(2)],
      long: { signed: true, sameSite: 'lax', secure: deps.http.secureCookies },
      short: { signed: true, sameSite: 'lax', secure: deps.http.secureCookies },
    },
    claims: {
      // `amr` (how the person signed in, RFC 8176) in every ID token, as the scope's own
      // claim; userinfo never has it (claims.ts releases fields only).
      openid: ['sub', 'amr'],
      acr: null,
      auth_time: null,
      sid: null,
      [COMPANY_SCOPE]: ['acting_for'],
      ...claimsOf,
    },
    scopes: ['openid', 'offline_access', DEPARTMENT_API_SCOPE, COMPANY_SCOPE],
    acrValues: [1, 2, 3, 4].map(ACR),
    subjectTypes: ['pairwise'],
    pairwiseIdentifier: async (_ctx, accountId, client) => {
      const department =
        (client as unknown as { civitas_department?: string }).civitas_department ?? client.clientId;
      return pairwiseSubject(keys, department, accountId);
    },
    extraClientMetadata: {
      properties: ['civitas_department', 'civitas_frontchannel_logout_uri', 'civitas_service_name'],
    },
    pkce: { required: () => true },
    discovery: { frontchannel_logout_supported: true, frontchannel_logout_session_supported: true },
    features: {
      devInteractions: { enabled: false },
      // A client learns about its own tokens only (RFC 7662 §4: no token scanning).
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      revocation: { enabled: true },
      clientCredentials: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: { enabled: true, ...logoutPages },
      userinfo: { enabled: true },
    },
    enabledJWA: {
      idTokenSigningAlgValues: ['ES256', 'RS256'],
      userinfoSigningAlgValues: ['ES256', 'RS256'],
      introspectionSigningAlgValues: ['ES256', 'RS256'],
    },
    conformIdTokenClaims: true,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    ttl: { ...TTL },
    interactions: {
      policy: policy(standing),
      url: async (_ctx, interaction) => `/oidc/interaction/${interaction.uid}`,
    },
    // A remembered grant counts only while the person's consents for its fields stand.
    async loadExistingGrant(ctx) {
      const client = ctx.oidc.client;
      const accountId = ctx.oidc.session?.accountId;
      const grantId =
        ctx.oidc.result?.consent?.grantId ?? (client && ctx.oidc.session?.grantIdFor(client.clientId));
      if (!grantId || !client || !accountId) return undefined;
      const grant = await ctx.oidc.provider.Grant.find(grantId);
      const rp = await registry.find(client.clientId);
      if (!grant || !rp) return undefined;
      const consents = await deps.consent.of(accountId);
      const stands = rp.fields.every(
        (f) =>
          !grant.getOIDCScope().split(' ').includes(f.field) || consentFor(consents, rp, f.field, f.purpose),
      );
      return stands ? grant : undefined;
    },
    renderError: renderOidcError,
    // The library refuses outgoing calls (back-channel logout) to special-use addresses
    // (SSRF protection). Development and tests run the department on loopback: only there,
    // and only for loopback URLs, its dispatcher is dropped.
    fetch: (url, options) => {
      const host = new URL(url).hostname;
      if (deps.config.mode !== 'production' && ['localhost', '127.0.0.1', '[::1]'].includes(host)) {
        delete (options as { dispatcher?: unknown }).dispatcher;
      }
      return fetch(url, options);
    },
    async findAccount(ctx: KoaContextWithOIDC, sub: string) {
      return {
        accountId: sub,
        async claims(use: string, scope: string) {
          const client = ctx.oidc.client;
          if (use !== 'userinfo' || !client) return { sub };
          const rp = await registry.find(client.clientId);
          if (!rp) return { sub };
          return {
            sub,
            ...(await releaseClaims(deps, rp, sub, scope)),
            ...(await actingClaim(ctx, rp, sub, scope)),
          };
        },
      };
    },
  };

  /** `acting_for`, when this grant was authorised for a company and still may be (acting.ts). */
  async function actingClaim(ctx: KoaContextWithOIDC, rp: RelyingParty, subjectId: string, scope: string) {
    const needs = powerForDepartment(rp.departmentSlug);
    const grantId = ctx.oidc.accessToken?.grantId;
    if (!needs || !grantId || !scope.split(' ').includes(COMPANY_SCOPE)) return {};
    const companyId = await actingOf(db, grantId, subjectId);
    const acting = companyId && (await deps.company.releaseActing(subjectId, companyId, needs, rp));
    return acting ? { acting_for: acting } : {};
  }

  const provider = new Provider(issuer, configuration);
  // Koa's flag only says whether X-Forwarded-Proto/-Host shape the provider's own URLs;
  // which proxies are believed for the client address is Fastify's trustProxy (app.ts).
  provider.proxy = deps.config.trustProxy !== false;
  installUnitOfWork(provider, db); // first: every other middleware's writes run inside it
  installConformance(provider);
  installSingleLogout(provider, { sessions: deps.sessions, http: deps.http, issuer });
  return provider;
}

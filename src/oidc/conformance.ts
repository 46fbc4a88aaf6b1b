/**
 * Where the library's answers are brought to what the specifications (and independent
 * relying parties such as Apache mod_auth_openidc) expect of Civitas.
 *
 * Rules:
 *   discovery              advertises the `code` response type only, the only one a client
 *                          can be registered for (relying-party.ts), and so no implicit
 *                          grant. The library keeps parsing the other registered OAuth
 *                          response types so that asking for one is `unauthorized_client`
 *                          (the client may not), not `unsupported_response_type` (an unknown
 *                          value)
 *   token responses        RFC 6749 §5.1: `Cache-Control: no-store` (library) and
 *                          `Pragma: no-cache`, on success and on error
 *   no client auth         RFC 6749 §5.2: a request to the token, introspection or
 *                          revocation endpoint that names no client is `invalid_client`
 *                          (401), not `invalid_request`
 *   response type          RFC 6749 §4.1.2.1: a response type the client is not registered
 *                          for is `unauthorized_client` (the library says invalid_request)
 *   client credentials     a client-credentials token acts for the department's back end,
 *                          never for a person: it may carry `department-api` only, never
 *                          `openid`, `offline_access`, `company` or a personal-data field
 *   refresh scope          RFC 6749 §6 lets a refresh ask for the granted scope or less.
 *                          Clients resend what they asked for at sign-in (mod_auth_openidc
 *                          does), which may include `offline_access` (the library drops it
 *                          from a grant unless prompt=consent) or fields the person declined:
 *                          those are narrowed to what the refresh token holds, so the refresh
 *                          succeeds and releases only what was consented (claims.ts checks
 *                          the consent again at userinfo). A scope the client is not
 *                          registered for still fails with `invalid_scope`.
 * The grant handlers are wrapped through the library's internal registry (oidc-provider is
 * pinned to 9.13.x; test/oidc/conformance.test.ts fails if that registry moves).
 */
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type Provider from 'oidc-provider';
// @ts-expect-error the library's internal per-provider state has no type declarations
import instance from 'oidc-provider/lib/helpers/weak_cache.js';
import { DEPARTMENT_API_SCOPE as DEPARTMENT_API } from './provider.ts';

type GrantHandler = (ctx: KoaContextWithOIDC) => Promise<void>;

const DISCOVERY_PATHS = new Set([
  '/.well-known/openid-configuration',
  '/.well-known/oauth-authorization-server',
]);
const CLIENT_AUTH_PATHS = new Set(['/token', '/token/introspection', '/token/revocation']);

function wrapGrant(
  provider: Provider,
  grantType: string,
  before: (ctx: KoaContextWithOIDC) => Promise<void>,
) {
  const handlers = (instance(provider) as { grantTypeHandlers?: Map<string, GrantHandler> })
    .grantTypeHandlers;
  const original = handlers?.get(grantType);
  if (!handlers || !original) throw new Error(`oidc-provider: no ${grantType} grant handler to wrap`);
  handlers.set(grantType, async (ctx) => {
    await before(ctx);
    await original(ctx);
  });
}

const scopesOf = (ctx: KoaContextWithOIDC) =>
  String(ctx.oidc.params?.scope ?? '')
    .split(' ')
    .filter(Boolean);

export function installConformance(provider: Provider): void {
  provider.use(async (ctx, next) => {
    await next();
    if (DISCOVERY_PATHS.has(ctx.path) && ctx.status === 200) {
      const m = ctx.body as { response_types_supported?: string[]; grant_types_supported?: string[] };
      m.response_types_supported = ['code'];
      m.grant_types_supported = m.grant_types_supported?.filter((g) => g !== 'implicit');
      return;
    }
    if (!CLIENT_AUTH_PATHS.has(ctx.path) || ctx.method !== 'POST') return;
    if (ctx.path === '/token') ctx.set('pragma', 'no-cache');
    const body = ctx.body as { error?: string; error_description?: string } | undefined;
    if (
      ctx.status === 400 &&
      body?.error === 'invalid_request' &&
      body.error_description === 'no client authentication mechanism provided'
    ) {
      ctx.status = 401;
      ctx.set('www-authenticate', 'Basic realm="civitas"');
      ctx.body = { error: 'invalid_client', error_description: 'client authentication is required' };
    }
  });

  const client = provider.Client.prototype as unknown as { responseTypeAllowed(type: string): boolean };
  const allowed = client.responseTypeAllowed;
  client.responseTypeAllowed = function (this: unknown, type: string) {
    if (!allowed.call(this, type)) {
      throw new errors.UnauthorizedClient('the client is not registered for this response type');
    }
    return true;
  };

  wrapGrant(provider, 'client_credentials', async (ctx) => {
    const personal = scopesOf(ctx).filter((s) => s !== DEPARTMENT_API);
    if (personal.length) {
      throw new errors.InvalidScope(
        'a client-credentials token may carry department-api only, never a scope about a person',
        personal.join(' '),
      );
    }
  });

  wrapGrant(provider, 'refresh_token', async (ctx) => {
    const asked = scopesOf(ctx);
    if (asked.length === 0) return;
    const token = await provider.RefreshToken.find(String(ctx.oidc.params?.refresh_token ?? ''), {
      ignoreExpiration: true,
    });
    // Unknown, expired or another client's token: the library gives its own answer.
    if (!token || token.clientId !== ctx.oidc.client?.clientId) return;
    const held = new Set(String(token.scope ?? '').split(' '));
    const registered = new Set(String(ctx.oidc.client?.scope ?? '').split(' '));
    const kept = asked.filter((s) => held.has(s) || !registered.has(s));
    // Asking only for what the grant never held (offline_access alone): the least there is.
    (ctx.oidc.params as { scope?: string }).scope = kept.length ? kept.join(' ') : 'openid';
  });
}

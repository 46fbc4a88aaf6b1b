/**
 * The relying-party side of an upstream OpenID Connect provider, through openid-client:
 * authorization code flow with PKCE (S256), state and nonce; the ID token's signature,
 * issuer, audience, expiry and nonce are checked by openid-client.
 */
import * as oidc from 'openid-client';
import type { LinkedProviderConfig } from './linked.types.ts';

/** Plain HTTP only for a provider on this machine (the development provider). */
const loopback = (issuer: string) => /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(issuer);

export interface Upstream {
  authorizationUrl(p: { redirectUri: string; state: string; nonce: string; verifier: string }): Promise<URL>;
  /** The upstream subject of a callback, after every check; throws when any fails. */
  subjectOf(currentUrl: URL, checks: { state: string; nonce: string; verifier: string }): Promise<string>;
}

export function createUpstream(p: LinkedProviderConfig): Upstream {
  let config: Promise<oidc.Configuration> | undefined;
  const configuration = () =>
    (config ??= oidc
      .discovery(
        new URL(p.issuer),
        p.clientId,
        p.clientSecret,
        undefined,
        loopback(p.issuer) ? { execute: [oidc.allowInsecureRequests], timeout: 5 } : { timeout: 5 },
      )
      .catch((err: unknown) => {
        config = undefined; // try discovery again next time
        throw err;
      }));
  return {
    async authorizationUrl({ redirectUri, state, nonce, verifier }) {
      return oidc.buildAuthorizationUrl(await configuration(), {
        redirect_uri: redirectUri,
        scope: 'openid',
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
    },
    async subjectOf(currentUrl, checks) {
      const tokens = await oidc.authorizationCodeGrant(await configuration(), currentUrl, {
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        pkceCodeVerifier: checks.verifier,
        idTokenExpected: true,
      });
      const sub = tokens.claims()?.sub;
      if (!sub) throw new Error('no subject in the ID token');
      return sub;
    },
  };
}

/**
 * Drives the browser side of an OpenID authorization without a browser: follows
 * redirects by hand with a cookie jar, so tests see every hop the provider makes.
 * The relying-party side is openid-client, as a department would use it.
 */
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import type { TestPlatform } from './platform.ts';

export class CookieJar {
  private readonly jar = new Map<string, string>();
  /** `initial`: a Cookie header (`a=1; b=2`), as tests hold a signed-in browser's cookies. */
  constructor(initial?: string) {
    for (const pair of (initial ?? '').split(/;\s*/).filter(Boolean)) this.add(pair);
  }
  add(cookie: string) {
    const [pair] = cookie.split(';');
    const i = pair!.indexOf('=');
    const name = pair!.slice(0, i).trim();
    const value = pair!.slice(i + 1);
    if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.jar.delete(name);
    else this.jar.set(name, value);
  }
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) this.add(c);
  }
  header(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export async function relyingParty(
  p: TestPlatform,
  clientId: string,
  secret?: string,
): Promise<client.Configuration> {
  return client.discovery(
    new URL(`${p.url}/oidc`),
    clientId,
    secret ? { client_secret: secret } : undefined,
    secret ? client.ClientSecretBasic(secret) : client.None(),
    { execute: [client.allowInsecureRequests] },
  );
}

export interface Hop {
  url: string;
  status: number;
  body?: string;
}

/**
 * GETs `url` and follows redirects within the platform, stopping at the first page
 * (a 200 or an error) or at a redirect that leaves the platform (the service's callback).
 */
export async function follow(
  p: TestPlatform,
  jar: CookieJar,
  url: string,
  init: RequestInit = {},
): Promise<Hop> {
  let next = url;
  let req = init;
  for (let i = 0; i < 20; i++) {
    const res = await fetch(next, {
      ...req,
      redirect: 'manual',
      headers: { ...(req.headers as Record<string, string>), cookie: jar.header(), 'accept-language': 'en' },
    });
    jar.take(res);
    // An interaction page that moves on by itself (Refresh: 0;url=…), as a browser would.
    const refresh = /^0;\s*url=(.+)$/i.exec(res.headers.get('refresh') ?? '')?.[1];
    const location = res.headers.get('location') ?? (res.status === 200 ? refresh : undefined);
    if (location && (refresh || (res.status >= 300 && res.status < 400))) {
      const target = new URL(location, next).toString();
      if (!target.startsWith(p.url)) return { url: target, status: res.status };
      next = target;
      req = {};
      continue;
    }
    return { url: next, status: res.status, body: await res.text() };
  }
  assert.fail(`too many redirects from ${url}`);
}

export function form(fields: Record<string, string | string[]>): RequestInit {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  };
}

export const CALLBACK = 'http://localhost:9/callback';

/**
 * The browser part of an authorization with PKCE: follows the provider from the
 * authorization URL, answers the consent screen with `consent` when it is shown (allow by
 * default), and stops at the service's callback (or at a page of the platform).
 */
export async function authorize(
  p: TestPlatform,
  rp: client.Configuration,
  cookie: string,
  opts: {
    scope?: string;
    redirectUri?: string;
    consent?: Record<string, string | string[]> | false;
    prompt?: string;
  } = {},
) {
  const jar = new CookieJar(cookie);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(rp, {
    redirect_uri: opts.redirectUri ?? CALLBACK,
    scope: opts.scope ?? 'openid name',
    state,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...(opts.prompt ? { prompt: opts.prompt } : {}),
  });
  let hop = await follow(p, jar, url.toString());
  const action = /action="(\/oidc\/interaction\/[^"]+\/consent)"/.exec(hop.body ?? '')?.[1];
  const consentPage = action ? hop.body : undefined;
  if (action && opts.consent !== false) {
    hop = await follow(p, jar, `${p.url}${action}`, form(opts.consent ?? { decision: 'allow' }));
  }
  return { hop, jar, verifier, state, consentPage };
}

/** A whole sign-in: authorization (consent allowed) and the code exchanged for tokens. */
export async function signIn(
  p: TestPlatform,
  rp: client.Configuration,
  cookie: string,
  opts: { scope?: string; redirectUri?: string } = {},
) {
  const a = await authorize(p, rp, cookie, opts);
  assert.ok(a.hop.url.startsWith(opts.redirectUri ?? CALLBACK), a.hop.body ?? a.hop.url);
  const tokens = await client.authorizationCodeGrant(rp, new URL(a.hop.url), {
    pkceCodeVerifier: a.verifier,
    expectedState: a.state,
  });
  return { ...a, tokens, asked: a.consentPage !== undefined };
}

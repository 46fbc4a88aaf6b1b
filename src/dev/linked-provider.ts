/**
 * A local OpenID Connect provider for development and tests: the upstream of linked
 * accounts (P7.1) when LINKED_ACCOUNT_PROVIDERS is unset. Real OIDC over HTTP, so the
 * production client is exercised as it is in production: discovery, authorization code
 * with PKCE (S256 only), client_secret_basic/post at the token endpoint, an ES256-signed
 * ID token carrying the nonce, and a JWKS. Instead of a login form, its authorize page
 * lets the tester pick one of a few seeded upstream users. Never used in production.
 */
import {
  createHash,
  generateKeyPairSync,
  randomBytes,
  sign,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clock } from '../kernel/clock.ts';

export interface DevUpstreamUser {
  sub: string;
  label: string;
}

export const devUpstreamUsers: readonly DevUpstreamUser[] = [
  { sub: 'devpay-user-0001', label: 'Upstream user A' },
  { sub: 'devpay-user-0002', label: 'Upstream user B' },
  { sub: 'devpay-user-0003', label: 'Upstream user C' },
];

interface PendingCode {
  redirectUri: string;
  nonce: string;
  challenge: string;
  sub: string;
  expires: number;
}

export interface DevProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Registers a redirect URI of the client (the platform's, once it knows its port). */
  allowRedirect(uri: string): void;
  close(): Promise<void>;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function signJwt(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const head = b64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(claims));
  const sig = sign('sha256', Buffer.from(`${head}.${body}`), { key, dsaEncoding: 'ieee-p1363' });
  return `${head}.${body}.${b64url(sig)}`;
}

const readForm = (req: IncomingMessage) =>
  new Promise<URLSearchParams>((resolve, reject) => {
    let data = '';
    req.on('data', (c: Buffer) => {
      data += c.toString();
      if (data.length > 20_000) reject(new Error('body too large'));
    });
    req.on('end', () => resolve(new URLSearchParams(data)));
    req.on('error', reject);
  });

export async function startDevProvider(
  opts: { clientId?: string; users?: readonly DevUpstreamUser[] } = {},
): Promise<DevProvider> {
  const clientId = opts.clientId ?? 'civitas-dev';
  const clientSecret = randomBytes(24).toString('base64url');
  const users = opts.users ?? devUpstreamUsers;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomBytes(8).toString('hex');
  const redirects = new Set<string>();
  const codes = new Map<string, PendingCode>();
  let issuer = '';

  const json = (res: ServerResponse, status: number, body: unknown) =>
    res
      .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify(body));
  const oauthError = (res: ServerResponse, status: number, error: string, description: string) =>
    json(res, status, { error, error_description: description });

  /** The authorization request's parameters, checked; or the reason it is refused. */
  const checkAuthorize = (p: URLSearchParams): string | undefined => {
    if (p.get('client_id') !== clientId) return 'unknown client_id';
    if (!redirects.has(p.get('redirect_uri') ?? '')) return 'redirect_uri not registered';
    if (p.get('response_type') !== 'code') return 'response_type must be code';
    if (!(p.get('scope') ?? '').split(' ').includes('openid')) return 'scope must include openid';
    if (p.get('code_challenge_method') !== 'S256' || !p.get('code_challenge')) return 'PKCE S256 required';
    if (!p.get('nonce') || !p.get('state')) return 'state and nonce required';
    return undefined;
  };

  const pickPage = (p: URLSearchParams) => {
    const hidden = [...p.entries()]
      .map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`)
      .join('');
    const buttons = users
      .map(
        (u) =>
          `<li><button type="submit" name="user" value="${escape(u.sub)}">${escape(u.label)}</button></li>`,
      )
      .join('');
    return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>DevPay sign-in (development)</title></head>
<body><main><h1>DevPay (development provider)</h1><p>Choose the upstream account to sign in as.</p>
<form method="post" action="/authorize"><ul>${buttons}</ul>${hidden}</form></main></body></html>`;
  };

  const clientAuthenticated = (req: IncomingMessage, form: URLSearchParams) => {
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (basic) {
      const [u = '', s = ''] = Buffer.from(basic[1]!, 'base64').toString().split(':');
      id = decodeURIComponent(u);
      secret = decodeURIComponent(s);
    }
    const a = Buffer.from(secret ?? '');
    const b = Buffer.from(clientSecret);
    return id === clientId && a.length === b.length && timingSafeEqual(a, b);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', issuer);
      if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
        return json(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['ES256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          scopes_supported: ['openid'],
          grant_types_supported: ['authorization_code'],
        });
      }
      if (req.method === 'GET' && url.pathname === '/jwks') {
        return json(res, 200, {
          keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' }],
        });
      }
      if (url.pathname === '/authorize') {
        const p = req.method === 'POST' ? await readForm(req) : url.searchParams;
        const problem = checkAuthorize(p);
        if (problem)
          return res.writeHead(400, { 'content-type': 'text/plain' }).end(`invalid request: ${problem}`);
        if (req.method === 'GET')
          return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pickPage(p));
        const user = users.find((u) => u.sub === p.get('user'));
        if (!user) return res.writeHead(400, { 'content-type': 'text/plain' }).end('choose a user');
        const code = randomBytes(24).toString('base64url');
        codes.set(code, {
          redirectUri: p.get('redirect_uri')!,
          nonce: p.get('nonce')!,
          challenge: p.get('code_challenge')!,
          sub: user.sub,
          expires: clock.now() + 60_000,
        });
        const back = new URL(p.get('redirect_uri')!);
        back.searchParams.set('code', code);
        back.searchParams.set('state', p.get('state')!);
        return res.writeHead(303, { location: back.toString() }).end();
      }
      if (req.method === 'POST' && url.pathname === '/token') {
        const form = await readForm(req);
        if (!clientAuthenticated(req, form))
          return oauthError(res, 401, 'invalid_client', 'client authentication failed');
        if (form.get('grant_type') !== 'authorization_code')
          return oauthError(res, 400, 'unsupported_grant_type', 'authorization_code only');
        const code = form.get('code') ?? '';
        const pending = codes.get(code);
        codes.delete(code); // one use
        const verifier = form.get('code_verifier') ?? '';
        if (
          !pending ||
          pending.expires < clock.now() ||
          pending.redirectUri !== form.get('redirect_uri') ||
          b64url(createHash('sha256').update(verifier).digest()) !== pending.challenge
        ) {
          return oauthError(res, 400, 'invalid_grant', 'code, redirect_uri or code_verifier does not match');
        }
        const now = clock.epochSeconds();
        const idToken = signJwt(privateKey, kid, {
          iss: issuer,
          sub: pending.sub,
          aud: clientId,
          iat: now,
          exp: now + 300,
          auth_time: now,
          nonce: pending.nonce,
        });
        return json(res, 200, {
          access_token: randomBytes(24).toString('base64url'),
          token_type: 'Bearer',
          expires_in: 300,
          id_token: idToken,
        });
      }
      return res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    })().catch(() => {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    clientId,
    clientSecret,
    allowRedirect: (uri) => void redirects.add(uri),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/**
 * A department's own web application, integrating with Civitas exactly as a department
 * would: openid-client (authorization code + PKCE + state + nonce, confidential client),
 * userinfo for the claims, RP-initiated logout, and back-/front-channel logout endpoints
 * that end the local session. Nothing here is special to Civitas beyond its issuer URL.
 *
 * Routes: /  /login  /callback  /call  /logout  /backchannel-logout  /frontchannel-logout
 *         /security-events (RISC Security Event Tokens pushed by Civitas, RFC 8935: a person
 *         closed their Civitas account; the app ends their sessions and shows the event)
 *         /privacy (the service's own privacy policy, linked from the consent screen)
 *         /apply  /delivery/callback (delivery by post: the person gives a contact at Civitas
 *         for one application; the back end reads it with a client-credentials token)
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';

export interface DepartmentAppOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Port to listen on (0 picks one); the app's own URL is http://localhost:PORT. */
  port: number;
  title?: string;
  /** The scopes to ask for: `openid` plus the fields the service registered. */
  scope: string;
  /** The service posts results (registered with offline delivery and client credentials). */
  delivery?: boolean;
}

interface Session {
  claims: Record<string, unknown>;
  userinfo: Record<string, unknown>;
  accessToken: string;
  idToken: string;
  sid?: string;
  apiAnswer?: string;
  deliveryState?: string;
  delivery?: { application: string; recipient: string; address: string };
}

const esc = (s: unknown) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><main><h1>${esc(title)}</h1>${body}</main></body></html>`;
}

function cookies(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    (req.headers.cookie ?? '')
      .split(';')
      .map((c) => c.trim().split('='))
      .filter((kv) => kv.length === 2) as [string, string][],
  );
}

export async function startDepartmentApp(opts: DepartmentAppOptions) {
  const title = opts.title ?? 'Department service';
  const server = createServer();
  await new Promise<void>((r) => server.listen(opts.port, r));
  const base = `http://localhost:${(server.address() as AddressInfo).port}`;
  const insecure = new URL(opts.issuer).protocol === 'http:';
  const config = await client.discovery(
    new URL(opts.issuer),
    opts.clientId,
    { client_secret: opts.clientSecret },
    client.ClientSecretBasic(opts.clientSecret),
    insecure ? { execute: [client.allowInsecureRequests] } : undefined,
  );
  const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
  const pending = new Map<string, { verifier: string; state: string; nonce: string }>();
  // Civitas's portal serves the delivery page and the department API beside the issuer.
  const portal = new URL('/', opts.issuer);
  let backEndToken: { value: string; until: number } | undefined;
  /** The back end's own token (client credentials), reused until shortly before it expires. */
  const departmentToken = async () => {
    if (!backEndToken || backEndToken.until < Date.now()) {
      const t = await client.clientCredentialsGrant(config, { scope: 'department-api' });
      backEndToken = { value: t.access_token, until: Date.now() + ((t.expires_in ?? 60) - 30) * 1000 };
    }
    return backEndToken.value;
  };
  const sessions = new Map<string, Session>();

  const send = (res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
    res.end(html);
  };
  const redirect = (res: ServerResponse, to: string, headers: Record<string, string> = {}) => {
    res.writeHead(303, { location: to, ...headers });
    res.end();
  };
  const body = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let b = '';
      req.on('data', (c: Buffer) => (b += c.toString()));
      req.on('end', () => resolve(b));
    });
  /** Accounts closed at Civitas, as the pushed events named them (`sub`), newest first. */
  const purged: { sub: string; at: Date; jti: string }[] = [];
  const purgedList = () =>
    purged.length === 0
      ? ''
      : `<section id="purged"><h2>Accounts closed at Civitas</h2><ul>${purged
          .map((e) => `<li data-sub="${esc(e.sub)}">${esc(e.at.toISOString())}: ${esc(e.sub)}</li>`)
          .join('')}</ul></section>`;
  const endSessionsWithSid = (sid: unknown) => {
    for (const [k, s] of sessions) if (s.sid && s.sid === sid) sessions.delete(k);
  };

  server.on('request', (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', base);
      const sessionId = cookies(req)['dept_session'];
      const session = sessionId ? sessions.get(sessionId) : undefined;
      switch (url.pathname) {
        case '/': {
          if (!session) {
            return send(
              res,
              200,
              page(
                title,
                `<p>You are not signed in.</p><p><a id="login" href="/login">Sign in with Civitas</a></p>${purgedList()}`,
              ),
            );
          }
          const rows = Object.entries(session.userinfo)
            .map(
              ([k, v]) =>
                `<tr><th scope="row">${esc(k)}</th><td data-claim="${esc(k)}">${esc(typeof v === 'object' ? JSON.stringify(v) : v)}</td></tr>`,
            )
            .join('');
          return send(
            res,
            200,
            page(
              title,
              `<p id="signed-in">Signed in (assurance ${esc(session.claims.acr)}).</p>
               <table><caption>What Civitas released to us</caption>${rows}</table>
               <p><a id="call" href="/call">Call the API with the access token</a></p>
               ${session.apiAnswer ? `<pre id="api-answer">${esc(session.apiAnswer)}</pre>` : ''}
               ${opts.delivery ? '<p><a id="apply" href="/apply">Apply for a card, delivered by post</a></p>' : ''}
               ${session.delivery ? `<p id="delivery">Application ${esc(session.delivery.application)} will be posted to ${esc(session.delivery.recipient)}, ${esc(session.delivery.address)}.</p>` : ''}
               <p><a id="logout" href="/logout">Sign out</a></p>`,
            ),
          );
        }
        case '/login': {
          const key = randomBytes(16).toString('base64url');
          const verifier = client.randomPKCECodeVerifier();
          const state = client.randomState();
          const nonce = client.randomNonce();
          pending.set(key, { verifier, state, nonce });
          const target = client.buildAuthorizationUrl(config, {
            redirect_uri: `${base}/callback`,
            scope: opts.scope,
            state,
            nonce,
            code_challenge: await client.calculatePKCECodeChallenge(verifier),
            code_challenge_method: 'S256',
          });
          return redirect(res, target.toString(), {
            'set-cookie': `dept_login=${key}; Path=/; HttpOnly; SameSite=Lax`,
          });
        }
        case '/callback': {
          const p = pending.get(cookies(req)['dept_login'] ?? '');
          if (!p) return send(res, 400, page(title, '<p>The sign-in expired; start again.</p>'));
          pending.delete(cookies(req)['dept_login']!);
          if (url.searchParams.get('error')) {
            return send(
              res,
              403,
              page(title, `<p id="error">Sign-in refused: ${esc(url.searchParams.get('error'))}</p>`),
            );
          }
          const tokens = await client.authorizationCodeGrant(config, url, {
            pkceCodeVerifier: p.verifier,
            expectedState: p.state,
            expectedNonce: p.nonce,
          });
          const claims = tokens.claims()!;
          const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
          const id = randomBytes(16).toString('base64url');
          sessions.set(id, {
            claims: { ...claims },
            userinfo: { ...userinfo },
            accessToken: tokens.access_token,
            idToken: tokens.id_token!,
            ...(typeof claims.sid === 'string' ? { sid: claims.sid } : {}),
          });
          return redirect(res, '/', { 'set-cookie': `dept_session=${id}; Path=/; HttpOnly; SameSite=Lax` });
        }
        case '/call': {
          if (!session) return redirect(res, '/');
          // "The API": Civitas's userinfo, called with the bearer access token.
          const r = await client.fetchProtectedResource(
            config,
            session.accessToken,
            new URL(config.serverMetadata().userinfo_endpoint!),
            'GET',
          );
          session.apiAnswer = `${r.status} ${await r.text()}`;
          return redirect(res, '/');
        }
        case '/apply': {
          if (!session || !opts.delivery) return redirect(res, '/');
          session.deliveryState = randomBytes(16).toString('base64url');
          const ask = new URL('/delivery', portal);
          ask.search = new URLSearchParams({
            client_id: opts.clientId,
            application: `APP-${randomBytes(4).toString('hex').toUpperCase()}`,
            redirect_uri: `${base}/delivery/callback`,
            state: session.deliveryState,
          }).toString();
          return redirect(res, ask.toString());
        }
        case '/delivery/callback': {
          if (!session || url.searchParams.get('state') !== session.deliveryState)
            return send(
              res,
              400,
              page(title, '<p id="error">This delivery answer is not for this session.</p>'),
            );
          delete session.deliveryState;
          const id = url.searchParams.get('delivery');
          if (!id) return send(res, 200, page(title, '<p id="declined">Nothing will be posted.</p>'));
          const r = await fetch(new URL(`/api/department/deliveries/${encodeURIComponent(id)}`, portal), {
            headers: { authorization: `Bearer ${await departmentToken()}` },
          });
          if (!r.ok) return send(res, 502, page(title, `<p id="error">Civitas answered ${r.status}</p>`));
          const d = (await r.json()) as {
            application: string;
            sub: string;
            contact: { recipient: string; address: string };
          };
          // The contact must belong to the person signed in here (same pairwise sub).
          if (d.sub !== session.claims.sub)
            return send(res, 400, page(title, '<p id="error">This delivery belongs to someone else.</p>'));
          session.delivery = { application: d.application, ...d.contact };
          return redirect(res, '/');
        }
        case '/logout': {
          if (!session) return redirect(res, '/');
          sessions.delete(sessionId!);
          const end = client.buildEndSessionUrl(config, {
            id_token_hint: session.idToken,
            post_logout_redirect_uri: `${base}/`,
          });
          return redirect(res, end.toString());
        }
        case '/backchannel-logout': {
          const token = new URLSearchParams(await body(req)).get('logout_token') ?? '';
          try {
            const { payload } = await jwtVerify(token, jwks, {
              issuer: opts.issuer,
              audience: opts.clientId,
            });
            if (
              !(payload.events as Record<string, unknown> | undefined)?.[
                'http://schemas.openid.net/event/backchannel-logout'
              ]
            )
              throw new Error('not a logout token');
            endSessionsWithSid(payload.sid);
            res.writeHead(200).end();
          } catch {
            res.writeHead(400).end();
          }
          return;
        }
        case '/security-events': {
          // RFC 8935: a SET in the body, 202 when taken, 400 with an error code when not.
          const refuse = (err: string) =>
            res
              .writeHead(400, { 'content-type': 'application/json' })
              .end(JSON.stringify({ err, description: 'the security event was not accepted' }));
          if (req.method !== 'POST' || !req.headers['content-type']?.startsWith('application/secevent+jwt'))
            return refuse('invalid_request');
          try {
            const { payload } = await jwtVerify(await body(req), jwks, {
              issuer: opts.issuer,
              audience: opts.clientId,
              typ: 'secevent+jwt',
            });
            const events = (payload.events ?? {}) as Record<string, { subject?: { sub?: string } }>;
            const event = events['https://schemas.openid.net/secevent/risc/event-type/account-purged'];
            if (!event?.subject?.sub) return refuse('invalid_request');
            const sub = event.subject.sub;
            for (const [k, s] of sessions) if (s.claims.sub === sub) sessions.delete(k);
            purged.unshift({ sub, at: new Date(), jti: String(payload.jti) });
            res.writeHead(202).end();
          } catch {
            refuse('authentication_failed');
          }
          return;
        }
        case '/frontchannel-logout': {
          if (url.searchParams.get('iss') === opts.issuer) endSessionsWithSid(url.searchParams.get('sid'));
          res
            .writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' })
            .end('<!doctype html><title>signed out</title>');
          return;
        }
        case '/favicon.ico':
          res.writeHead(204).end();
          return;
        case '/privacy':
          return send(
            res,
            200,
            page(
              `${title}: privacy policy`,
              '<p>What this service keeps, for how long, and whom to ask.</p>',
            ),
          );
        default:
          return send(res, 404, page(title, '<p>Not found</p>'));
      }
    })().catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, page(title, `<p id="error">${esc((err as Error).message)}</p>`));
    });
  });

  return {
    url: base,
    sessions: () => sessions.size,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

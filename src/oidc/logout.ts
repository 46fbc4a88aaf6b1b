/**
 * Single logout: signing out at the provider signs the person out everywhere.
 *
 * Rules:
 * - RP-initiated logout (library) ends the provider session; with "sign out everywhere"
 *   it also ends the portal session of this browser, so the next authorization asks the
 *   person to sign in again instead of silently reusing the portal session.
 * - Back-channel logout (library) posts a signed logout token to every service of the
 *   session that registered a back-channel URI, before the browser moves on.
 * - Front-channel logout (OpenID Connect Front-Channel Logout 1.0, which the library does
 *   not implement): the page after logout loads each registered front-channel URI with
 *   `iss` and `sid` in a hidden iframe, then continues to where the library was sending
 *   the browser. No script: a meta refresh and a link continue.
 */
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { citizenCookieName, type CitizenSessions } from '../modules/identity/index.ts';
import { renderPage } from '../web/layout.tsx';
import { FrontChannelPage } from './logout-page.tsx';
import { contextOf } from './pages.tsx';

interface SessionLike {
  accountId?: string;
  authorizations?: Record<string, { sid?: string }>;
}

export function installSingleLogout(
  provider: Provider,
  deps: { sessions: CitizenSessions; secureCookies: boolean; issuer: string },
): void {
  const portalCookie = citizenCookieName(deps.secureCookies);
  provider.use(async (ctx, next) => {
    if (ctx.method !== 'POST' || ctx.path !== '/session/end/confirm') return next();
    const sessionId = ctx.cookies.get(provider.cookieName('session'), { signed: true });
    const before = sessionId
      ? ((await provider.Session.find(sessionId)) as unknown as SessionLike | undefined)
      : undefined;
    await next();
    const c = ctx as KoaContextWithOIDC;
    const everywhere = Boolean(c.oidc?.params?.logout);
    if (ctx.status !== 303 || !everywhere) return;

    const token = ctx.cookies.get(portalCookie, { signed: false });
    if (token) {
      await deps.sessions.revoke(token);
      ctx.cookies.set(portalCookie, null, { path: '/', secure: deps.secureCookies, httpOnly: true });
    }

    const frames: string[] = [];
    for (const [clientId, auth] of Object.entries(before?.authorizations ?? {})) {
      const client = await provider.Client.find(clientId);
      const uri = (client as unknown as { civitas_frontchannel_logout_uri?: string } | undefined)
        ?.civitas_frontchannel_logout_uri;
      if (!uri) continue;
      const u = new URL(uri);
      u.searchParams.set('iss', deps.issuer);
      if (auth.sid) u.searchParams.set('sid', auth.sid);
      frames.push(u.toString());
    }
    if (frames.length === 0) return;
    const next_ = ctx.response.get('location');
    ctx.status = 200;
    ctx.remove('location');
    ctx.type = 'html';
    // The iframes load the services' own pages: allow exactly those origins as frames.
    ctx.set(
      'content-security-policy',
      `default-src 'self'; frame-src ${[...new Set(frames.map((f) => new URL(f).origin))].join(' ')}; ` +
        "style-src 'self'; img-src 'self' data:; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'",
    );
    ctx.body = await renderPage(FrontChannelPage({ ctx: contextOf(c), frames, next: next_ }));
  });
}

/**
 * Single logout: signing out at the provider signs the person out everywhere.
 *
 * Rules:
 * - RP-initiated logout (library) ends the provider session; with "sign out everywhere"
 *   it also ends the portal session of this browser, so the next authorization asks the
 *   person to sign in again instead of silently reusing the portal session, and revokes
 *   every grant of the session's services, also those the library keeps for
 *   `offline_access` (their refresh tokens die with the sign-out, P7.3).
 * - The end-session endpoint only ever shows the confirmation page (library); the person
 *   signs out by submitting it, a same-origin form carrying the session's `xsrf` secret.
 *   A confirmation posted from another site is refused (Fetch Metadata, then Origin), so a
 *   cross-site page cannot sign anyone out.
 * - Whatever the choice and whatever logout channels the service registered, the browser
 *   ends where the library sends it (the registered `post_logout_redirect_uri`, or the
 *   signed-out page), through a page that moves on by itself (Refresh header, meta refresh
 *   and a link) rather than a 303: the confirmation is a form, and Chromium applies the
 *   portal's CSP `form-action 'self'` to the whole redirect chain of a form submission, so a
 *   303 to the service's origin would leave the person on the sign-out page.
 * - Back-channel logout (library) posts a signed logout token to every service of the
 *   session that registered a back-channel URI, before the browser moves on.
 * - Front-channel logout (OpenID Connect Front-Channel Logout 1.0, which the library does
 *   not implement): the page after logout loads each registered front-channel URI with
 *   `iss` and `sid` in a hidden iframe, then continues to where the library was sending
 *   the browser. No script: a meta refresh and a link continue.
 */
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { CitizenSessions } from '../modules/session/index.ts';
import type { HttpPolicy } from '../web/http/cookies.ts';
import { renderPage } from '../web/layout.tsx';
import { CrossSitePage, FrontChannelPage } from '../web/oidc/logout/view.tsx';
import { contextOf } from '../web/oidc/pages.tsx';

interface SessionLike {
  accountId?: string;
  authorizations?: Record<string, { sid?: string; grantId?: string }>;
}

export function installSingleLogout(
  provider: Provider,
  deps: { sessions: CitizenSessions; http: HttpPolicy; issuer: string },
): void {
  const portalCookie = deps.http.cookieName('session');
  provider.use(async (ctx, next) => {
    if (ctx.method !== 'POST' || ctx.path !== '/session/end/confirm') return next();
    if (crossSite(ctx)) {
      ctx.status = 403;
      ctx.type = 'html';
      const page = contextOf(ctx as KoaContextWithOIDC);
      ctx.body = await renderPage(CrossSitePage({ ctx: page }));
      return;
    }
    const sessionId = ctx.cookies.get(provider.cookieName('session'), { signed: true });
    const before = sessionId
      ? ((await provider.Session.find(sessionId)) as unknown as SessionLike | undefined)
      : undefined;
    await next();
    const c = ctx as KoaContextWithOIDC;
    const everywhere = Boolean(c.oidc?.params?.logout);
    if (ctx.status !== 303) return;
    const onward = ctx.response.get('location');
    const frames: string[] = [];
    if (everywhere) {
      await endEverywhere(before);
      await framesOf(before, frames);
    }
    ctx.status = 200;
    ctx.remove('location');
    ctx.type = 'html';
    if (frames.length === 0) {
      ctx.set('refresh', `0;url=${onward}`);
      ctx.body = await renderPage(FrontChannelPage({ ctx: contextOf(c), frames, next: onward, after: 0 }));
      return;
    }
    // The iframes load the services' own pages: allow exactly those origins as frames.
    ctx.set(
      'content-security-policy',
      `default-src 'self'; frame-src ${[...new Set(frames.map((f) => new URL(f).origin))].join(' ')}; ` +
        "style-src 'self'; img-src 'self' data:; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'",
    );
    ctx.body = await renderPage(FrontChannelPage({ ctx: contextOf(c), frames, next: onward, after: 2 }));

    /** This browser's portal session, and every grant of the session's services. */
    async function endEverywhere(session: SessionLike | undefined) {
      const token = ctx.cookies.get(portalCookie, { signed: false });
      if (token) {
        await deps.sessions.revoke(token);
        ctx.cookies.set(portalCookie, null, { path: '/', secure: deps.http.secureCookies, httpOnly: true });
      }
      for (const auth of Object.values(session?.authorizations ?? {})) {
        if (!auth.grantId) continue;
        // Through the adapter: inside this request's unit of work, after its held writes.
        await provider.Grant.adapter.destroy(auth.grantId);
        await provider.Grant.adapter.revokeByGrantId(auth.grantId);
      }
    }
  });

  async function framesOf(before: SessionLike | undefined, frames: string[]) {
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
  }
}

/** A browser request sent from another site's page (Fetch Metadata, else Origin). */
function crossSite(ctx: { get(name: string): string; origin: string }): boolean {
  const site = ctx.get('sec-fetch-site');
  if (site) return site !== 'same-origin' && site !== 'none';
  const origin = ctx.get('origin');
  return origin !== '' && origin !== ctx.origin;
}

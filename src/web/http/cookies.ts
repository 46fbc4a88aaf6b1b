/**
 * The cookie registry and the HTTP policy (ADR 0018, ADR 0045): every cookie the platform
 * sets is declared here once, with its purpose, category, lifetime, party and flags; pages
 * and the API set, read and clear cookies only through `cookie(policy, id)`. The cookie
 * page (/cookies) and the banner are generated from this list.
 *
 * Rules:
 * - P3.2.necessary a `necessary` cookie may always be set; any other category only when the
 *   request's cookie choice (web/http/cookie-choice.ts) consents to it. `set` enforces it, so
 *   no route can bypass it: a request whose choice was never resolved consents to nothing,
 *   and a refused `set` writes no Set-Cookie header (it returns false). Clearing is always
 *   allowed (refusing must be able to remove what an earlier consent allowed).
 * - P3.2.optional 'preferences' is a category no cookie uses today and no choice offers: a
 *   cookie put in it is refused until a consent purpose and a choice exist for it.
 * - Every cookie is first-party: Civitas loads nothing from another site (CSP), and a
 *   third-party cookie would need its own declaration and an ADR.
 * - In production (`policy.secureCookies`) a cookie that may be host-bound is named
 *   `__Host-…` (bound to this exact origin over HTTPS, path /, no Domain); plain HTTP in
 *   development cannot use that prefix and gets the bare name.
 * - Names and attributes never change silently: tests assert them (cookies.test.ts). No
 *   other file names a cookie: the session and device cookies are read and set through
 *   this registry (citizen-auth.ts, device-cookie.ts).
 * - The OpenID provider's own cookies (`_interaction`, `_session`, …) are configured in
 *   oidc/provider.ts (signed, SameSite Lax, secure in production) and listed here for the
 *   inventory only.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../kernel/config/index.ts';
import { fastifyTrustProxy } from '../../shared/http/proxy.ts';

/** P3.2 what a cookie is for; only `necessary` needs no consent. */
export const cookieCategories = ['necessary', 'preferences', 'analytics', 'personalisation'] as const;
export type CookieCategory = (typeof cookieCategories)[number];
/** The categories a person chooses about (banner, /cookies); `preferences` has no cookie yet. */
export const optionalCategories = ['analytics', 'personalisation'] as const;
export type OptionalCategory = (typeof optionalCategories)[number];

export interface CookieSpec {
  /** Name over plain HTTP; production adds `__Host-` when `hostBound`. */
  readonly name: string;
  readonly hostBound: boolean;
  readonly purpose: string;
  /** `necessary`: strictly necessary for a service the person asked for (no consent, P3.2). */
  readonly category: CookieCategory;
  /** Set by this origin (every cookie is; see the rules above). */
  readonly firstParty: true;
  /** Seconds, or 'session' for a cookie that ends with the browser session. */
  readonly maxAgeSeconds: number | 'session';
  readonly sameSite: 'lax' | 'strict';
  readonly httpOnly: boolean;
  /** Who sets it: `web` through this registry, `oidc` through the provider's configuration. */
  readonly setBy: 'web' | 'oidc';
}

const HOUR = 3600;
const DAY = 24 * HOUR;

export const cookies = {
  session: {
    name: 'civitas_session',
    hostBound: true,
    purpose: 'keeps the person signed in to the portal',
    category: 'necessary',
    firstParty: true,
    maxAgeSeconds: 12 * HOUR,
    sameSite: 'lax',
    httpOnly: true,
    setBy: 'web',
  },
  step: {
    name: 'civitas_step',
    hostBound: true,
    purpose: 'holds the pending second step of a sign-in',
    category: 'necessary',
    firstParty: true,
    maxAgeSeconds: 5 * 60,
    sameSite: 'lax',
    httpOnly: true,
    setBy: 'web',
  },
  device: {
    name: 'civitas_device',
    hostBound: true,
    purpose: 'recognises a known browser for the sign-in risk check and the device list (P7.3)',
    category: 'necessary',
    firstParty: true,
    maxAgeSeconds: 400 * DAY,
    sameSite: 'lax',
    httpOnly: true,
    setBy: 'web',
  },
  passkey: {
    name: 'civitas_passkey',
    hostBound: true,
    purpose: 'binds a passkey ceremony to the browser that started it',
    category: 'necessary',
    firstParty: true,
    maxAgeSeconds: 300,
    sameSite: 'strict',
    httpOnly: true,
    setBy: 'web',
  },
  linkedState: {
    name: 'civitas_linked_state',
    hostBound: true,
    purpose:
      'binds an upstream sign-in to the browser that started it (Lax: the callback is a top-level navigation)',
    category: 'necessary',
    firstParty: true,
    maxAgeSeconds: 600,
    sameSite: 'lax',
    httpOnly: true,
    setBy: 'web',
  },
  staff: {
    name: 'civitas_staff',
    hostBound: true,
    purpose: 'keeps a staff member signed in to the console',
    category: 'necessary',
    firstParty: true,
    maxAgeSeconds: 8 * HOUR,
    sameSite: 'strict',
    httpOnly: true,
    setBy: 'web',
  },
  lang: {
    name: 'civitas_lang',
    hostBound: false,
    purpose: "remembers the person's choice of language",
    category: 'necessary',
    firstParty: true,
    maxAgeSeconds: 365 * DAY,
    sameSite: 'lax',
    httpOnly: true,
    setBy: 'web',
  },
  choice: {
    name: 'civitas_cookie_choice',
    hostBound: true,
    purpose:
      "remembers a visitor's cookie choice (which optional categories, when, and the version of the choice asked), so the banner does not ask again",
    category: 'necessary',
    firstParty: true,
    maxAgeSeconds: 180 * DAY,
    sameSite: 'lax',
    httpOnly: true,
    setBy: 'web',
  },
  analytics: {
    name: 'civitas_analytics',
    hostBound: true,
    purpose:
      'a random pseudonymous id that counts visits to pages and services for usage statistics (no fingerprinting, no IP address kept)',
    category: 'analytics',
    firstParty: true,
    maxAgeSeconds: 180 * DAY,
    sameSite: 'lax',
    httpOnly: true,
    setBy: 'web',
  },
  recent: {
    name: 'civitas_recent',
    hostBound: true,
    purpose:
      'remembers the services a visitor who is not signed in opened recently or marked as favourites, and the service hall they chose, to list them first',
    category: 'personalisation',
    firstParty: true,
    maxAgeSeconds: 90 * DAY,
    sameSite: 'lax',
    httpOnly: true,
    setBy: 'web',
  },
  oidcInteraction: {
    name: '_interaction',
    hostBound: false,
    purpose: "the OpenID provider's sign-in interaction with a department's service",
    category: 'necessary',
    firstParty: true,
    maxAgeSeconds: 'session',
    sameSite: 'lax',
    httpOnly: true,
    setBy: 'oidc',
  },
  oidcSession: {
    name: '_session',
    hostBound: false,
    purpose: "the OpenID provider's single sign-on session, bound to the portal session",
    category: 'necessary',
    firstParty: true,
    maxAgeSeconds: 'session',
    sameSite: 'lax',
    httpOnly: true,
    setBy: 'oidc',
  },
} as const satisfies Record<string, CookieSpec>;

export type CookieId = keyof typeof cookies;

/** What the web layer needs to know about HTTP, built once from config (app.ts). */
export interface HttpPolicy {
  readonly production: boolean;
  /** Secure cookies and `__Host-` names (production only: development runs plain HTTP). */
  readonly secureCookies: boolean;
  /** Fastify's trustProxy setting from TRUST_PROXY (shared/http/proxy.ts). */
  readonly trustProxy: ReturnType<typeof fastifyTrustProxy>;
  /** A registered cookie's name under this policy. */
  readonly cookieName: (id: CookieId) => string;
  /** Set, read and clear a registered cookie under this policy. */
  readonly cookie: (id: CookieId) => ReturnType<typeof cookie>;
}

export function httpPolicy(config: Pick<Config, 'mode' | 'trustProxy'>): HttpPolicy {
  const production = config.mode === 'production';
  const secureCookies = production;
  return Object.freeze({
    production,
    secureCookies,
    trustProxy: fastifyTrustProxy(config.trustProxy),
    cookieName: (id: CookieId) => cookieName(id, secureCookies),
    cookie: (id: CookieId) => cookie(id, secureCookies),
  });
}

/** A cookie's name under a policy (`secure` is the policy's `secureCookies`). */
export function cookieName(id: CookieId, secure: boolean): string {
  const c: CookieSpec = cookies[id];
  return secure && c.hostBound ? `__Host-${c.name}` : c.name;
}

/**
 * The categories the request's cookie choice consents to (set once per request by
 * cookie-choice.ts). Unset: none but `necessary` (unknown must fail).
 */
const permitted = new WeakMap<FastifyRequest, ReadonlySet<CookieCategory>>();

export function permitCookies(req: FastifyRequest, categories: Iterable<OptionalCategory>): void {
  permitted.set(req, new Set<CookieCategory>(['necessary', ...categories]));
}

/** May a cookie of this category be set in the answer to this request? */
export function mayCookie(req: FastifyRequest, category: CookieCategory): boolean {
  return category === 'necessary' || (permitted.get(req)?.has(category) ?? false);
}

/** Set, read and clear one registered cookie; `maxAgeSeconds` may be shortened per use. */
export function cookie(id: CookieId, secure: boolean) {
  const c: CookieSpec = cookies[id];
  const name = cookieName(id, secure);
  const options = (maxAge?: number) => ({
    path: '/',
    httpOnly: c.httpOnly,
    sameSite: c.sameSite,
    secure,
    ...(maxAge !== undefined ? { maxAge } : c.maxAgeSeconds === 'session' ? {} : { maxAge: c.maxAgeSeconds }),
  });
  return {
    name,
    read: (req: FastifyRequest): string | undefined => req.cookies[name],
    /** P3.2 false (and nothing set) when the request's choice does not consent to the category. */
    set: (reply: FastifyReply, value: string, maxAge?: number): boolean => {
      if (!mayCookie(reply.request, c.category)) return false;
      reply.setCookie(name, value, options(maxAge));
      return true;
    },
    clear: (reply: FastifyReply) => reply.clearCookie(name, { path: '/' }),
  };
}

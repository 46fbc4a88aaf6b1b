/**
 * The cookie registry and the HTTP policy (ADR 0018): every cookie the platform sets is
 * declared here once, with its purpose, whether it is strictly necessary, its lifetime and
 * its flags; pages and the API set, read and clear cookies only through `cookie(policy, id)`.
 * The cookie-consent work reads this list (P3.2, P3.3: strictly necessary cookies only).
 *
 * Rules:
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

export interface CookieSpec {
  /** Name over plain HTTP; production adds `__Host-` when `hostBound`. */
  readonly name: string;
  readonly hostBound: boolean;
  readonly purpose: string;
  /** Strictly necessary for a service the person asked for (no consent needed, P3.3). */
  readonly necessary: boolean;
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
    necessary: true,
    maxAgeSeconds: 12 * HOUR,
    sameSite: 'lax',
    httpOnly: true,
    setBy: 'web',
  },
  step: {
    name: 'civitas_step',
    hostBound: true,
    purpose: 'holds the pending second step of a sign-in',
    necessary: true,
    maxAgeSeconds: 5 * 60,
    sameSite: 'lax',
    httpOnly: true,
    setBy: 'web',
  },
  device: {
    name: 'civitas_device',
    hostBound: true,
    purpose: 'recognises a known browser for the sign-in risk check and the device list (P7.3)',
    necessary: true,
    maxAgeSeconds: 400 * DAY,
    sameSite: 'lax',
    httpOnly: true,
    setBy: 'web',
  },
  passkey: {
    name: 'civitas_passkey',
    hostBound: true,
    purpose: 'binds a passkey ceremony to the browser that started it',
    necessary: true,
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
    necessary: true,
    maxAgeSeconds: 600,
    sameSite: 'lax',
    httpOnly: true,
    setBy: 'web',
  },
  staff: {
    name: 'civitas_staff',
    hostBound: true,
    purpose: 'keeps a staff member signed in to the console',
    necessary: true,
    maxAgeSeconds: 8 * HOUR,
    sameSite: 'strict',
    httpOnly: true,
    setBy: 'web',
  },
  lang: {
    name: 'civitas_lang',
    hostBound: false,
    purpose: "remembers the person's choice of language",
    necessary: true,
    maxAgeSeconds: 365 * DAY,
    sameSite: 'lax',
    httpOnly: true,
    setBy: 'web',
  },
  oidcInteraction: {
    name: '_interaction',
    hostBound: false,
    purpose: "the OpenID provider's sign-in interaction with a department's service",
    necessary: true,
    maxAgeSeconds: 'session',
    sameSite: 'lax',
    httpOnly: true,
    setBy: 'oidc',
  },
  oidcSession: {
    name: '_session',
    hostBound: false,
    purpose: "the OpenID provider's single sign-on session, bound to the portal session",
    necessary: true,
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
    set: (reply: FastifyReply, value: string, maxAge?: number) =>
      reply.setCookie(name, value, options(maxAge)),
    clear: (reply: FastifyReply) => reply.clearCookie(name, { path: '/' }),
  };
}

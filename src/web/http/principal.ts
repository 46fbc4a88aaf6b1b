/**
 * Who makes a request, resolved once per request (ADR 0019): the portal session and its
 * person, whom that person acts for (pages), and the staff member. An `onRequest` hook reads
 * the cookies (cookies.ts) and asks the session, company and staff modules once; guards
 * (citizen-auth.ts, staff-auth.ts, admin/routes.ts) and handlers read `req.principal`,
 * never the cookies or the session store again.
 *
 * Rules:
 * - Static files, the health probes and the OpenID provider's own endpoints (which resolve the portal session
 *   inside the provider, oidc/provider.ts) are not resolved; the provider's interaction
 *   pages are.
 * - P2.1 the acting identity is re-checked on every page request (an authorisation that
 *   ended falls back to the person at once); the API resolves it only when a route asks
 *   (`actingFor`, acting.ts), from the session already resolved.
 * - Pages only: whom the header names as signed in (`signedInAs`, signed-in-as.ts), read
 *   here so no page looks the session or the person up again.
 * - A response made for a signed-in person or staff member (it may name them) is marked
 *   `Cache-Control: no-store`, so no shared cache keeps it and serves it to someone else.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Acting, CompanyService } from '../../modules/company/index.ts';
import type { CitizenSessions, PortalSession } from '../../modules/session/index.ts';
import type { StaffMember, StaffService } from '../../modules/staff/index.ts';
import { AppError } from '../../kernel/errors.ts';
import type { HttpPolicy } from './cookies.ts';
import type { SignedInAs, WhoIsSignedIn } from './signed-in-as.ts';

/** The live portal session of the request, with the token it was found by. */
export interface CitizenPrincipal extends PortalSession {
  readonly token: string;
}

export interface Principal {
  /** The signed-in person, when the request carries a live portal session. */
  citizen?: CitizenPrincipal;
  /** Whom the person acts for: set for pages; the API asks `actingFor` (acting.ts). */
  acting?: Acting;
  /** Whom the header names (pages only): the verified name or the masked phone. */
  signedInAs?: SignedInAs;
  /** The staff member, when the request carries a full staff session. */
  staff?: StaffMember;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Resolved once per request by `installPrincipal`. */
    principal: Principal;
  }
}

const resolved = (url: string) =>
  !url.startsWith('/static/') &&
  !url.startsWith('/healthz') &&
  !url.startsWith('/readyz') &&
  // The provider's endpoints need no principal, except its interaction and logout pages.
  (!url.startsWith('/oidc/') || url.startsWith('/oidc/interaction/') || url.startsWith('/oidc/session/end'));

/** A refusal (an ended authorisation, an erased person) leaves the field unset; anything else fails. */
const knownOnly = (err: unknown): undefined => {
  if (err instanceof AppError) return undefined;
  throw err;
};

export function installPrincipal(
  app: FastifyInstance,
  deps: {
    sessions: CitizenSessions;
    company: CompanyService;
    staff: StaffService;
    http: HttpPolicy;
    who?: WhoIsSignedIn;
  },
): void {
  const session = deps.http.cookie('session');
  const staff = deps.http.cookie('staff');
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (req: FastifyRequest) => {
    const principal: Principal = {};
    req.principal = principal;
    if (!req.cookies || !resolved(req.url)) return;
    const token = session.read(req);
    const staffToken = staff.read(req);
    const [portal, member] = await Promise.all([
      token ? deps.sessions.sessionOf(token) : undefined,
      staffToken ? deps.staff.session(staffToken) : undefined,
    ]);
    if (portal && token) principal.citizen = { ...portal, token };
    if (member) principal.staff = member;
    // Pages only: the API never shows the acting identity.
    const citizen = principal.citizen;
    if (citizen && !req.url.startsWith('/api/')) {
      const [acting, who] = await Promise.all([
        deps.company.actingFor(citizen).catch(knownOnly),
        deps.who?.(citizen.subjectId, req.id).catch(knownOnly),
      ]);
      if (acting) principal.acting = acting;
      if (who) principal.signedInAs = who;
    }
  });
  app.addHook('onSend', async (req, reply) => {
    const p = req.principal;
    if (!p?.citizen && !p?.staff) return;
    const given = reply.getHeader('cache-control');
    if (typeof given !== 'string' || !given.includes('no-store')) reply.header('cache-control', 'no-store');
  });
}

/**
 * Recording page use for the usage statistics (P4 "improving services", P3.2.optional;
 * module usage, ADR 0045).
 *
 * Rules:
 * - Only a request whose cookie choice consents to analytics (cookie-choice.ts) is counted;
 *   its analytics cookie (a random UUID, set through the registry, so `set` refuses it
 *   without consent) is the visitor's only key, with the person's id when signed in.
 * - Pages only (GET, answered below 400): never the API, static files, the provider's own
 *   endpoints or the console. The event names the route's pattern (`/me/export/:id/…`), never
 *   the address typed: no query string, no id from the path.
 * - A service use is counted when a page names it (`req.usageService`: the single sign-on
 *   interaction names the service's client id).
 * - Recording costs a push onto a buffer; the usage service writes batches.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UsageService } from '../../modules/usage/index.ts';
import type { HttpPolicy } from './cookies.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The analytics id of a request that may be counted (set by `installUsageRecording`). */
    analyticsVisitor?: string;
    /** The service this page is a use of (the single sign-on interaction names its client). */
    usageService?: string;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const counted = (url: string) =>
  !url.startsWith('/api/') &&
  !url.startsWith('/static/') &&
  !url.startsWith('/healthz') &&
  !url.startsWith('/readyz') &&
  !url.startsWith('/admin') &&
  (!url.startsWith('/oidc/') || url.startsWith('/oidc/interaction/'));

export function installUsageRecording(
  app: FastifyInstance,
  deps: { usage: Pick<UsageService, 'record'>; http: HttpPolicy },
): void {
  const jar = deps.http.cookie('analytics');
  app.decorateRequest('analyticsVisitor', undefined);
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' || !counted(req.url) || !req.cookieChoice?.analytics) return;
    const current = jar.read(req);
    if (current && UUID.test(current)) {
      req.analyticsVisitor = current;
      return;
    }
    const id = randomUUID();
    // The registry's `set` is the check: without consent nothing is set and nothing counted.
    if (jar.set(reply, id)) req.analyticsVisitor = id;
  });
  app.addHook('onResponse', async (req: FastifyRequest, reply) => {
    const visitor = req.analyticsVisitor;
    const route = req.routeOptions.url;
    if (!visitor || !route || reply.statusCode >= 400) return;
    const subjectId = req.principal?.citizen?.subjectId;
    deps.usage.record({ visitorId: visitor, subjectId, kind: 'page', name: route });
    if (req.usageService)
      deps.usage.record({ visitorId: visitor, subjectId, kind: 'service', name: req.usageService });
  });
}

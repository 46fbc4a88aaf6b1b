/**
 * Attaches the guard table (guards.table.ts) to every route as it registers: an `onRoute`
 * hook, installed on the root instance before any route (so every scope inherits it), turns
 * each route's entry into preHandlers placed before the route's own.
 *
 * Rules:
 * - A route that is not in the table stops the start with a message naming it: nothing
 *   registers unguarded by forgetting (a table that silently passes the unknown is no table).
 * - HEAD answers as its GET does, with the GET's guards.
 * - Attempts count per source address (`req.ip`, which believes only the proxies TRUST_PROXY
 *   names) in the shared limiter (shared/limits.ts), so every process counts into one bucket
 *   and a page and its JSON twin, naming one bucket, draw on it together (P7.3).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { AppError, httpErrors } from '../../kernel/errors.ts';
import type { StaffService } from '../../modules/staff/index.ts';
import type { Limit, Limiter } from '../../shared/limits.ts';
import { refuseCrossSite } from '../../shared/http/security.ts';
import { citizenAuth } from './citizen-auth.ts';
import type { HttpPolicy } from './cookies.ts';
import { bucketOf, routeGuards, type Bucket, type Guard, type RouteKey } from './guards.table.ts';
import { staffApiAuth, staffPageAuth } from './staff-auth.ts';

type PreHandler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** The per-source limit of a bucket; names are the stored keys' prefix, so never rename one. */
export const bucketLimit = (bucket: Bucket, perMinute: number): Limit => ({
  name: `source:${bucket}`,
  // P7.2 the console's steps: ten a minute per source, whatever the portal's setting.
  points: bucket.startsWith('staff-') ? 10 : perMinute,
  seconds: 60,
});

/** The table's key for one method and URL: its own, else the any-method wildcard. */
export function keyOf(method: string, url: string): RouteKey | undefined {
  const own = `${method === 'HEAD' ? 'GET' : method} ${url}`;
  if (own in routeGuards) return own as RouteKey;
  return `* ${url}` in routeGuards ? (`* ${url}` as RouteKey) : undefined;
}

/** Routes seen registering, per app: the test holds the table to them. */
const seen = new WeakMap<FastifyInstance, Set<string>>();
export const registeredRoutes = (app: FastifyInstance): ReadonlySet<string> => seen.get(app) ?? new Set();

export function installGuards(
  app: FastifyInstance,
  deps: { limiter: Limiter; perMinute: number; staff: StaffService; http: HttpPolicy },
): void {
  const staffPage = staffPageAuth(deps);
  const staffApi = staffApiAuth();
  const citizenPage = citizenAuth('page');
  const citizenApi = citizenAuth('api');

  const limit =
    (key: RouteKey): PreHandler =>
    async (req, reply) => {
      const send = (req.body as Record<string, unknown> | undefined)?.send === '1';
      const bucket = bucketOf(key, send)!;
      const c = await deps.limiter.hit(bucketLimit(bucket, deps.perMinute), req.ip);
      if (c.allowed) return;
      reply.header('retry-after', String(Math.max(c.retrySeconds, 1)));
      // The details as before the table: "sign-in attempts …", "staff password attempts …".
      const what = bucket.startsWith('staff-') ? bucket.replace('-', ' ') : bucket;
      throw new AppError(httpErrors.rate_limited, `${what} attempts from this address`);
    };

  const handlerOf = (g: Guard, key: RouteKey, api: boolean): PreHandler | undefined => {
    if (g === 'citizen') return api ? citizenApi : citizenPage;
    if (g === 'staff') return api ? staffApi : staffPage;
    if (g === 'cross-site') return refuseCrossSite;
    if (g.startsWith('limit:')) return limit(key);
    // public, and the guards checked where they are (guards.table.ts): nothing to attach.
    return undefined;
  };

  const routes = new Set<string>();
  seen.set(app, routes);
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const keys = methods.map((m) => keyOf(m, route.url));
    const missing = methods.filter((_, i) => !keys[i]);
    if (missing.length > 0) {
      throw new Error(
        `${missing.join(',')} ${route.url} is not in the guard table (src/web/http/guards.table.ts): ` +
          `add it with the guards it needs, or ['public']`,
      );
    }
    if (new Set(keys.map((k) => routeGuards[k!])).size > 1) {
      throw new Error(`${methods.join(',')} ${route.url} registers methods with different guards: split it`);
    }
    for (const m of methods) routes.add(`${m} ${route.url}`);
    const key = keys[0]!;
    const api = route.url.startsWith('/api/');
    const guards = (routeGuards[key] as readonly Guard[])
      .map((g) => handlerOf(g, key, api))
      .filter((h): h is PreHandler => !!h);
    if (guards.length === 0) return;
    const own = route.preHandler === undefined ? [] : [route.preHandler].flat();
    route.preHandler = [...guards, ...own] as RouteOptions['preHandler'];
  });
}

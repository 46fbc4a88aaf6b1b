/**
 * Keeping a person's place: the one way `next` travels through a journey (sign-in, second
 * step, registration, forgotten password, sign-in after a session ended, the language
 * switch), and the GET address of the page a request shows.
 *
 * Rules:
 * - P7.3 every `next` read from a request passes the one redirect guard (`localPath`,
 *   shared/http/redirect.ts); a refused value is dropped, never an error.
 * - A link or form action that continues a journey is made by `withNext`, so `next` is
 *   encoded once and survives each step.
 * - A page reached by a form submission has a POST-only address: reloading it, switching
 *   language on it or signing in again to it must land on a page that answers GET. That
 *   page is the one the form was on (a same-origin Referer that is a GET page), else the
 *   nearest GET page above the posted path (`/register/code` → `/register`), else home.
 *   The query (which carries `next`) is kept.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { localPath } from '../../shared/http/redirect.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The GET address of the page this request shows (`installPageAddresses`). */
    pageAddress: string;
  }
}

/** The request's `next`, through the redirect guard. */
export const nextOf = (req: FastifyRequest): string | undefined =>
  localPath((req.query as { next?: unknown } | undefined)?.next);

/** `path` continuing to `next` (if any): the one spelling of a journey's return address. */
/**
 * The page's own address for the frame's links back to it (the cookie choice): its `next`
 * kept only when it is a local path, so a hostile `next` in the address bar is not carried
 * into the page (P7.3). The language switch has the same guard on its redirect.
 */
export function ownAddress(path: string): string {
  const q = path.indexOf('?');
  if (q < 0) return path;
  const params = new URLSearchParams(path.slice(q + 1));
  const next = params.get('next');
  if (next !== null && localPath(next) === undefined) params.delete('next');
  const rest = params.toString();
  return rest ? `${path.slice(0, q)}?${rest}` : path.slice(0, q);
}

export function withNext(path: string, next: string | undefined): string {
  if (!next) return path;
  return `${path}${path.includes('?') ? '&' : '?'}next=${encodeURIComponent(next)}`;
}

const patternOf = (url: string) =>
  new RegExp(
    `^${url
      .split('/')
      .map((s) => (s.startsWith(':') ? '[^/]+' : s === '*' ? '.*' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')}/?$`,
  );

/**
 * Learns every page that answers GET (install before the routes) and gives each request its
 * `pageAddress`.
 */
export function installPageAddresses(app: FastifyInstance): void {
  const pages: RegExp[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('GET') || route.url.startsWith('/api/') || route.url.startsWith('/static/')) return;
    pages.push(patternOf(route.url));
  });
  const isPage = (path: string) => pages.some((p) => p.test(path));

  app.decorateRequest('pageAddress', '');
  app.addHook('onRequest', async (req) => {
    req.pageAddress = addressOf(req, isPage);
  });
}

function addressOf(req: FastifyRequest, isPage: (path: string) => boolean): string {
  if (req.method === 'GET' || req.method === 'HEAD') return localPath(req.url) ?? '/';
  const referer = req.headers.referer;
  const origin = `${req.protocol}://${req.host}`;
  if (typeof referer === 'string' && referer.startsWith(`${origin}/`)) {
    const from = localPath(referer.slice(origin.length));
    if (from && isPage(from.split(/[?#]/)[0]!)) return from;
  }
  const [path = '/', query] = req.url.split('?', 2);
  const segments = path.split('/');
  while (segments.length > 1) {
    segments.pop();
    const above = segments.join('/') || '/';
    if (isPage(above)) return localPath(query ? `${above}?${query}` : above) ?? '/';
  }
  return '/';
}

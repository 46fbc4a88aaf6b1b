import type { FastifyRequest } from 'fastify';
import { localeOf, translator } from './i18n/index.ts';
import type { PageContext } from './layout.tsx';

/**
 * What every page's frame needs, from what the request already resolved: the principal
 * (ADR 0019, never a second session look-up) and the page's GET address (return-address.ts),
 * which the language switch and the sign-out form return to.
 */
export function pageContext(req: FastifyRequest): PageContext {
  const locale = localeOf(req);
  const principal = req.principal;
  return {
    locale,
    t: translator(locale),
    path: req.pageAddress || req.url,
    actingFor: principal?.acting?.onBehalfOf?.name,
    ...(principal?.citizen ? { signedIn: principal.signedInAs ?? {} } : {}),
    notices: req.headerNotices,
    cookieBanner: req.cookieBanner,
  };
}

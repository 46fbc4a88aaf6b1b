/** Portal pages. Delivery only: data comes from module services. */
import type { FastifyInstance } from 'fastify';
import { nextOf } from '../../http/return-address.ts';
import type { CatalogueService, RelyingPartyRegistry } from '../../../modules/catalogue/index.ts';
import type { HttpPolicy } from '../../http/cookies.ts';
import { isLocale } from '../../i18n/index.ts';
import { pageContext } from '../../context.ts';
import { renderPage } from '../../layout.tsx';
import { HomePage } from './view.tsx';

export function registerPortalRoutes(
  app: FastifyInstance,
  deps: { catalogue: CatalogueService; registry?: RelyingPartyRegistry; http: HttpPolicy },
) {
  app.get('/', async (req, reply) => {
    reply.type('text/html; charset=utf-8');
    const [departments, relyingParties] = await Promise.all([
      deps.catalogue.list(),
      deps.registry?.list() ?? Promise.resolve([]),
    ]);
    return renderPage(HomePage({ ctx: pageContext(req), departments, relyingParties }));
  });

  // policy: P3.2, P3.3 — a strictly necessary cookie that only remembers the person's choice.
  app.get<{ Params: { locale: string }; Querystring: { next?: string } }>(
    '/lang/:locale',
    async (req, reply) => {
      const { locale } = req.params;
      if (isLocale(locale)) {
        deps.http.cookie('lang').set(reply, locale);
      }
      // The switch must not become an open redirect: the one guard (shared/http/redirect.ts).
      // Pages give their GET address (return-address.ts), so a page reached by a form
      // returns to the page the form was on rather than to a POST-only address.
      return reply.redirect(nextOf(req) ?? '/', 303);
    },
  );
}

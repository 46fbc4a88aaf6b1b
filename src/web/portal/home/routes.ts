/** Portal pages. Delivery only: data comes from module services. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { nextOf } from '../../http/return-address.ts';
import type { CatalogueService, RelyingPartyRegistry } from '../../../modules/catalogue/index.ts';
import type { Personalisation } from '../../../modules/personal/index.ts';
import type { HttpPolicy } from '../../http/cookies.ts';
import { isLocale } from '../../i18n/index.ts';
import { pageContext } from '../../context.ts';
import { renderPage } from '../../layout.tsx';
import { personalOf, type PersonalView } from '../personal/state.ts';
import { HomePage } from './view.tsx';

export interface HomeDeps {
  catalogue: CatalogueService;
  registry?: RelyingPartyRegistry;
  http: HttpPolicy;
  personal: Personalisation;
}

/**
 * The home page; with personalisation consent (P3.2.optional) it also shows the person's
 * services and service hall (web/portal/personal), and `extra` a refused hall form.
 */
export async function renderHome(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: HomeDeps,
  extra: Pick<PersonalView, 'errors' | 'kept'> = {},
  status = 200,
) {
  const [departments, relyingParties, personal] = await Promise.all([
    deps.catalogue.list(),
    deps.registry?.list() ?? Promise.resolve([]),
    personalOf(req, deps),
  ]);
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(
      await renderPage(
        HomePage({
          ctx: pageContext(req),
          departments,
          relyingParties,
          ...(personal ? { personal: { ...personal, ...extra } } : {}),
        }),
      ),
    );
}

export function registerPortalRoutes(app: FastifyInstance, deps: HomeDeps) {
  app.get('/', (req, reply) => renderHome(req, reply, deps));

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

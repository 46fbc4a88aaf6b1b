/**
 * Names of the actors the person's pages show (who accessed my data, my consents, the
 * activity history): actor codes (`role:support`, `department:tax`, `partner:face-id`) and
 * a consent's recipient (`department:<client id>`), in the page's language.
 */
import type { FastifyRequest } from 'fastify';
import type { CatalogueService, RelyingPartyRegistry } from '../../../modules/catalogue/index.ts';
import type { SharingService } from '../../../modules/sharing/index.ts';
import { pageContext } from '../../context.ts';
import type { MessageKey } from '../../i18n/index.ts';

export interface NamerDeps {
  catalogue: CatalogueService;
  registry: RelyingPartyRegistry;
  sharing: SharingService;
}

export function actorNamer(deps: NamerDeps) {
  return async (req: FastifyRequest) => {
    const ctx = pageContext(req);
    const [departments, partners, services] = await Promise.all([
      deps.catalogue.list(),
      deps.sharing.partners(),
      deps.registry.list(),
    ]);
    return (code: string, actorType: string): string => {
      const [kind, id = ''] = code.split(':');
      if (kind === 'role') return ctx.t(`role.${id}` as MessageKey) ?? id;
      if (kind === 'department')
        return (
          departments.find((d) => d.slug === id)?.name[ctx.locale] ??
          services.find((s) => s.clientId === id)?.serviceName[ctx.locale] ??
          id
        );
      if (kind === 'partner') return partners.find((p) => p.slug === id)?.name[ctx.locale] ?? id;
      if (kind === 'authority') return id;
      // P8.1.export the person's own download of their archive.
      if (kind === 'self') return ctx.t('actor.self');
      return actorType === 'system' ? ctx.t('actor.system') : id;
    };
  };
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Api } from '../../shared/http/api.ts';
import type { CatalogueService } from '../../modules/catalogue/index.ts';

const texts = z.object({ 'zh-CN': z.string(), en: z.string(), cs: z.string() });

export const catalogueResponse = z.object({
  departments: z.array(
    z.object({
      slug: z.string(),
      name: texts,
      services: z.array(z.object({ slug: z.string(), name: texts, summary: texts })),
    }),
  ),
});

export function registerCatalogueRoutes(app: FastifyInstance, api: Api, catalogue: CatalogueService): void {
  api.register(app, {
    method: 'GET',
    url: '/api/catalogue',
    summary: 'Departments and the online services they offer',
    tags: ['catalogue'],
    response: catalogueResponse,
    handler: async () => ({ departments: await catalogue.list() }),
  });
}

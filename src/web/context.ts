import type { FastifyRequest } from 'fastify';
import { localeOf, translator } from './i18n/index.ts';
import type { PageContext } from './layout.tsx';

export function pageContext(req: FastifyRequest): PageContext {
  const locale = localeOf(req);
  return { locale, t: translator(locale), path: req.url, actingFor: req.principal?.acting?.onBehalfOf?.name };
}

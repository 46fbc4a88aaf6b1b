export { createCatalogueService, type CatalogueService } from './catalogue.service.ts';
export { registerCatalogueRoutes } from './catalogue.routes.ts';
export type { DepartmentRow } from './catalogue.repository.ts';

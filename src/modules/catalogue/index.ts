export { createCatalogueService, type CatalogueService } from './catalogue.service.ts';
export type { DepartmentRow } from './catalogue.repository.ts';
export {
  createRelyingPartyRegistry,
  type RelyingPartyRegistry,
  type RegistryActor,
} from './relying-party.service.ts';
export {
  releasableFields,
  fieldLabel,
  fieldRequest,
  type RelyingParty,
  type RelyingPartyInput,
  type FieldRequest,
  type ReleasableField,
} from './relying-party.ts';
export { catalogueErrors } from './catalogue.errors.ts';
export { catalogueData } from './catalogue.data.ts';

export {
  createRightsService,
  mayHandleRights,
  requestKinds,
  refusalReasons,
  identityMethods,
  type RightsService,
  type RightsStaff,
  type RequestView,
  type RequestKind,
  type RefusalReason,
  type IdentityMethod,
  type EventRow,
  type Deadlines,
  type Outcome,
  type CancellationStart,
} from './rights.service.ts';
export { requestLifecycle, isOpen, type RequestState } from './rights.lifecycle.ts';
export { rightsErrors } from './rights.errors.ts';
export { rightsData } from './rights.data.ts';
export type { Exemption } from './rights.exemptions.ts';

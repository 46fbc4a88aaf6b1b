export {
  createClosureService,
  mayRecordClosure,
  type ClosureService,
  type ClosurePreview,
  type ClosureView,
  type AffectedService,
  type ClosureDeps,
} from './closure.service.ts';
export { erasurePlan, orderSteps, type ErasurePlan, type EraseStep } from './closure.erasure.ts';
export { closureLifecycle, type ClosureState } from './closure.lifecycle.ts';
export { closureErrors } from './closure.errors.ts';
export { closureData } from './closure.data.ts';
export { closedBefore } from './closure.repository.ts';

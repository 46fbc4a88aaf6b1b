export {
  createRetentionService,
  formatRetentionReport,
  runOrder,
  type RetentionService,
  type RunReport,
} from './retention.service.ts';
export {
  createHolds,
  mayRecordHolds,
  coverageOf,
  heldForEveryone,
  heldPeople,
  type Holds,
  type HoldInput,
  type HoldStaff,
  type Coverage,
} from './retention.holds.ts';
export { retentionPlan, ownerPurged, type RetentionPlan, type PurgeStep } from './retention.plan.ts';
export {
  holdBases,
  type HoldBasis,
  type HoldRow,
  type HoldScope,
  type SubjectEvents,
} from './retention.repository.ts';
export { holdLifecycle, type HoldState } from './retention.lifecycle.ts';
export { retentionErrors } from './retention.errors.ts';
export { retentionData } from './retention.data.ts';
export { personSchedule, keptForText, type ScheduleRow } from './retention.schedule.ts';

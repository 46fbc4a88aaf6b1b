export {
  createActivityService,
  mayHandleReports,
  type ActivityService,
  type ActivityEntry,
  type ActivityPage,
  type Report,
} from './activity.service.ts';
export { activityKinds, isActivityKind, kindActions, type ActivityKind } from './activity.kinds.ts';
export { reportLifecycle, type ReportState } from './activity.lifecycle.ts';
export { activityErrors } from './activity.errors.ts';
export { activityData } from './activity.data.ts';

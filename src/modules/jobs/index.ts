export {
  createJobRunner,
  describeError,
  jobsStatus,
  FAILED_KEEP_DAYS,
  type JobRunner,
  type JobsOptions,
  type JobsStatus,
  type JobLog,
  type JobResult,
  type RunContext,
  type EnqueueOptions,
  type OneOffOptions,
} from './jobs.runner.ts';
export { describeSchedule, nextRun, backoffMs, type Schedule } from './jobs.schedule.ts';
export { formatJobsStatus } from './jobs.status.ts';
export { jobsData } from './jobs.data.ts';

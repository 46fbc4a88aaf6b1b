/** What the jobs module holds about a subject: nothing (kernel/subject-data.ts; gathered by the inventory). */
import { declareSubjectData } from '../../kernel/subject-data.ts';

export const jobsData = declareSubjectData(import.meta.url, {
  job_schedule: { none: 'recurring jobs: names, schedules, last and next runs, outcomes (counts and codes)' },
  job: {
    none: 'one-off jobs: names, due times, attempts, error codes; payloads carry identifiers only (a subject id at most, never a value), failed jobs are kept 30 days',
  },
});

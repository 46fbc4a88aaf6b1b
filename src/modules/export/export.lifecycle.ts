/**
 * The lifecycle of one archive of "Download my data" (src/kernel/lifecycle.ts; drawn in
 * docs/lifecycles.md). Progress (sections done of total) is counted while `preparing`;
 * the timestamps say when (`ready_at`, `expires_at`, `ended_at`).
 */
import { defineLifecycle } from '../../kernel/lifecycle.ts';
import { exportErrors } from './export.errors.ts';

export type ExportState = 'requested' | 'preparing' | 'ready' | 'expired' | 'failed';
/** `start`: the job takes it up (again, after a crash); `expire`: the link's time ran out. */
export type ExportEvent = 'start' | 'finish' | 'fail' | 'expire';

export const exportLifecycle = defineLifecycle<ExportState, ExportEvent>({
  name: 'export-job',
  table: 'export_job',
  module: 'export',
  describes: 'one archive of everything the platform holds about a person, asked for by them (P8.1.export)',
  states: {
    requested: 'the person asked; the job has not started on it',
    preparing: 'the job is gathering the sections (progress: sections done of total)',
    ready: 'both copies (JSON and HTML) can be downloaded until the link expires',
    expired: 'the link expired and both copies were deleted; the row stays as the record',
    failed: 'the job gave up; the person may ask again',
  },
  initial: ['requested'],
  transitions: [
    { from: ['requested', 'preparing'], event: 'start', to: 'preparing', when: 'the job takes it up' },
    { from: 'preparing', event: 'finish', to: 'ready', when: 'every section is in both copies' },
    { from: ['requested', 'preparing'], event: 'fail', to: 'failed', when: 'the job gave up' },
    { from: 'ready', event: 'expire', to: 'expired', when: 'the download link expired (EXPORT_LINK_DAYS)' },
  ],
  refusal: exportErrors.not_ready,
  refusalFrom: { expired: exportErrors.expired },
});

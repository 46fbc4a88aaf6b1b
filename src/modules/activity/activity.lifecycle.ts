/**
 * The life of a "this wasn't me" report (P7.3; src/kernel/lifecycle.ts, drawn in
 * docs/lifecycles.md), enforced in SQL by the shared lifecycle guard (migration 0033).
 * What the report sets off (every session ended, a new password required) happens when it
 * is opened; support looks into it and closes it with a note of what was found and done.
 */
import { defineLifecycle } from '../../kernel/lifecycle.ts';
import { activityErrors } from './activity.errors.ts';

export type ReportState = 'open' | 'closed';
export type ReportEvent = 'close';

export const reportLifecycle = defineLifecycle<ReportState, ReportEvent>({
  name: 'suspicious-report',
  table: 'suspicious_report',
  module: 'activity',
  describes: 'a person’s report that a sign-in or a security change was not them, handled by support',
  states: {
    open: 'reported: every session ended, a new password required; waiting for support (`reported_at`)',
    closed: 'support looked into it and closed it with a note (`closed_at`, `closed_by`, `close_note`)',
  },
  initial: ['open'],
  transitions: [{ from: 'open', event: 'close', to: 'closed', when: 'support closes it with a note' }],
  refusal: activityErrors.closed,
});

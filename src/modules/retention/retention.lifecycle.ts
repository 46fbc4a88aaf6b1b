/**
 * The life of a legal hold (P6.2.hold; src/kernel/lifecycle.ts, drawn in docs/lifecycles.md),
 * enforced in SQL by the shared lifecycle guard (migration 0035). While active and before its
 * end date it keeps what it covers from the purge and from an account closure's erasure.
 */
import { defineLifecycle } from '../../kernel/lifecycle.ts';
import { retentionErrors } from './retention.errors.ts';

export type HoldState = 'active' | 'released' | 'ended';
export type HoldEvent = 'release' | 'end';

export const holdLifecycle = defineLifecycle<HoldState, HoldEvent>({
  name: 'legal-hold',
  table: 'legal_hold',
  module: 'retention',
  describes: 'a legal hold the DPO records on a person, the people of a case, or categories of data',
  states: {
    active: 'recorded: what it covers is neither purged nor erased (`created_at`, `ends_at`, `review_at`)',
    released:
      'the DPO ended it with a note (`ended_at`, `ended_by`, `end_note`); what it kept goes at the next purge',
    ended: 'its end date passed (`ended_at`); what it kept goes at the next purge',
  },
  initial: ['active'],
  transitions: [
    { from: 'active', event: 'release', to: 'released', when: 'the DPO releases it, saying why' },
    { from: 'active', event: 'end', to: 'ended', when: 'its end date passes (the purge job)' },
  ],
  refusal: retentionErrors.hold_ended,
});

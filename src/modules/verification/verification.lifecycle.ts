/**
 * The lifecycle of one verification attempt, as a transition table (src/kernel/lifecycle.ts;
 * drawn in docs/lifecycles.md). Anything not in the table is refused with
 * `verification.illegal_transition`, in memory and by the table's SQL trigger.
 */
import { defineLifecycle } from '../../kernel/lifecycle.ts';
import { verificationErrors } from './verification.errors.ts';

export type AttemptState = 'started' | 'submitted' | 'matched' | 'mismatched' | 'partner_error' | 'expired';
export type AttemptEvent = 'submit' | 'match' | 'mismatch' | 'fail' | 'retry' | 'expire';

export const attemptLifecycle = defineLifecycle<AttemptState, AttemptEvent>({
  name: 'verification-attempt',
  table: 'verification_attempt',
  module: 'verification',
  describes: 'one real-name verification attempt (no personal data: subject, level, method, codes)',
  states: {
    started: 'created, nothing sent yet',
    submitted: 'the person’s data is with the partner',
    matched: 'the partner confirmed; the level was raised in the same transaction',
    mismatched: 'the partner said no (a decision, final)',
    partner_error: 'the partner was down or off-protocol; may be retried',
    expired: 'left open past its 15 minutes',
  },
  initial: ['started'],
  transitions: [
    { from: 'started', event: 'submit', to: 'submitted', when: 'the person’s data leaves for the partner' },
    { from: 'submitted', event: 'match', to: 'matched', when: 'the partner confirms; the level is raised' },
    { from: 'submitted', event: 'mismatch', to: 'mismatched', when: 'the partner says no' },
    { from: 'submitted', event: 'fail', to: 'partner_error', when: 'the partner is down or off-protocol' },
    { from: 'partner_error', event: 'retry', to: 'submitted', when: 'the person tries again (not counted)' },
    {
      from: ['started', 'submitted', 'partner_error'],
      event: 'expire',
      to: 'expired',
      when: 'no decision recorded within 15 minutes',
    },
  ],
  refusal: verificationErrors.illegal_transition,
});

/** States an unfinished attempt can be in; they expire after ATTEMPT_MINUTES. */
export const openStates: readonly AttemptState[] = ['started', 'submitted', 'partner_error'];

export const ATTEMPT_MINUTES = 15;

/** The state after `event`, or the coded refusal `verification.illegal_transition`. */
export const next = (from: AttemptState, event: AttemptEvent): AttemptState =>
  attemptLifecycle.next(from, event);

/**
 * The lifecycle of one consent record (src/kernel/lifecycle.ts; drawn in docs/lifecycles.md).
 * Expiry is a deadline (`expires_at`), read by `isActive`, not a recorded state: nothing
 * records it yet.
 */
import { defineLifecycle } from '../../kernel/lifecycle.ts';
import { consentErrors } from './consent.errors.ts';

export type ConsentState = 'given' | 'withdrawn';
export type ConsentEvent = 'withdraw';

export const consentLifecycle = defineLifecycle<ConsentState, ConsentEvent>({
  name: 'consent',
  table: 'consent',
  module: 'consent',
  describes: 'one consent: subject, purpose, categories, recipient, policy version, evidence',
  states: {
    given: 'in force (until `expires_at`, if it has one)',
    withdrawn: 'withdrawn by the person or at their request (P8.5); `withdrawn_at` says when',
  },
  initial: ['given'],
  transitions: [
    { from: 'given', event: 'withdraw', to: 'withdrawn', when: 'the person withdraws; effective at once' },
  ],
  refusal: consentErrors.already_withdrawn,
});

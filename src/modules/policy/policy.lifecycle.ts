/**
 * The life of a policy version's editorial record (src/kernel/lifecycle.ts, drawn in
 * docs/lifecycles.md), enforced in SQL by the shared lifecycle guard (migration 0038).
 *
 * "In effect" is not a state: a scheduled version is in effect from its effective date, read
 * from the clock when a page asks (as an announcement's expiry, ADR 0032).
 */
import { defineLifecycle } from '../../kernel/lifecycle.ts';
import { policyErrors } from './policy.errors.ts';

export type PolicyVersionState = 'draft' | 'scheduled' | 'discarded';
export type PolicyVersionEvent = 'schedule' | 'discard';

export const policyVersionLifecycle = defineLifecycle<PolicyVersionState, PolicyVersionEvent>({
  name: 'policy-version',
  table: 'policy_version',
  module: 'policy',
  describes:
    'one version of a policy document, from the DPO’s draft to its publication with an effective date',
  states: {
    draft: 'being written in the console: texts per language, what changed, whether it is material',
    scheduled:
      'published (its texts in policy_document, never changed again) and in effect from `effective_from`; a material one was announced',
    discarded: 'a draft the DPO dropped: never published',
  },
  initial: ['draft', 'scheduled'],
  transitions: [
    {
      from: 'draft',
      event: 'schedule',
      to: 'scheduled',
      when: 'the DPO schedules it with an effective date',
    },
    { from: 'draft', event: 'discard', to: 'discarded', when: 'the DPO drops the draft' },
  ],
  refusal: policyErrors.version_settled,
});

/**
 * The lifecycle of one upstream sign-in in flight (`linked_flow`; src/kernel/lifecycle.ts,
 * drawn in docs/lifecycles.md): used once, within ten minutes (`expires_at`, a deadline
 * checked by the `use` guard). Flows used or long expired are deleted as new ones start.
 */
import { defineLifecycle } from '../../kernel/lifecycle.ts';
import { linkedErrors } from './linked.errors.ts';

export type FlowState = 'started' | 'used';
export type FlowEvent = 'use';

export const flowLifecycle = defineLifecycle<FlowState, FlowEvent, { expiresAt: Date; now: Date }>({
  name: 'linked-account-flow',
  table: 'linked_flow',
  module: 'linked',
  describes: 'one authorization request to an upstream provider: hashed state, nonce, PKCE verifier',
  states: {
    started: 'the browser was sent upstream; waiting for its callback',
    used: 'its callback came back once; any other is refused',
  },
  initial: ['started'],
  transitions: [
    {
      from: 'started',
      event: 'use',
      to: 'used',
      when: 'the callback with its state arrives',
      guards: [
        {
          name: 'within its ten minutes',
          refusal: linkedErrors.flow_invalid,
          allows: (f) => f.expiresAt > f.now,
        },
      ],
    },
  ],
  refusal: linkedErrors.flow_invalid,
});

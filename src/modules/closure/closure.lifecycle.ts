/**
 * The life of an account closure (P8.5.cancel; src/kernel/lifecycle.ts, drawn in
 * docs/lifecycles.md), enforced in SQL by the shared lifecycle guard (migration 0034).
 *
 * A closure waits out its cooling-off period, during which the person can undo it; then
 * the closing job takes it (`closing`, one node at a time) and finishes it (`closed`) in
 * one transaction with the erasure, so a closure is never half done.
 */
import { defineLifecycle } from '../../kernel/lifecycle.ts';
import { closureErrors } from './closure.errors.ts';

export type ClosureState = 'cooling-off' | 'undone' | 'closed';
export type ClosureEvent = 'undo' | 'close';

export const closureLifecycle = defineLifecycle<ClosureState, ClosureEvent>({
  name: 'account-closure',
  table: 'account_closure',
  module: 'closure',
  describes: 'a person’s request to close their account, its cooling-off period and its end',
  states: {
    'cooling-off': 'asked for; the account still works and the person can undo it until closes_at',
    undone: 'the person changed their mind within the cooling-off period',
    closed: 'closed: sessions ended, services told, the person’s data erased',
  },
  initial: ['cooling-off'],
  transitions: [
    { from: 'cooling-off', event: 'undo', to: 'undone', when: 'the person undoes it before it closes' },
    {
      from: 'cooling-off',
      event: 'close',
      to: 'closed',
      when: 'the cooling-off period passed (the closing job)',
    },
  ],
  refusal: closureErrors.not_undoable,
});

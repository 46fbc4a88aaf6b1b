/**
 * The life of a message in the outbox (src/kernel/lifecycle.ts; drawn in docs/lifecycles.md),
 * enforced in SQL by the shared lifecycle guard (migration 0020). A message is queued
 * `pending`; `sent` and `failed` are final. A drain that takes over a claim whose lease ran
 * out (a node that crashed while sending) claims it again: it stays `sending`.
 */
import { defineLifecycle } from '../../kernel/lifecycle.ts';
import { notifyErrors } from './notify.errors.ts';

export type OutboxState = 'pending' | 'sending' | 'sent' | 'retrying' | 'failed';
export type OutboxEvent = 'claim' | 'deliver' | 'defer' | 'fail';

export const outboxLifecycle = defineLifecycle<OutboxState, OutboxEvent>({
  name: 'notify-outbox',
  table: 'notify_outbox',
  module: 'notify',
  describes: 'one message owed to a person: template, channel, due time, attempts',
  states: {
    pending: 'queued in the transaction of what it tells; waits for its due time',
    sending: 'claimed by a drain under a lease; the channel is being asked',
    sent: 'the channel accepted it; `sent_at` says when',
    retrying: 'an attempt failed; waits for `next_attempt_at` (back-off)',
    failed: 'failed for good (no destination, refused, or no attempts left)',
  },
  initial: ['pending'],
  transitions: [
    { from: ['pending', 'retrying'], event: 'claim', to: 'sending', when: 'a drain claims it, due' },
    {
      from: 'sending',
      event: 'claim',
      to: 'sending',
      when: 'a drain takes over a claim whose lease ran out',
    },
    { from: 'sending', event: 'deliver', to: 'sent', when: 'the channel accepted it' },
    { from: 'sending', event: 'defer', to: 'retrying', when: 'the attempt failed and attempts are left' },
    { from: 'sending', event: 'fail', to: 'failed', when: 'a permanent failure, or the last attempt failed' },
  ],
  refusal: notifyErrors.illegal_transition,
});

/**
 * The life of a person's e-mail address (src/kernel/lifecycle.ts; drawn in docs/lifecycles.md),
 * enforced in SQL by the shared lifecycle guard (migration 0024). An address is added
 * `pending` and becomes `verified` only when its code is typed back; a verified address stays
 * until a newer one is verified (`replaced`) or the person removes it. Bounces do not move it:
 * they are counted on the row, and too many make it unreachable (notify.reach.ts).
 */
import { defineLifecycle } from '../../kernel/lifecycle.ts';
import { notifyErrors } from './notify.errors.ts';

export type EmailState = 'pending' | 'verified' | 'replaced' | 'removed' | 'cancelled';
export type EmailEvent = 'verify' | 'cancel' | 'replace' | 'remove';

export const emailLifecycle = defineLifecycle<EmailState, EmailEvent>({
  name: 'notify-email',
  table: 'notify_email',
  module: 'notify',
  describes: "a person's e-mail address as a destination for messages (the address itself is in the vault)",
  states: {
    pending: 'added; a code was sent to it; its value waits in a vault compartment, never released',
    verified: 'its code came back: the vault field `email`, the mail channel writes to it',
    replaced: 'a newer address was verified; this one was told',
    removed: 'the person removed it; the vault field was erased',
    cancelled: 'never verified: the person cancelled it, added another, or removed their address',
  },
  initial: ['pending'],
  transitions: [
    { from: 'pending', event: 'verify', to: 'verified', when: 'the right code is typed in time' },
    { from: 'pending', event: 'cancel', to: 'cancelled', when: 'cancelled, or another address added' },
    { from: 'verified', event: 'replace', to: 'replaced', when: 'a newer address is verified' },
    { from: 'verified', event: 'remove', to: 'removed', when: 'the person removes their address' },
  ],
  refusal: notifyErrors.email_illegal_transition,
});

/**
 * The life of an announcement (src/kernel/lifecycle.ts, drawn in docs/lifecycles.md),
 * enforced in SQL by the shared lifecycle guard (migration 0029).
 *
 * Expiry is not a state: an announcement past `expires_at` is not shown, read from the clock
 * at the moment a page asks (ADR 0032). A state moved by a job would show an expired notice
 * for as long as the job was late, and tell a test nothing about what a person sees.
 */
import { defineLifecycle } from '../../kernel/lifecycle.ts';
import { announceErrors } from './announce.errors.ts';

export type AnnouncementState = 'published' | 'withdrawn';
export type AnnouncementEvent = 'withdraw';

export const announcementLifecycle = defineLifecycle<AnnouncementState, AnnouncementEvent>({
  name: 'announcement',
  table: 'announcement',
  module: 'announce',
  describes:
    'one platform-wide announcement (an incident, a policy change, a service update) on the home page and in the signed-in header',
  states: {
    published:
      'shown from `starts_at` until `expires_at` to everybody who has not dismissed it (never if a drill)',
    withdrawn: 'taken down by staff (`withdrawn_at`, `withdrawn_by`): shown to nobody again',
  },
  initial: ['published'],
  transitions: [
    { from: 'published', event: 'withdraw', to: 'withdrawn', when: 'staff withdraw it in the console' },
  ],
  refusal: announceErrors.illegal_transition,
  refusalFrom: { withdrawn: announceErrors.withdrawn },
});

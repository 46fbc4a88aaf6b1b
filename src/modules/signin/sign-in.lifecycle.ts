/**
 * The lifecycle of a sign-in challenge, the pending second step of a risky sign-in
 * (`sign_in_challenge`; src/kernel/lifecycle.ts, drawn in docs/lifecycles.md). Its five
 * minutes are a deadline (`expires_at`): an expired challenge stays `pending` until
 * housekeeping deletes it, and the `pass` guards refuse it.
 */
import { defineLifecycle } from '../../kernel/lifecycle.ts';
import { signInErrors } from './signin.errors.ts';

export type ChallengeState = 'pending' | 'passed' | 'locked';
export type ChallengeEvent = 'pass' | 'fail' | 'lock';

/** A challenge may allow at most this many wrong answers in all. */
export const MAX_ATTEMPTS = 5;

export interface ChallengeFacts {
  attempts: number;
  expiresAt: Date;
  now: Date;
}

export const challengeLifecycle = defineLifecycle<ChallengeState, ChallengeEvent, ChallengeFacts>({
  name: 'sign-in-challenge',
  table: 'sign_in_challenge',
  module: 'signin',
  describes: 'the second step a risky sign-in must pass before any session exists',
  states: {
    pending: 'waiting for the second step (5 minutes, 5 wrong answers)',
    passed: 'passed once; a session was opened (`completed_at`)',
    locked: 'the fifth wrong answer ended it',
  },
  initial: ['pending'],
  transitions: [
    {
      from: 'pending',
      event: 'pass',
      to: 'passed',
      when: 'a right answer by an allowed method',
      guards: [
        {
          name: 'within its 5 minutes',
          refusal: signInErrors.second_step_expired,
          allows: (f) => f.expiresAt > f.now,
        },
        {
          name: 'fewer than 5 wrong answers',
          refusal: signInErrors.second_step_locked,
          allows: (f) => f.attempts < MAX_ATTEMPTS,
        },
      ],
    },
    { from: 'pending', event: 'fail', to: 'pending', when: 'a wrong answer, the first four' },
    { from: 'pending', event: 'lock', to: 'locked', when: 'the fifth wrong answer' },
  ],
  refusal: signInErrors.second_step_expired,
  refusalFrom: { locked: signInErrors.second_step_locked },
});

/**
 * The life of a rights request (P8.2–P8.4; src/kernel/lifecycle.ts, drawn in
 * docs/lifecycles.md), enforced in SQL by the shared lifecycle guard (migration 0032).
 *
 * A request can be worked on only after the person's identity is confirmed: every path to
 * `fulfilled` or `partly-fulfilled` passes `identity-confirmed`, and the table's CHECK
 * refuses those states without `identity_confirmed_at` (a known weakness of other rights
 * engines is a request fulfilled for whoever typed the form). An unconfirmed request can
 * only be refused, and only for that reason (guard below).
 */
import { defineLifecycle, type Guard } from '../../kernel/lifecycle.ts';
import { rightsErrors } from './rights.errors.ts';

export type RequestState =
  | 'submitted'
  | 'identity-confirmed'
  | 'in-progress'
  | 'awaiting-person'
  | 'fulfilled'
  | 'partly-fulfilled'
  | 'refused'
  | 'withdrawn';
export type RequestEvent =
  'confirm-identity' | 'start' | 'ask' | 'answer' | 'fulfil' | 'fulfil-partly' | 'refuse' | 'withdraw';

export const openStates: readonly RequestState[] = [
  'submitted',
  'identity-confirmed',
  'in-progress',
  'awaiting-person',
];
export const isOpen = (s: RequestState) => openStates.includes(s);

export interface RefusalFacts {
  identityConfirmed: boolean;
  reason: string;
}

const unconfirmedOnlyForIdentity: Guard<RefusalFacts> = {
  name: 'an unconfirmed request is refused only for its identity',
  refusal: rightsErrors.unconfirmed_refusal,
  allows: (f) => f.identityConfirmed || f.reason === 'identity-not-confirmed',
};

export const requestLifecycle = defineLifecycle<RequestState, RequestEvent, RefusalFacts>({
  name: 'rights-request',
  table: 'rights_request',
  module: 'rights',
  describes: 'one request by a person to exercise a right over their data (copy, correction, deletion, …)',
  states: {
    submitted: 'received; the deadline runs from the day after (`submitted_at`, `due_at`)',
    'identity-confirmed': 'the person proved it is them (`identity_confirmed_at`, `identity_method`)',
    'in-progress': 'the DPO is working on it',
    'awaiting-person': 'the DPO asked the person something and waits for the answer',
    fulfilled: 'done as asked (`decided_at`)',
    'partly-fulfilled': 'done in part; the rest refused with its reason and exemption',
    refused: 'refused with its reason and, where one applies, the exemption (P8.4)',
    withdrawn: 'the person withdrew it (`withdrawn_at`)',
  },
  initial: ['submitted', 'identity-confirmed'],
  transitions: [
    {
      from: 'submitted',
      event: 'confirm-identity',
      to: 'identity-confirmed',
      when: 'a fresh proof by the person, or the DPO records a check (service hall, registry)',
    },
    { from: 'identity-confirmed', event: 'start', to: 'in-progress', when: 'the DPO takes it up' },
    { from: 'in-progress', event: 'ask', to: 'awaiting-person', when: 'the DPO asks the person something' },
    { from: 'awaiting-person', event: 'answer', to: 'in-progress', when: 'the person answers' },
    { from: 'in-progress', event: 'fulfil', to: 'fulfilled', when: 'the DPO records it done' },
    {
      from: 'in-progress',
      event: 'fulfil-partly',
      to: 'partly-fulfilled',
      when: 'the DPO records it done in part, the rest refused with a reason',
    },
    {
      from: ['submitted', 'identity-confirmed', 'in-progress', 'awaiting-person'],
      event: 'refuse',
      to: 'refused',
      when: 'the DPO refuses it with a reason (an unconfirmed one only for its identity)',
      guards: [unconfirmedOnlyForIdentity],
    },
    {
      from: ['submitted', 'identity-confirmed', 'in-progress', 'awaiting-person'],
      event: 'withdraw',
      to: 'withdrawn',
      when: 'the person withdraws it',
    },
  ],
  refusal: rightsErrors.illegal_transition,
  refusalFrom: {
    submitted: rightsErrors.identity_not_confirmed,
    fulfilled: rightsErrors.decided,
    'partly-fulfilled': rightsErrors.decided,
    refused: rightsErrors.decided,
    withdrawn: rightsErrors.withdrawn,
  },
});

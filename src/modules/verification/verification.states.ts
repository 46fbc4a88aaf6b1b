/**
 * The lifecycle of one verification attempt, as a transition table (drawn in
 * docs/verification.md). Anything not in the table is refused.
 *
 *   from           event      to             when
 *   started        submit     submitted      the person's data leaves for the partner
 *   started        expire     expired        abandoned before submission
 *   submitted      match      matched        the partner confirms; the level is raised
 *   submitted      mismatch   mismatched     the partner says no (a decision, final)
 *   submitted      fail       partner_error  the partner is down or off-protocol
 *   submitted      expire     expired        no answer recorded in time
 *   partner_error  retry      submitted      the person tries again (no new attempt counted)
 *   partner_error  expire     expired        not retried in time
 *   matched, mismatched, expired: final.
 */
export type AttemptState = 'started' | 'submitted' | 'matched' | 'mismatched' | 'partner_error' | 'expired';
export type AttemptEvent = 'submit' | 'match' | 'mismatch' | 'fail' | 'retry' | 'expire';

export const transitions: Readonly<Record<AttemptState, Partial<Record<AttemptEvent, AttemptState>>>> = {
  started: { submit: 'submitted', expire: 'expired' },
  submitted: { match: 'matched', mismatch: 'mismatched', fail: 'partner_error', expire: 'expired' },
  partner_error: { retry: 'submitted', expire: 'expired' },
  matched: {},
  mismatched: {},
  expired: {},
};

export const finalStates: readonly AttemptState[] = ['matched', 'mismatched', 'expired'];

/** States an unfinished attempt can be in; they expire after ATTEMPT_MINUTES. */
export const openStates: readonly AttemptState[] = ['started', 'submitted', 'partner_error'];

export const ATTEMPT_MINUTES = 15;

export class IllegalTransition extends Error {
  constructor(
    readonly from: AttemptState,
    readonly event: AttemptEvent,
  ) {
    super(`no transition from ${from} on ${event}`);
    this.name = 'IllegalTransition';
  }
}

/** The state after `event`, or IllegalTransition. */
export function next(from: AttemptState, event: AttemptEvent): AttemptState {
  const to = transitions[from][event];
  if (!to) throw new IllegalTransition(from, event);
  return to;
}

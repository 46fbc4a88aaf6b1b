/**
 * What the outbox's states mean to others: the person's view of a message and the failure
 * codes. The states and their transitions are the lifecycle table of notify.lifecycle.ts.
 */
import { outboxLifecycle, type OutboxState } from './notify.lifecycle.ts';

export type { OutboxState } from './notify.lifecycle.ts';
export const states = outboxLifecycle.states;

/** Whether the lifecycle table has a transition from one state to another. */
export const canMove = (from: OutboxState, to: OutboxState): boolean =>
  from !== to && outboxLifecycle.transitions.some((t) => t.from === from && t.to === to);

/** What the person is shown: sent, on its way (pending, sending, retrying), or not delivered. */
export type DeliveryState = 'sent' | 'pending' | 'failed';
export const deliveryOf = (s: OutboxState): DeliveryState =>
  s === 'sent' ? 'sent' : s === 'failed' ? 'failed' : 'pending';

/**
 * Why an attempt failed, as stored in `last_error` and logged (codes only, never the
 * destination or the text). `permanent` failures are not retried.
 */
export const failureCodes = {
  'gateway-unavailable': { permanent: false },
  timeout: { permanent: false },
  unexpected: { permanent: false },
  'no-destination': { permanent: true },
  'destination-refused': { permanent: true },
  'invalid-params': { permanent: true },
  /** The mail relay refused the message for good (5xx): a hard bounce, recorded on the address. */
  'mail-rejected': { permanent: true },
  /** Moved by migration 0017 from before the outbox: delivered or not, nobody knows why not. */
  'before-outbox': { permanent: true },
} as const;
export type FailureCode = keyof typeof failureCodes;

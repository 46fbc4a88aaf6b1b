/**
 * The life of a message in the outbox, as a table. The same table is enforced in SQL by the
 * trigger of migration 0017 (notify_outbox_transition); notify.outbox.test.ts tries every
 * pair of states against the database and checks both agree.
 *
 *   from       to         when
 *   pending    sending    a drain claims it (due)
 *   retrying   sending    a drain claims it again (back-off over)
 *   sending    sent       the channel accepted it
 *   sending    retrying   the channel failed, attempts left (back-off)
 *   sending    failed     the channel failed for good, or the last attempt failed
 *
 * `sent` and `failed` are final. A message is queued `pending` and never starts elsewhere. A
 * drain that takes over a claim whose lease ran out (a node that crashed while sending)
 * leaves it `sending`: no change of state.
 */
export const states = ['pending', 'sending', 'sent', 'retrying', 'failed'] as const;
export type OutboxState = (typeof states)[number];

export const transitions: Readonly<Record<OutboxState, readonly OutboxState[]>> = {
  pending: ['sending'],
  retrying: ['sending'],
  sending: ['sent', 'retrying', 'failed'],
  sent: [],
  failed: [],
};

export const canMove = (from: OutboxState, to: OutboxState): boolean => transitions[from].includes(to);

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
  /** Moved by migration 0017 from before the outbox: delivered or not, nobody knows why not. */
  'before-outbox': { permanent: true },
} as const;
export type FailureCode = keyof typeof failureCodes;

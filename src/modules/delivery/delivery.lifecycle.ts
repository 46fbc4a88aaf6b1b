/**
 * The lifecycle of one delivery by post (src/kernel/lifecycle.ts; drawn in
 * docs/lifecycles.md). The timestamps say when (`released_at`: first read by the
 * department; `closed_at`; `erased_at` with `erased_by`); the state says where it is.
 */
import { defineLifecycle } from '../../kernel/lifecycle.ts';
import { deliveryErrors } from './delivery.errors.ts';

export type DeliveryState = 'given' | 'released' | 'closed' | 'erased';
/** `erase`: the person deletes it (P8.1); `expire`: its retention ended (P6.2). */
export type DeliveryEvent = 'release' | 'close' | 'erase' | 'expire';

export const deliveryLifecycle = defineLifecycle<DeliveryState, DeliveryEvent>({
  name: 'delivery-request',
  table: 'delivery_request',
  module: 'delivery',
  describes: 'one contact given for delivery by post of one application (the contact is in the vault)',
  states: {
    given: 'the person gave the contact; the department has not read it yet',
    released: 'the department read it at least once',
    closed: 'the department closed it; erased 30 days later at the latest',
    erased: 'the contact was deleted; the row stays as the record',
  },
  initial: ['given'],
  transitions: [
    { from: ['given', 'released'], event: 'release', to: 'released', when: 'the department reads it' },
    { from: 'closed', event: 'release', to: 'closed', when: 'a read after closing (first read recorded)' },
    {
      from: ['given', 'released', 'closed'],
      event: 'close',
      to: 'closed',
      when: 'the department has posted it (again: retention never lengthens)',
    },
    { from: ['given', 'released', 'closed'], event: 'erase', to: 'erased', when: 'the person deletes it' },
    {
      from: ['given', 'released', 'closed'],
      event: 'expire',
      to: 'erased',
      when: 'retention ended: 30 days after closing, 180 after giving',
    },
  ],
  refusal: deliveryErrors.erased,
});

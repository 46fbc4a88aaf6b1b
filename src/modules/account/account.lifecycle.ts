/**
 * The lifecycle of a citizen account (`citizen_account`; src/kernel/lifecycle.ts, drawn in
 * docs/lifecycles.md). Closing is a state of its own so that the rights work (closing an
 * account, its grace period, retention counted from `closed`) has a place to stand;
 * nothing drives `close`, `reopen` or `finish` yet beyond `changeAccountState`.
 */
import { defineLifecycle } from '../../kernel/lifecycle.ts';
import { accountErrors } from './account.errors.ts';

export type AccountState = 'active' | 'closing' | 'closed';
export type AccountEvent = 'close' | 'reopen' | 'finish';

export const accountLifecycle = defineLifecycle<AccountState, AccountEvent>({
  name: 'citizen-account',
  table: 'citizen_account',
  module: 'account',
  describes: 'a person’s account: credentials, assurance level (the person’s data is in the vault)',
  states: {
    active: 'registered and usable',
    closing: 'the person asked to close it; can still be reopened',
    closed: 'closed for good; retention periods counted from here',
  },
  initial: ['active'],
  transitions: [
    { from: 'active', event: 'close', to: 'closing', when: 'the person asks to close the account' },
    { from: 'closing', event: 'reopen', to: 'active', when: 'the person changes their mind in time' },
    { from: 'closing', event: 'finish', to: 'closed', when: 'the closing period ends' },
  ],
  refusal: accountErrors.account_transition,
});

/**
 * The lifecycle of one agent authorisation (`company_agent`; src/kernel/lifecycle.ts, drawn
 * in docs/lifecycles.md). Its end date is a deadline checked at each use (`valid_until`);
 * `expire` records it when a new authorisation of the same agent replaces an ended one.
 * `revoked_at` says when it stopped, for both ends.
 */
import { defineLifecycle } from '../../kernel/lifecycle.ts';
import { companyErrors } from './company.errors.ts';

export type AgentState = 'granted' | 'revoked' | 'expired';
export type AgentEvent = 'revoke' | 'expire';

export const agentLifecycle = defineLifecycle<AgentState, AgentEvent>({
  name: 'agent-authorisation',
  table: 'company_agent',
  module: 'company',
  describes: 'one authorisation of an agent to act for a company, with scopes and an end date',
  states: {
    granted: 'in force until `valid_until` (checked at each use)',
    revoked: 'revoked by the representative or an agent with manage-agents',
    expired: 'ended by its date; recorded when a new authorisation replaces it',
  },
  initial: ['granted'],
  transitions: [
    { from: 'granted', event: 'revoke', to: 'revoked', when: 'revoked on the company page or API' },
    {
      from: 'granted',
      event: 'expire',
      to: 'expired',
      when: 'past `valid_until`, when the same agent is authorised again',
    },
  ],
  // An authorisation that has already ended is not there to revoke, as before.
  refusal: companyErrors.not_found,
});

/**
 * The life of a security incident (P7.2i.record; src/kernel/lifecycle.ts, drawn in
 * docs/lifecycles.md), enforced in SQL by the shared lifecycle guard (migration 0028).
 *
 * The states follow the national plan's order: detect, assess, contain, report, tell, close.
 * Reporting may come before containment (ADR 0031): the clock starts at detection and is
 * one hour for critical information infrastructure, usually shorter than containing the
 * cause; containment after the report is recorded through `measures` on the timeline.
 * A closed incident may be reopened to `assessed`: a new finding (more people, another
 * cause) is assessed again rather than recorded as a second incident.
 */
import { defineLifecycle } from '../../kernel/lifecycle.ts';
import { incidentErrors } from './incident.errors.ts';
import type { IncidentState } from './incident.types.ts';

export type IncidentEvent = 'assess' | 'contain' | 'report' | 'tell' | 'close' | 'reopen';

export const incidentLifecycle = defineLifecycle<IncidentState, IncidentEvent>({
  name: 'security-incident',
  table: 'incident',
  module: 'incident',
  describes: 'one security incident: what happened, its severity, the report to the authority, the notice',
  states: {
    detected: 'opened by the security officer: what happened, when it was detected, systems, categories',
    assessed: 'the officer assessed it (scope, severity may follow)',
    contained: 'the spread is stopped',
    reported: 'the report to the cyberspace authority was submitted (`reported_at`)',
    people_told: 'the affected people were given the notice (`notice_key`)',
    closed: 'handled; it may be reopened',
  },
  initial: ['detected'],
  transitions: [
    { from: 'detected', event: 'assess', to: 'assessed', when: 'the officer records the assessment' },
    { from: 'assessed', event: 'contain', to: 'contained', when: 'the officer records the containment' },
    {
      from: ['detected', 'assessed', 'contained'],
      event: 'report',
      to: 'reported',
      when: 'the report’s submission is recorded',
    },
    { from: 'reported', event: 'tell', to: 'people_told', when: 'the notice went to the frozen audience' },
    {
      from: ['reported', 'people_told'],
      event: 'close',
      to: 'closed',
      when: 'the officer closes it (reported; told, unless nobody was affected)',
    },
    { from: 'closed', event: 'reopen', to: 'assessed', when: 'the officer reopens it, saying why' },
  ],
  refusal: incidentErrors.transition_refused,
  refusalFrom: { closed: incidentErrors.closed },
});

/** The event that moves an incident to `to` (advance() names the state it wants). */
export const eventTo: Readonly<Record<IncidentState, IncidentEvent | undefined>> = {
  detected: undefined,
  assessed: 'assess',
  contained: 'contain',
  reported: 'report',
  people_told: 'tell',
  closed: 'close',
};

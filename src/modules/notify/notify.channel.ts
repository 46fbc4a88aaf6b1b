/**
 * The channel port: how a queued message reaches a person. A channel finds the destination
 * itself, at the moment it sends (the outbox holds none), and answers with an outcome
 * rather than throwing: the drain turns it into the message's next state.
 */
import type { Locale } from '../../kernel/locale.ts';
import type { FailureCode } from './notify.states.ts';
import type { ChannelId, TemplateId } from './notify.templates.ts';

/** A message as a channel receives it: parameters already checked against the catalogue. */
export interface Outgoing {
  id: string;
  subjectId: string;
  template: TemplateId;
  locale: Locale;
  params: Record<string, string>;
  attempt: number;
}

export type Outcome = { ok: true } | { ok: false; code: FailureCode };

export interface Channel {
  readonly id: ChannelId;
  deliver(m: Outgoing): Promise<Outcome>;
}

/**
 * The channel port: how a queued message reaches a person. A channel finds the destination
 * itself, at the moment it sends (the outbox holds none), and answers with an outcome
 * rather than throwing: the drain turns it into the message's next state.
 */
import type { Locale } from '../../kernel/locale.ts';
import type { FailureCode } from './notify.states.ts';
import type { ChannelId, Params, TemplateId } from './notify.templates.ts';

/** A message as a channel receives it: parameters already checked against the catalogue. */
export interface Outgoing {
  /** The delivery (one channel's attempt at the notification). */
  id: string;
  notificationId: string;
  subjectId: string;
  template: TemplateId;
  locale: Locale;
  /** The notification's parameters merged over its notice's: render with notify.templates.ts. */
  params: Params;
  attempt: number;
}

export type Outcome = { ok: true } | { ok: false; code: FailureCode };

export interface Channel {
  readonly id: ChannelId;
  deliver(m: Outgoing): Promise<Outcome>;
  /**
   * A batch at once, when the channel can share work between its messages (one destination
   * read for all, one rendering per distinct text): one outcome per message, in order, each
   * its own promise so that one slow send times out alone. Same outcomes as `deliver`.
   */
  deliverMany?(ms: readonly Outgoing[]): Promise<Outcome>[];
}

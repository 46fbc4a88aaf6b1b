/**
 * The person's choice of channels per kind of message (issue 13 §4).
 *
 * Rules:
 * - Without a choice, a kind goes by its default channels (`defaultChannels`): everything
 *   that can reach the person for mandatory kinds and policy changes, push for service
 *   updates, the inbox only for surveys.
 * - A message goes by the channels chosen for its kind, that its template allows, and that
 *   can reach the person (notify.reach.ts); it always lands in the inbox as well.
 * - A mandatory kind (security, incident, legal) cannot be switched off: choosing no channel
 *   for it is refused (`notify.mandatory_needs_channel`), and when none of the chosen
 *   channels can reach the person it goes by SMS (every account has a phone) where the
 *   template allows SMS.
 */
import { kinds, type ChannelId, type Kind } from './notify.templates.ts';

export const defaultChannels: Record<Kind, readonly ChannelId[]> = {
  security: ['sms', 'mail', 'push'],
  incident: ['sms', 'mail', 'push'],
  legal: ['sms', 'mail', 'push'],
  policy: ['mail', 'push'],
  service: ['push'],
  survey: [],
};

/** What can be chosen for a kind, and what goes when nothing chosen can reach the person. */
export function fallbackOf(kind: Kind, allowed: readonly ChannelId[]): ChannelId[] {
  return kinds[kind].mandatory && allowed.includes('sms') ? ['sms'] : [];
}

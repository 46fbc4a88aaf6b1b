/**
 * Which channels can reach a person at all, as SQL (a boolean over the alias `s`, which has
 * a `subject_id` column), so that one person's message and a notice to a million people
 * choose channels by the same rule, in the statement that writes them.
 *
 * Rules:
 * - SMS reaches every person: an account always has a mobile number (P1.1).
 * - Mail reaches a person with a verified address that has not bounced; push, a person with
 *   at least one browser subscribed. Both tables belong to this module.
 * - A channel nobody can be reached on yet is `false`, never left out: an unknown channel
 *   must not be treated as reachable.
 */
import type { ChannelId } from './notify.templates.ts';

/**
 * Hard bounces (the relay's 5xx for the message) in a row after which a verified address no
 * longer reaches the person: mail stops going there, and their e-mail page says why. A mail
 * that goes through sets the count back to 0; verifying the address again starts afresh.
 */
export const HARD_BOUNCES_UNREACHABLE = 3;

export const reachableSql: Record<ChannelId, string> = {
  sms: 'true',
  mail: `EXISTS (SELECT 1 FROM notify_email e WHERE e.subject_id = s.subject_id AND e.state = 'verified' AND e.bounces < ${HARD_BOUNCES_UNREACHABLE})`,
  // Every browser the person turned push on in (migration 0025): the channel sends to all.
  push: 'EXISTS (SELECT 1 FROM push_subscription ps WHERE ps.subject_id = s.subject_id)',
};

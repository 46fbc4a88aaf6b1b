/**
 * The mail channel of the outbox, over the mail relay adapter (src/adapters/mail.ts).
 *
 * Rules:
 * - The address is read through the vault at each attempt (field `email`, the verified one),
 *   under the template's purpose with a necessity basis, by the system actor
 *   `system:notify`: each read shows in the person's "who accessed my data". It is never
 *   stored, logged or returned. A person with no verified address, or whose address bounced
 *   too often (notify.reach.ts), has no destination.
 * - The mail is the message in the person's language: the title as subject, the text as
 *   plain text and HTML (notify.mail.compose.ts), with the portal's address.
 * - P8.5 a message the person may switch off carries List-Unsubscribe with a signed one-click
 *   link for its kind (notify.unsubscribe.ts); a mandatory one carries none.
 * - A relay that is unavailable is worth another attempt; a relay that refuses the message
 *   (5xx) is a hard bounce: the delivery fails for good and the bounce is counted on the
 *   address. A mail that goes through clears the count.
 */
import { MailRejected, MailUnavailable, type MailTransport } from '../../adapters/mail.ts';
import type { Database } from '../../kernel/db/database.ts';
import type { Logger } from '../../kernel/logger.ts';
import type { VaultService } from '../vault/index.ts';
import type { Channel, Outcome, Outgoing } from './notify.channel.ts';
import { readDestination, readDestinations } from './notify.destination.ts';
import * as repo from './notify.email.repository.ts';
import { composeMail, type ComposedMail } from './notify.mail.compose.ts';
import type { FailureCode } from './notify.states.ts';
import { HARD_BOUNCES_UNREACHABLE } from './notify.reach.ts';
import { isMandatory, render, renderTitle, specOf } from './notify.templates.ts';
import { unsubscribeToken, type KeyedHash } from './notify.unsubscribe.ts';

export function createMailChannel(deps: {
  db: Database;
  vault: VaultService;
  mail: MailTransport;
  /** The portal's public address (known once the platform listens). */
  portalUrl: () => string;
  keyedHash: KeyedHash;
  log?: Logger;
}): Channel {
  type Address = { id: string; bounces: number } | undefined;
  type Destination = { to: string } | { code: FailureCode };

  /**
   * The subject, text and HTML of a message: the same for everyone given the same template,
   * language and parameters, so a batch renders each distinct one once (`cache`).
   */
  const composed = (m: Outgoing, portalUrl: string, cache?: Map<string, ComposedMail>): ComposedMail => {
    const key = `${m.template}\0${m.locale}\0${JSON.stringify(m.params)}`;
    const hit = cache?.get(key);
    if (hit) return hit;
    const mail = composeMail({
      locale: m.locale,
      title: renderTitle(m.template, m.locale, m.params),
      text: render(m.template, m.locale, m.params),
      portalUrl,
      unsubscribeUrl: undefined,
    });
    cache?.set(key, mail);
    return mail;
  };

  async function send(
    m: Outgoing,
    address: Address,
    destination: Destination,
    cache?: Map<string, ComposedMail>,
  ): Promise<Outcome> {
    if (!address || address.bounces >= HARD_BOUNCES_UNREACHABLE) return { ok: false, code: 'no-destination' };
    if ('code' in destination) return { ok: false, code: destination.code };
    const { to } = destination;
    const portalUrl = deps.portalUrl();
    const unsubscribeUrl = isMandatory(m.template)
      ? undefined
      : `${portalUrl}/unsubscribe/${unsubscribeToken(deps.keyedHash, m.subjectId, specOf(m.template).kind)}`;
    // The unsubscribe link is the person's own: a mail that carries one is composed for them.
    const mail = unsubscribeUrl
      ? composeMail({
          locale: m.locale,
          title: renderTitle(m.template, m.locale, m.params),
          text: render(m.template, m.locale, m.params),
          portalUrl,
          unsubscribeUrl,
        })
      : composed(m, portalUrl, cache);
    try {
      await deps.mail.send({
        to,
        ...mail,
        locale: m.locale,
        ...(unsubscribeUrl ? { unsubscribeUrl } : {}),
      });
    } catch (err) {
      if (err instanceof MailUnavailable) return { ok: false, code: 'gateway-unavailable' };
      if (err instanceof MailRejected) {
        const bounces = await repo.recordBounce(deps.db, address.id, err.responseCode);
        deps.log?.warn(
          { deliveryId: m.id, template: m.template, responseCode: err.responseCode, bounces },
          'mail bounced; counted on the address',
        );
        return { ok: false, code: 'mail-rejected' };
      }
      throw err;
    }
    // Most addresses never bounced: no write for them on the way of every mail.
    if (address.bounces > 0) await repo.clearBounces(deps.db, address.id);
    return { ok: true };
  }

  return {
    id: 'mail',
    async deliver(m) {
      const address = await repo.verifiedOf(deps.db, m.subjectId);
      // No vault read (and no access entry) for a person the mail cannot reach.
      if (!address || address.bounces >= HARD_BOUNCES_UNREACHABLE)
        return { ok: false, code: 'no-destination' };
      return send(m, address, await readDestination(deps.vault, m, 'email'));
    },

    deliverMany(ms) {
      // One statement for the addresses, one vault call for the destinations of those who
      // have one, then every mail on its own.
      const prepared = (async () => {
        const addresses = await repo.verifiedOfMany(
          deps.db,
          ms.map((m) => m.subjectId),
        );
        const reachable = (m: Outgoing) => {
          const a = addresses.get(m.subjectId);
          return a !== undefined && a.bounces < HARD_BOUNCES_UNREACHABLE;
        };
        const toRead = ms.filter(reachable);
        const read = await readDestinations(deps.vault, toRead, 'email');
        const destinations = new Map(toRead.map((m, i) => [m, read[i]!]));
        return { addresses, destinations };
      })();
      const cache = new Map<string, ComposedMail>();
      return ms.map(async (m) => {
        const { addresses, destinations } = await prepared;
        const destination = destinations.get(m) ?? { code: 'no-destination' as const };
        return send(m, addresses.get(m.subjectId), destination, cache);
      });
    },
  };
}

/**
 * The SMS channel: the first channel of the outbox, over the SMS gateway adapter
 * (src/adapters/sms.ts, protocol in docs/adapters/sms-gateway.md).
 *
 * Rules:
 * - The number is read through the vault at each attempt (notify.destination.ts): each
 *   read shows in the person's "who accessed my data"; it is never stored, logged or returned.
 * - The gateway receives the template id, its parameters and the locale; it holds the
 *   approved text (notify.templates.ts has ours).
 * - A gateway that is unavailable is worth another attempt; a person without a phone, or a
 *   read the vault refuses, is not.
 */
import { SmsUnavailable, type SmsGateway, type SmsMessage } from '../../adapters/sms.ts';
import type { VaultService } from '../vault/index.ts';
import type { Channel } from './notify.channel.ts';
import { readDestination } from './notify.destination.ts';
import type { templates, TemplateId } from './notify.templates.ts';

type SmsTemplate = {
  [T in TemplateId]: 'sms' extends (typeof templates)[T]['channels'][number] ? T : never;
}[TemplateId];
/** Compile-time check: every SMS template of the catalogue is one the gateway adapter knows. */
export type SmsTemplatesKnown = SmsTemplate extends SmsMessage['template'] ? true : never;
const known: SmsTemplatesKnown = true;
void known;

export function createSmsChannel(deps: { vault: VaultService; sms: SmsGateway }): Channel {
  return {
    id: 'sms',
    async deliver(m) {
      const destination = await readDestination(deps.vault, m, 'phone');
      if ('code' in destination) return { ok: false, code: destination.code };
      const { to } = destination;
      try {
        // The catalogue checked the parameters against the template (notify.templates.ts);
        // SmsMessage is the gateway's view of the same templates.
        await deps.sms.send({ to, template: m.template, params: m.params, locale: m.locale } as SmsMessage);
        return { ok: true };
      } catch (err) {
        if (err instanceof SmsUnavailable) return { ok: false, code: 'gateway-unavailable' };
        throw err;
      }
    },
  };
}

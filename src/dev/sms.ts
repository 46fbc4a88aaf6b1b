/**
 * Development and tests: an SMS gateway that sends nothing. It keeps messages in memory and
 * prints each with the number masked, so a developer can register without a phone. Never
 * loaded in production (src/adapters/outside-systems.ts; production requires SMS_GATEWAY_URL).
 */
import { maskPhone, type SmsGateway, type SmsMessage } from '../adapters/sms.ts';

export class LocalSmsGateway implements SmsGateway {
  readonly sent: (SmsMessage & { messageId: string })[] = [];
  private readonly latest = new Map<string, string>();
  constructor(private readonly print: (line: string) => void = () => undefined) {}

  async send(message: SmsMessage): Promise<{ messageId: string }> {
    const messageId = `local-${this.sent.length + 1}`;
    this.sent.push({ ...message, messageId });
    if (message.template === 'verification-code') {
      this.latest.set(message.to, message.params.code);
      this.print(`development SMS to ${maskPhone(message.to)}: code ${message.params.code}`);
    } else if (message.template === 'security-change') {
      this.print(
        `development SMS to ${maskPhone(message.to)}: security change, ${message.params.change} at ${message.params.time}`,
      );
    } else if (message.template === 'login-alert') {
      this.print(
        `development SMS to ${maskPhone(message.to)}: login alert, ${message.params.time} from ${message.params.device}`,
      );
    } else if (message.template === 'transfer-notice') {
      this.print(
        `development SMS to ${maskPhone(message.to)}: transfer notice, to ${message.params.recipient} on ${message.params.date}`,
      );
    } else {
      this.print(`development SMS to ${maskPhone(message.to)}: ${message.template}, ${message.params.time}`);
    }
    return { messageId };
  }

  /** The newest code sent to a number (tests and the development console). */
  lastCode(to: string): string | undefined {
    return this.latest.get(to);
  }
}

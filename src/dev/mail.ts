/**
 * Development and tests: a mailbox instead of a relay. Each message is composed exactly as
 * for the relay (nodemailer, the same options) and written as an .eml file under the data
 * directory, which any mail program opens; the console line names the file, never the
 * address. Never loaded in production (src/adapters/outside-systems.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { mailOptions, type MailMessage, type MailTransport } from '../adapters/mail.ts';

export class LocalMailbox implements MailTransport {
  /** What was sent, in order (tests read it). */
  readonly sent: (MailMessage & { messageId: string; file: string; raw: string })[] = [];
  private readonly composer = nodemailer.createTransport({ streamTransport: true, buffer: true });

  constructor(
    private readonly dir: string,
    private readonly from: string,
    private readonly print: (line: string) => void = () => undefined,
  ) {}

  async send(message: MailMessage): Promise<{ messageId: string }> {
    const info = await this.composer.sendMail(mailOptions(this.from, message));
    const raw = (info.message as Buffer).toString('utf8');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = join(this.dir, `${String(this.sent.length + 1).padStart(5, '0')}.eml`);
    writeFileSync(file, raw, { mode: 0o600 });
    this.sent.push({ ...message, messageId: info.messageId, file, raw });
    this.print(`development mail written to ${file}`);
    return { messageId: info.messageId };
  }

  async close(): Promise<void> {}
}

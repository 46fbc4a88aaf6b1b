/**
 * The relay's messages composed once per distinct content: a notice to many people is the
 * same subject, text and HTML for everyone of a language, and nodemailer building the MIME
 * tree for each of them (then writing it to the socket in many small TLS records) was most
 * of the time of a mail (bench/mail-delivery). Here the body and the headers every copy
 * shares are built by nodemailer once (MailComposer, so encodings are nodemailer's own);
 * each message only adds its own header lines (To, Date, Message-ID, List-Unsubscribe) and
 * goes to the relay as one buffer.
 *
 * Rules:
 * - Only a plain ASCII address and unsubscribe link take this way: anything that needs
 *   encoding or could break a header line (non-ASCII, spaces, brackets, CR/LF) returns
 *   undefined and the caller lets nodemailer compose the message in full.
 * - The cache is bounded: per-person contents (a footer with the person's own link) do not
 *   grow it without end; it is emptied when full.
 */
import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { MailMessage } from './mail.ts';

const CACHE_LIMIT = 64;
// A conservative address: the characters a header line may carry without encoding or quoting.
const PLAIN_ADDRESS = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+$/;
const PLAIN_URL = /^https?:\/\/[\x21-\x3b\x3d\x3f-\x7e]+$/;
const PLACEHOLDER_ID = '<civitas-shared@localhost>';

interface Shared {
  /** The header lines every copy shares, each ending with CRLF. */
  head: Buffer;
  /** The empty line and the body. */
  body: Buffer;
}

/** RFC 5322 date as nodemailer writes it. */
const dateLine = (d: Date) => d.toUTCString().replace(/GMT/, '+0000');

export function createRawComposer(from: string, fromDomain: string) {
  const cache = new Map<string, Promise<Shared>>();

  const sharedOf = (m: MailMessage): Promise<Shared> => {
    const key = JSON.stringify([m.subject, m.text, m.html, m.locale]);
    const hit = cache.get(key);
    if (hit) return hit;
    if (cache.size >= CACHE_LIMIT) cache.clear();
    const built = new MailComposer({
      from,
      subject: m.subject,
      text: m.text,
      html: m.html,
      messageId: PLACEHOLDER_ID,
      date: new Date(0),
      headers: { 'Content-Language': m.locale, 'Auto-Submitted': 'auto-generated' },
    })
      .compile()
      .build()
      .then((raw) => {
        const end = raw.indexOf('\r\n\r\n');
        // Drop the placeholder Date and Message-ID: each copy gets its own.
        const lines = raw
          .subarray(0, end)
          .toString('latin1')
          .split('\r\n')
          .filter((l) => !/^(Date|Message-ID):/i.test(l));
        return {
          head: Buffer.from(lines.join('\r\n') + '\r\n', 'latin1'),
          body: raw.subarray(end + 2),
        };
      });
    cache.set(key, built);
    // A failed build is not kept: the next message tries again.
    built.catch(() => cache.delete(key));
    return built;
  };

  return {
    /** The whole message for the relay, or undefined when it needs nodemailer's full composition. */
    async compose(m: MailMessage): Promise<{ raw: Buffer; messageId: string } | undefined> {
      if (!PLAIN_ADDRESS.test(m.to)) return undefined;
      if (m.unsubscribeUrl !== undefined && !PLAIN_URL.test(m.unsubscribeUrl)) return undefined;
      const shared = await sharedOf(m);
      const messageId = `<${randomUUID()}@${fromDomain}>`;
      const own = [
        `To: ${m.to}`,
        `Message-ID: ${messageId}`,
        `Date: ${dateLine(new Date())}`,
        ...(m.unsubscribeUrl
          ? [`List-Unsubscribe: <${m.unsubscribeUrl}>`, 'List-Unsubscribe-Post: List-Unsubscribe=One-Click']
          : []),
      ].join('\r\n');
      return {
        raw: Buffer.concat([shared.head, Buffer.from(own + '\r\n', 'latin1'), shared.body]),
        messageId,
      };
    },
  };
}

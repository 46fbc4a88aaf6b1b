/**
 * The mail relay: sends e-mail to people over SMTP (nodemailer, ADR 0025). The production
 * transport speaks SMTP to the operator's relay; the development one writes each message
 * as an .eml file (src/dev/mail.ts).
 *
 * Rules:
 * - P7.2 mail leaves only over TLS: `smtps://` (TLS from the first byte) or `smtp://` with
 *   STARTTLS required (`requireTLS`), the relay's certificate verified. A relay that offers
 *   no STARTTLS is refused before anything is sent. Production refuses a configuration that
 *   turns this off (kernel/config).
 * - Every message is multipart/alternative (plain text and HTML) in the person's language
 *   (`Content-Language`), marked `Auto-Submitted: auto-generated` (RFC 3834) so that
 *   auto-responders stay quiet. A message the person may opt out of carries
 *   `List-Unsubscribe` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058);
 *   a mandatory one (security, incident, legal) carries none.
 * - The relay's answer decides what happens next: a 5xx answer is a rejection (a hard
 *   bounce: retrying cannot help, the caller records it); anything else that fails
 *   (4xx, timeout, no connection, no TLS) is temporary and the caller retries.
 * - Errors carry SMTP codes and the relay's reply code only, never the address.
 */
import type { ConnectionOptions } from 'node:tls';
import nodemailer, { type Transporter } from 'nodemailer';
import { createRawComposer } from './mail.raw.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  locale: string;
  /** Set on mail the person may opt out of (RFC 8058 one-click): the address that does it. */
  unsubscribeUrl?: string;
}

export interface MailTransport {
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

/** The relay refused the message for good (5xx): a hard bounce. */
export class MailRejected extends Error {
  constructor(readonly responseCode: number) {
    super(`mail rejected by the relay: ${responseCode}`);
    this.name = 'MailRejected';
  }
}

/** The message could not be handed over now (4xx, no connection, no TLS): try again later. */
export class MailUnavailable extends Error {
  constructor(reason: string) {
    super(`mail relay unavailable: ${reason}`);
    this.name = 'MailUnavailable';
  }
}

export interface SmtpOptions {
  /** `smtps://user:pass@host:465` or `smtp://user:pass@host:587`. */
  url: string;
  from: string;
  /** STARTTLS required on `smtp://` (always true in production). */
  requireTls: boolean;
  /** Extra TLS settings (a private CA for the relay); the certificate is always checked unless a test says otherwise. */
  tls?: ConnectionOptions;
  /** Connections kept open to the relay (messages go over them in turn). */
  maxConnections?: number;
  timeoutMs?: number;
}

export function createSmtpTransport(o: SmtpOptions): MailTransport {
  const url = new URL(o.url);
  const secure = url.protocol === 'smtps:';
  if (!secure && url.protocol !== 'smtp:') throw new Error('SMTP_URL must be smtp:// or smtps://');
  const timeout = o.timeoutMs ?? 15_000;
  const transporter: Transporter = nodemailer.createTransport({
    pool: true,
    maxConnections: o.maxConnections ?? 4,
    maxMessages: 1000,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port) || (secure ? 465 : 587),
    secure,
    requireTLS: !secure && o.requireTls,
    ignoreTLS: !secure && !o.requireTls,
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    tls: { minVersion: 'TLSv1.2', ...o.tls },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    // nodemailer's own logger would print addresses: off.
    logger: false,
    debug: false,
  });

  const fromAddress = /<([^<>]+)>\s*$/.exec(o.from)?.[1] ?? o.from.trim();
  const raw = createRawComposer(o.from, fromAddress.split('@').pop() || 'localhost');

  return {
    async send(m) {
      try {
        // A message whose content others share goes out prebuilt (mail.raw.ts).
        const prebuilt = await raw.compose(m);
        const info = prebuilt
          ? await transporter.sendMail({
              envelope: { from: fromAddress, to: [m.to] },
              raw: prebuilt.raw,
              messageId: prebuilt.messageId,
            })
          : await transporter.sendMail(mailOptions(o.from, m));
        const refused = info.rejected?.length ?? 0;
        if (refused > 0) throw new MailRejected(550);
        return { messageId: prebuilt?.messageId ?? info.messageId };
      } catch (err) {
        throw classify(err);
      }
    },
    async close() {
      transporter.close();
    },
  };
}

/** What nodemailer is given for one message: the same for the relay and the development mailbox. */
export function mailOptions(from: string, m: MailMessage) {
  return {
    from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    html: m.html,
    headers: {
      'Content-Language': m.locale,
      'Auto-Submitted': 'auto-generated',
      ...(m.unsubscribeUrl
        ? {
            'List-Unsubscribe': `<${m.unsubscribeUrl}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          }
        : {}),
    },
  };
}

function classify(err: unknown): Error {
  if (err instanceof MailRejected || err instanceof MailUnavailable) return err;
  const e = err as { responseCode?: unknown; code?: unknown };
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  // Only a refusal of this message (its envelope or its content) is a bounce; a 5xx to the
  // relay's login or our sender address is our configuration, and a retry after the fix works.
  const aboutMessage = e.code === 'EENVELOPE' || e.code === 'EMESSAGE';
  if (aboutMessage && status !== undefined && status >= 500 && status < 600) return new MailRejected(status);
  if (status !== undefined) return new MailUnavailable(`status ${status}`);
  // nodemailer's codes: ETLS (no STARTTLS offered while required), EAUTH, ECONNECTION,
  // ETIMEDOUT, ESOCKET… — names, never the reply text (it may quote the address).
  return new MailUnavailable(typeof e.code === 'string' ? e.code : 'connection failed');
}

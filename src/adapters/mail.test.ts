/**
 * Invariant: mail reaches a real SMTP relay only over TLS (STARTTLS required, the relay's
 * certificate checked), as multipart text + HTML in the person's language, with one-click
 * unsubscribe headers only on mail the person may refuse; a relay's 5xx for the message is
 * a bounce, anything else a temporary failure — and no error names the address.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSmtpSink, type SmtpSink } from '../../test/support/smtp-sink.ts';
import { createSmtpTransport, MailRejected, MailUnavailable, type MailMessage } from './mail.ts';

const message = (over: Partial<MailMessage> = {}): MailMessage => ({
  to: 'wang.fang@example.cn',
  subject: '您的账户已登录',
  text: '您的账户于 2026-12-02 10:00 登录。',
  html: '<p>您的账户于 2026-12-02 10:00 登录。</p>',
  locale: 'zh-CN',
  ...over,
});

describe('the SMTP relay', () => {
  let relay: SmtpSink;
  before(async () => {
    relay = await startSmtpSink({
      starttls: true,
      auth: { user: 'civitas', pass: 'relay-secret' },
      bounce: ['gone@example.cn'],
      defer: ['busy@example.cn'],
    });
  });
  after(() => relay.close());

  const transport = (over: { url?: string; ca?: string | undefined } = {}) =>
    createSmtpTransport({
      url: over.url ?? relay.url,
      from: 'Civitas <no-reply@civitas.example>',
      requireTls: true,
      tls: { ca: 'ca' in over ? over.ca : relay.ca, servername: 'localhost' },
      timeoutMs: 5000,
    });

  test('P7.2 a message goes over STARTTLS with authentication, as text and HTML in the person’s language', async () => {
    const t = transport();
    try {
      await t.send(message());
      const [got] = await relay.waitFor(1);
      assert.ok(got!.secure, 'the session was under TLS when the message came');
      assert.equal(got!.user, 'civitas');
      assert.deepEqual(got!.envelope.to, ['wang.fang@example.cn']);
      assert.equal(got!.mail.subject, '您的账户已登录');
      assert.match(got!.mail.text ?? '', /登录/);
      assert.match(String(got!.mail.html), /<p>您的账户/);
      assert.match(got!.raw, /^Content-Type: multipart\/alternative/im, 'text and HTML as alternatives');
      assert.equal(got!.mail.headers.get('content-language'), 'zh-CN');
      assert.equal(got!.mail.headers.get('auto-submitted'), 'auto-generated');
      assert.doesNotMatch(got!.raw, /^List-Unsubscribe/im, 'mandatory mail has no unsubscribe');
    } finally {
      await t.close();
    }
  });

  test('mail the person may refuse carries one-click unsubscribe headers (RFC 8058)', async () => {
    const t = transport();
    try {
      const before = relay.received.length;
      await t.send(message({ unsubscribeUrl: 'https://civitas.example/unsubscribe/abc', locale: 'cs' }));
      const got = (await relay.waitFor(before + 1))[before]!;
      assert.match(got.raw, /^List-Unsubscribe: <https:\/\/civitas\.example\/unsubscribe\/abc>/im);
      assert.match(got.raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click/im);
      assert.equal(got.mail.headers.get('content-language'), 'cs');
    } finally {
      await t.close();
    }
  });

  test('a recipient the relay refuses (550) is a bounce; one it defers (451) is temporary; neither names the address', async () => {
    const t = transport();
    try {
      await assert.rejects(t.send(message({ to: 'gone@example.cn' })), (err: unknown) => {
        assert.ok(err instanceof MailRejected);
        assert.equal(err.responseCode, 550);
        assert.doesNotMatch(err.message, /gone@/);
        return true;
      });
      await assert.rejects(t.send(message({ to: 'busy@example.cn' })), (err: unknown) => {
        assert.ok(err instanceof MailUnavailable);
        assert.doesNotMatch(err.message, /busy@/);
        return true;
      });
    } finally {
      await t.close();
    }
  });

  test('P7.2 a relay whose certificate cannot be checked gets nothing', async () => {
    const before = relay.received.length;
    const t = transport({ ca: undefined });
    try {
      await assert.rejects(t.send(message()), MailUnavailable);
      assert.equal(relay.received.length, before);
    } finally {
      await t.close();
    }
  });

  test('wrong relay credentials are our configuration, not a bounce', async () => {
    const t = transport({ url: relay.url.replace('relay-secret', 'wrong') });
    try {
      await assert.rejects(t.send(message()), MailUnavailable);
    } finally {
      await t.close();
    }
  });
});

describe('a relay without TLS', () => {
  let plain: SmtpSink;
  before(async () => {
    plain = await startSmtpSink({ starttls: false });
  });
  after(() => plain.close());

  test('P7.2 with STARTTLS required, a relay that offers none gets nothing', async () => {
    const t = createSmtpTransport({ url: plain.url, from: 'no-reply@civitas.example', requireTls: true });
    try {
      await assert.rejects(t.send(message()), MailUnavailable);
      assert.equal(plain.received.length, 0);
    } finally {
      await t.close();
    }
  });

  test('a relay that cannot be reached is a temporary failure', async () => {
    await plain.close();
    const t = createSmtpTransport({
      url: plain.url,
      from: 'no-reply@civitas.example',
      requireTls: false,
      timeoutMs: 2000,
    });
    try {
      await assert.rejects(t.send(message()), MailUnavailable);
    } finally {
      await t.close();
    }
    plain = await startSmtpSink({ starttls: false });
  });
});

describe('the development mailbox', () => {
  test('writes each mail as an .eml file composed as for the relay, and prints the file, never the address', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { LocalMailbox } = await import('../dev/mail.ts');
    const lines: string[] = [];
    const box = new LocalMailbox(
      join(mkdtempSync(join(tmpdir(), 'civitas-mail-')), 'mail'),
      'no-reply@x',
      (l) => lines.push(l),
    );
    await box.send(message({ unsubscribeUrl: 'https://civitas.example/u/1' }));
    const eml = readFileSync(box.sent[0]!.file, 'utf8');
    assert.match(eml, /^Content-Type: multipart\/alternative/im);
    assert.match(eml, /^List-Unsubscribe: <https:\/\/civitas\.example\/u\/1>/im);
    assert.match(eml, /^To: wang\.fang@example\.cn/im);
    assert.equal(lines.length, 1);
    assert.doesNotMatch(lines[0]!, /wang\.fang/);
  });
});

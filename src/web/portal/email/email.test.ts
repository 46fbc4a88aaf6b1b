/**
 * Invariant: through the page, a person adds an e-mail address, proves it with the code mailed
 * to it and sees it; a refusal re-renders on its field in their language; a cross-site post
 * changes nothing; removal asks first. The one-click unsubscribe link works with no session
 * and from another site, and names no address. Real SMTP (test/support/smtp-sink.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { registerCitizen, type Citizen } from '../../../../test/support/citizens.ts';
import { idNumberFor } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { startSmtpSink, type SmtpSink } from '../../../../test/support/smtp-sink.ts';

let p: TestPlatform;
let sink: SmtpSink;
let me: Citizen;

const post = (path: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: `${me.cookie}; civitas_lang=en`,
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    },
    body: new URLSearchParams(body).toString(),
  });
const page = async () =>
  (await fetch(`${p.url}/me/email`, { headers: { cookie: `${me.cookie}; civitas_lang=en` } })).text();

describe('the e-mail page', () => {
  before(async () => {
    sink = await startSmtpSink();
    p = await startTestPlatform({ SMTP_URL: sink.url, SMTP_REQUIRE_TLS: 'false' });
    me = await registerCitizen(p, '13900000901', idNumberFor(901));
  });
  after(async () => {
    await p.stop();
    await sink.close();
  });

  test('P8.1 a person adds an address, types the mailed code and sees the address verified', async () => {
    let res = await post('/me/email', { email: 'zhang.wei@example.cn' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/me/email?notice=sent');
    const [mail] = await sink.waitFor(1);
    assert.deepEqual(mail!.envelope.to, ['zhang.wei@example.cn']);
    const code = /\b(\d{6})\b/.exec(mail!.mail.text ?? '')![1]!;
    assert.match(await page(), /Waiting for the code sent to <span data-pending="true">zhang.wei@example.cn/);

    res = await post('/me/email/verify', { code: code === '000000' ? '111111' : '000000' });
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.match(html, /<div class="error-summary" role="alert"[^>]*autofocus/);
    assert.match(html, /<a href="#code">That code is not right[^<]*<\/a>/);
    assert.match(/<input id="code"[^>]*>/.exec(html)![0], /aria-invalid="true"/);

    res = await post('/me/email/verify', { code });
    assert.equal(res.status, 303);
    assert.match(await page(), /<strong data-email="true">zhang.wei@example.cn<\/strong>/);
  });

  test('P8.1 a refused address is shown on its field and kept as typed', async () => {
    const res = await post('/me/email', { email: 'not an address' });
    assert.equal(res.status, 422);
    const input = /<input id="email"[^>]*>/.exec(await res.text())![0];
    assert.match(input, /aria-invalid="true"/);
    assert.match(input, /value="not an address"/);
  });

  test('a cross-site post changes nothing', async () => {
    const res = await post('/me/email', { email: 'attacker@example.cn' }, { 'sec-fetch-site': 'cross-site' });
    assert.equal(res.status, 403);
    assert.doesNotMatch(await page(), /attacker@example/);
  });

  test('P8.5 the one-click unsubscribe works without a session, from elsewhere, and names no address', async () => {
    await p.notify.choose(me.subjectId, 'service', ['mail']);
    await p.database.db.tx((q) =>
      p.notify.enqueue(q, {
        subjectId: me.subjectId,
        locale: 'en',
        template: 'service-update',
        params: { service: 'Tax' },
      }),
    );
    const before = sink.received.length;
    await p.notify.drainOutbox();
    const got = (await sink.waitFor(before + 1))[before]!;
    const link = /^List-Unsubscribe: ?<([^>]+)>/im.exec(got.raw.replace(/\r?\n[ \t]+/g, ''))![1]!;
    const path = new URL(link).pathname;
    const shown = await (await fetch(`${p.url}${path}`)).text();
    assert.match(shown, /News about services you use|您所用服务的消息/);
    const res = await fetch(`${p.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
      body: 'List-Unsubscribe=One-Click',
    });
    assert.equal(res.status, 200);
    assert.doesNotMatch(await res.text(), /zhang\.wei/);
    const prefs = await p.notify.preferences(me.subjectId);
    assert.deepEqual(prefs.kinds.find((k) => k.kind === 'service')!.channels, []);
    const forged = await fetch(`${p.url}/unsubscribe/${'A'.repeat(44)}`, { method: 'POST' });
    assert.equal(forged.status, 404);
  });

  test('P8.1.delete removing the address asks first, then erases it', async () => {
    let res = await post('/me/email/remove', {});
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Remove your e-mail address\?/);
    assert.match(await page(), /zhang.wei@example.cn/, 'nothing changed yet');
    res = await post('/me/email/remove', { confirm: '1' });
    assert.equal(res.status, 303);
    const html = await page();
    assert.doesNotMatch(html, /zhang.wei@example.cn/);
    assert.match(html, /You have not given an e-mail address/);
  });
});

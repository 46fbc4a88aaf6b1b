/**
 * Invariant (P7.3): the security page shows the person what the sign-in rules did: their
 * signed-in devices, each with its own sign-out (one, or every other); recent sign-in alerts,
 * saying why and how the sign-in was confirmed; their second factors (an authenticator app
 * set up with a first code, recovery codes shown once and counted, what removing the last
 * factor changes); and a session unused for 2 hours is sent to sign in again.
 *
 * The rules themselves are the modules' (src/modules/signin/*.test.ts,
 * src/modules/session/sessions.idle.test.ts); this file is what a person sees of them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { client, cookieOf, PASSWORD, type SecondStepAnswer } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { challengeOf, from } from '../../../../test/support/sign-in.ts';
import { fromBase32 } from '../../../../test/support/staff.ts';
import { totp } from '../../../shared/totp.ts';

let p: TestPlatform;
let c: ReturnType<typeof client>;
const page = (cookie: string, path = '/me/security') =>
  fetch(`${p.url}${path}`, { headers: { cookie, 'accept-language': 'en' }, redirect: 'manual' });
const form = (path: string, body: Record<string, string>, cookie: string) =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'accept-language': 'en' },
    body: new URLSearchParams(body).toString(),
    redirect: 'manual',
  });

describe('security page', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    c = client(p);
  });
  after(() => p.stop());

  test('P7.3 the person sees their signed-in devices and signs out one, or every other, device', async () => {
    const me = await c.register('13512340001', 501);
    const signIn = async (ua: string) => {
      const res = await fetch(`${p.url}/api/identity/login/password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: me.device, 'user-agent': ua },
        body: JSON.stringify({ phone: me.phone, password: PASSWORD }),
      });
      assert.equal(res.status, 200);
      return cookieOf(res, 'civitas_session')!;
    };
    const phoneCookie = await signIn(
      'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36',
    );
    const laptop = await signIn(
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
    );
    const tablet = await signIn(
      'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Safari/604.1',
    );
    const html = await (await page(laptop)).text();
    assert.match(html, /Chrome · Android/);
    assert.match(html, /Firefox · Windows<strong> · This device<\/strong>/);
    assert.match(html, /Safari · iOS/);

    // Sign out the tablet by its id, from the laptop.
    const tabletId =
      /action="\/me\/sessions\/([0-9a-f-]{36})\/end"[^>]*>\s*<button[^>]*aria-label="Sign out: Safari · iOS/.exec(
        html,
      )?.[1];
    assert.ok(tabletId, 'the tablet has its own sign-out button');
    const end = await fetch(`${p.url}/me/sessions/${tabletId}/end`, {
      method: 'POST',
      headers: { cookie: laptop, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'confirm=1',
      redirect: 'manual',
    });
    assert.equal(end.status, 303);
    assert.equal((await page(tablet)).status, 303, 'the tablet is signed out');

    // Then every other device.
    await fetch(`${p.url}/me/sessions/end-others`, {
      method: 'POST',
      headers: { cookie: laptop, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'confirm=1',
      redirect: 'manual',
    });
    assert.equal((await page(phoneCookie)).status, 303, 'the phone is signed out');
    assert.equal((await page(laptop)).status, 200, 'this device stays signed in');
    const { rows } = await p.storage.db.query<{ action: string }>(
      `SELECT action FROM audit_entry WHERE action IN ('identity.session_ended', 'identity.other_sessions_ended')
        AND subject_id = $1 ORDER BY id`,
      [me.subjectId],
    );
    assert.deepEqual(
      rows.map((r) => r.action),
      ['identity.session_ended', 'identity.other_sessions_ended'],
    );
  });

  test('P7.3 a session unused for 2 hours is sent to sign in again; one used within them opens the page', async () => {
    const me = await c.register('13900000031', 731);
    const idleFor = (minutes: number) =>
      p.storage.db.query(
        `UPDATE citizen_session SET last_seen_at = now() - make_interval(mins => $2) WHERE subject_id = $1`,
        [me.subjectId, minutes],
      );
    await idleFor(119);
    assert.equal((await page(me.session)).status, 200, 'used within 2 hours: still signed in');
    await idleFor(121);
    const res = await page(me.session);
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location') ?? '', /^\/login\?next=/);
  });

  test('P7.3 a sign-in from a new device is listed with the recent sign-in alerts, with how it was confirmed', async () => {
    const me = await c.register('13600000001', 1);
    const res = await c.login(me.phone, { device: undefined });
    const { secondStep } = (await res.json()) as SecondStepAnswer;
    const newDevice = cookieOf(res, 'civitas_device')!;
    assert.equal(
      (await c.post('/api/identity/second-step/sms', { challenge: secondStep.challenge }, newDevice)).status,
      202,
    );
    const done = await c.post(
      '/api/identity/second-step/code',
      { challenge: secondStep.challenge, method: 'sms', code: c.sms().lastCode(me.phone) },
      newDevice,
    );
    const html = await (await page(cookieOf(done, 'civitas_session')!)).text();
    assert.match(html, /Recent sign-in alerts/);
    assert.match(html, /you have not signed in from this browser before/);
    assert.match(
      html,
      /<td data-label="Confirmed with">SMS code<\/td>/,
      'the alert says how the sign-in was confirmed',
    );
  });

  test('P7.3 the security page tells the person that wrong second-step codes were entered for their account', async () => {
    const me = await c.register('13700000021', 721);
    // The guesses themselves, in process (their rules: src/modules/signin/attempts.test.ts).
    const secret = fromBase32((await p.identity.factors.beginTotp(me.subjectId, me.phone)).secret);
    await p.identity.factors.confirmTotp(me.subjectId, totp(secret, Date.now()), randomUUID());
    const wrong = totp(secret, Date.now()) === '000000' ? '111111' : '000000';
    for (let signIn = 0; signIn < 2; signIn++) {
      const r = await p.identity.loginWithPassword(me.phone, PASSWORD, from(`198.51.100.${60 + signIn}`));
      for (let i = 0; i < 5; i++)
        await p.identity.secondStep
          .withCode(challengeOf(r).challenge, 'totp', wrong, randomUUID(), 'en')
          .catch(() => undefined);
    }
    assert.match(
      await (await page(me.session)).text(),
      /several wrong second-step codes were entered for your account/,
    );
  });
  test('P7.3 the security page sets up an authenticator app: key and QR code shown, a wrong first code said, ten recovery codes shown once', async () => {
    const me = await c.register('13600000101', 101);
    const setup = await (await form('/me/security/totp', {}, me.session)).text();
    const shown = /data-totp-secret[^>]*>([A-Z2-7]{32})</.exec(setup)?.[1];
    assert.ok(shown, 'the base32 key is shown');
    assert.match(
      setup,
      new RegExp(`otpauth://totp/Civitas%3ACivitas%20account\\?secret=${shown}&amp;issuer=Civitas`),
    );
    assert.match(
      setup,
      /<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="QR code for your authenticator app"/,
    );
    const secret = fromBase32(shown);

    const wrong = await form(
      '/me/security/totp/confirm',
      { code: totp(secret, Date.now() + 300_000) },
      me.session,
    );
    assert.equal(wrong.status, 400);
    const again = await wrong.text();
    assert.match(again, /<a href="#totp-code">The code is wrong or has expired<\/a>/);
    assert.match(again, new RegExp(`>${shown}<`), 'the same key is shown again');

    const ok = await form('/me/security/totp/confirm', { code: totp(secret, Date.now()) }, me.session);
    const codesPage = await ok.text();
    // One <pre> block, a code a line (selecting it copies them all).
    const block = /<pre class="codes"[^>]*>([^<]*)<\/pre>/.exec(codesPage)?.[1] ?? '';
    const recovery = block.split('\n').filter((c) => /^[A-Z2-7]{5}-[A-Z2-7]{5}$/.test(c));
    assert.equal(recovery.length, 10, 'ten recovery codes, shown once');
    assert.match(codesPage, /Authenticator app turned on\./);
    const overview = await (await page(me.session)).text();
    assert.match(overview, /<h3>Authenticator app<\/h3><p>On<\/p>/);
    assert.match(overview, /Unused recovery codes: <strong data-recovery-left="true">10<\/strong>/);

    // Two recovery codes used (their rules: src/modules/signin/factors.test.ts): the count left is shown.
    for (const code of recovery.slice(0, 2)) {
      const r = await p.identity.loginWithPassword(me.phone, PASSWORD, from('192.0.2.50'));
      await p.identity.secondStep.withCode(
        challengeOf(r).challenge,
        'recovery-code',
        code,
        randomUUID(),
        'en',
      );
    }
    assert.match(
      await (await page(me.session)).text(),
      /Unused recovery codes: <strong data-recovery-left="true">8<\/strong>/,
    );
    const regenerated = await (await form('/me/security/recovery-codes', {}, me.session)).text();
    assert.equal(
      [...regenerated.matchAll(/<input type="hidden" name="code" value="[A-Z2-7-]{11}"/g)].length,
      10,
      'new codes, shown once',
    );

    const removed = await form('/me/security/totp/remove', { confirm: '1' }, me.session);
    assert.equal(removed.headers.get('location'), '/me/security?notice=removed-last');
    assert.match(
      await (await page(me.session, '/me/security?notice=removed-last')).text(),
      /unusual sign-ins are confirmed by an SMS code to your phone, and your recovery codes were deleted/,
    );
  });
});

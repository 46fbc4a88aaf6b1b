/**
 * Invariant (P8.3, P7.3): a signed-in person changes their password with the current one,
 * or with a fresh proof instead (SMS or app code); the new one passes the password policy;
 * a wrong current password counts like a wrong proof (the 5th ends the session) and
 * changes nothing; success ends every OTHER session, is audited and is told to the person.
 * Refusals come back in the person's language, passwords never typed back into the page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalSmsGateway } from '../../../dev/sms.ts';
import { registerCitizen, type Citizen } from '../../../../test/support/citizens.ts';
import { idNumberFor } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { visibleTexts } from '../../../../test/support/visible-text.ts';

let p: TestPlatform;
const OLD = 'a test password';
const NEW = 'plum tree at dusk';

const form = (path: string, body: Record<string, string>, cookie: string, lang = 'en') =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: `${cookie}; civitas_lang=${lang}`,
    },
    body: new URLSearchParams(body).toString(),
  });
const stale = (me: Citizen) =>
  p.storage.db.query(
    `UPDATE citizen_session SET proved_at = now() - interval '10 minutes' WHERE subject_id = $1`,
    [me.subjectId],
  );
/** A password sign-in from the browser that registered (a known device: no second step). */
const signIn = async (phone: string, password: string, device = '') => {
  const res = await fetch(`${p.url}/api/identity/login/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: device },
    body: JSON.stringify({ phone, password }),
  });
  return {
    status: res.status,
    cookie: res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
  };
};
const signedIn = async (cookie: string) =>
  (await fetch(`${p.url}/me/security`, { redirect: 'manual', headers: { cookie } })).status === 200;

describe('changing the password while signed in', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
  });
  after(() => p.stop());

  test('P8.3 with the current password: other sessions end, this one stays, the person is told and it is audited', async () => {
    const me = await registerCitizen(p, '13900001441', idNumberFor(441));
    const device = me.cookie.split('; ').find((c) => c.startsWith('civitas_device='))!;
    const other = await signIn(me.phone, OLD, device);
    assert.equal(other.status, 200);
    assert.ok(await signedIn(other.cookie));
    await stale(me);

    const page = await fetch(`${p.url}/me/password`, {
      headers: { cookie: `${me.cookie}; civitas_lang=en` },
    });
    assert.match(visibleTexts(await page.text()).join(' | '), /Current password \| New password/);

    const res = await form('/me/password', { current: OLD, password: NEW }, me.cookie);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/me?notice=password');
    const shown = await fetch(`${p.url}/me?notice=password`, {
      headers: { cookie: `${me.cookie}; civitas_lang=en` },
    });
    assert.match(await shown.text(), /Your password was changed. Every other device was signed out./);

    assert.ok(await signedIn(me.cookie), 'this session stays');
    assert.ok(!(await signedIn(other.cookie)), 'the other session ended');
    assert.equal((await signIn(me.phone, OLD)).status, 401, 'the old password no longer signs in');
    assert.equal((await signIn(me.phone, NEW)).status, 200, 'the new one does');

    await p.notify.drainOutbox();
    const told = (p.sms as LocalSmsGateway).sent.filter(
      (m) => m.to === me.phone && m.template === 'security-change',
    );
    assert.deepEqual(
      told.map((m) => (m.params as { change: string }).change),
      ['password-changed'],
    );
    const { rows } = await p.storage.db.query(
      `SELECT 1 FROM audit_entry WHERE action = 'identity.password_changed' AND subject_id = $1`,
      [me.subjectId],
    );
    assert.equal(rows.length, 1);
  });

  test('P8.3 refusals in the person’s language keep no password; a weak or common one is refused', async () => {
    const me = await registerCitizen(p, '13900001442', idNumberFor(442));
    await stale(me);
    let res = await form('/me/password', { current: OLD, password: 'short' }, me.cookie, 'cs');
    assert.equal(res.status, 400);
    let html = await res.text();
    assert.match(html, /<a href="#password">/);
    assert.ok(!html.includes(OLD) && !html.includes('value="short"'), 'no password typed back');
    assert.match(html, /<html lang="cs"/);

    res = await form('/me/password', { current: OLD, password: 'password123' }, me.cookie, 'zh-CN');
    assert.equal(res.status, 400);
    html = await res.text();
    assert.match(html, /<a href="#password">[^<]*常见[^<]*<\/a>/);

    res = await form('/me/password', { password: NEW }, me.cookie);
    assert.equal(res.status, 400);
    assert.match(
      await res.text(),
      /<a href="#current">Enter your current password, or confirm it is you another way first<\/a>/,
    );
    assert.equal((await signIn(me.phone, OLD)).status, 200, 'nothing changed');
  });

  test('P8.3 wrong current passwords count like wrong proofs: the fifth ends the session', async () => {
    const me = await registerCitizen(p, '13900001443', idNumberFor(443));
    await stale(me);
    for (let i = 0; i < 4; i++) {
      const r = await form('/me/password', { current: `guess ${i}`, password: NEW }, me.cookie);
      assert.equal(r.status, 400);
      assert.match(await r.text(), /<a href="#current">That password or code is not correct<\/a>/);
    }
    const last = await form('/me/password', { current: 'guess 4', password: NEW }, me.cookie);
    assert.equal(last.status, 303);
    assert.equal(last.headers.get('location'), '/login');
    assert.ok(!(await signedIn(me.cookie)), 'the session has ended');
    assert.equal((await signIn(me.phone, OLD)).status, 200, 'the password is unchanged');
  });

  test('P8.3 a forgotten current password: an SMS code instead, then the new password alone', async () => {
    const me = await registerCitizen(p, '13900001444', idNumberFor(444));
    await stale(me);
    await form('/me/password/step-up', { reauth: 'send' }, me.cookie);
    const code = (p.sms as LocalSmsGateway).lastCode(me.phone)!;
    const proved = await form('/me/password/step-up', { reauth: '1', sms: code }, me.cookie);
    assert.equal(proved.headers.get('location'), '/me/password');
    const res = await form('/me/password', { password: NEW }, me.cookie);
    assert.equal(res.status, 303);
    assert.equal((await signIn(me.phone, NEW)).status, 200);
  });
});

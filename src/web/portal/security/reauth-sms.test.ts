/**
 * Invariant (P8.3): before a sensitive change the person may prove it is them with a
 * one-time code sent by SMS to their verified phone, instead of the password or an app
 * code; the page says which change the proof is for; a wrong code counts like a wrong
 * password (audited) and changes nothing; the codes are limited like the sign-in codes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalSmsGateway } from '../../../dev/sms.ts';
import { registerCitizen, type Citizen } from '../../../../test/support/citizens.ts';
import { idNumberFor } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { visibleTexts } from '../../../../test/support/visible-text.ts';

let p: TestPlatform;

const form = (path: string, body: Record<string, string>, me: Citizen, lang = 'en') =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: `${me.cookie}; civitas_lang=${lang}`,
    },
    body: new URLSearchParams(body).toString(),
  });
const stale = (me: Citizen) =>
  p.storage.db.query(
    `UPDATE citizen_session SET proved_at = now() - interval '10 minutes' WHERE subject_id = $1`,
    [me.subjectId],
  );
const sms = () => p.sms as LocalSmsGateway;
const audited = async (me: Citizen, action: string) =>
  (
    await p.storage.db.query<{ detail: { by: string }; clause: string }>(
      `SELECT detail, clause FROM audit_entry WHERE action = $1 AND subject_id = $2 ORDER BY seq`,
      [action, me.subjectId],
    )
  ).rows;

describe('step-up by SMS code', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
  });
  after(() => p.stop());

  test('P8.3 the reauth page names the change and offers a code by SMS; the code proves it', async () => {
    const me = await registerCitizen(p, '13900001431', idNumberFor(431));
    await stale(me);
    const asked = await form('/me/security/recovery-codes', {}, me);
    assert.equal(asked.status, 200);
    const text = visibleTexts(await asked.text()).join(' | ');
    assert.match(text, /Confirm it is you \| Needed for: \| making new recovery codes/);
    assert.match(text, /Or get a one-time code by SMS to \| 139\*\*\*\*1431 \| Send me a code/);

    const zh = visibleTexts(
      await (await form('/me/phone', { phone: '13900001439' }, me, 'zh-CN')).text(),
    ).join(' | ');
    assert.match(zh, /需要确认的操作： \| 更换手机号码/, 'in the person’s language, naming the change');

    const before = sms().sent.length;
    const sent = await form('/me/password/step-up', { reauth: 'send' }, me);
    assert.equal(sent.status, 200);
    assert.match(visibleTexts(await sent.text()).join(' | '), /Code from the SMS \| Sent to 139\*\*\*\*1431/);
    const code = sms().lastCode(me.phone)!;
    assert.equal(sms().sent.length, before + 1);
    assert.equal(sms().sent.at(-1)!.to, me.phone, 'to the verified phone');

    const wrong = await form(
      '/me/password/step-up',
      { reauth: '1', sms: code === '000000' ? '111111' : '000000' },
      me,
    );
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /<a href="#reauth-sms">That password or code is not correct<\/a>/);

    const again = await form('/me/password/step-up', { reauth: 'send' }, me);
    assert.match(
      await again.text(),
      /A code was sent recently, or too many were asked for/,
      'one code a minute, like the sign-in codes',
    );

    const ok = await form('/me/password/step-up', { reauth: '1', sms: code }, me);
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/me/password');
    const page = await fetch(`${p.url}/me/password`, {
      headers: { cookie: `${me.cookie}; civitas_lang=en` },
    });
    assert.match(
      visibleTexts(await page.text()).join(' | '),
      /You confirmed it is you a moment ago, so your current password is not needed/,
      'the session is fresh once the SMS code was typed',
    );
    assert.deepEqual(
      (await audited(me, 'identity.reauthentication_failed')).map((r) => [r.detail.by, r.clause]),
      [['sms', 'P8.3']],
    );
    assert.deepEqual(
      (await audited(me, 'identity.reauthenticated')).map((r) => [r.detail.by, r.clause]),
      [['sms', 'P8.3']],
    );
  });

  test('P8.3 an SMS code sent for a fresh proof does not sign anybody in', async () => {
    const me = await registerCitizen(p, '13900001432', idNumberFor(432));
    await stale(me);
    await form('/me/password/step-up', { reauth: 'send' }, me);
    const code = sms().lastCode(me.phone)!;
    const res = await fetch(`${p.url}/api/identity/login/code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: me.phone, code }),
    });
    assert.equal(res.status, 400, 'a reauth code is no sign-in code');
  });
});

/**
 * Invariant (P7.3, P4 risk checks on login, P2.2.1): a sign-in that looks risky (new
 * device, repeated wrong passwords, or, only when the person shared a place, an unusual
 * place or hour) opens no session until a second step passes; the step is a short-lived,
 * single-use, attempt-capped challenge; every risky or new-device sign-in sends a login
 * alert without personal data; a known device with no other signal signs straight in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { client, cookieOf, type SecondStepAnswer } from '../../../test/support/citizen.ts';

let p: TestPlatform;
let c: ReturnType<typeof client>;

const audit = async (subjectId: string) =>
  (
    await p.storage.db.query<{ action: string; detail: Record<string, unknown> }>(
      `SELECT action, detail FROM audit_entry WHERE subject_id = $1 AND action LIKE 'identity.%' ORDER BY id`,
      [subjectId],
    )
  ).rows;

/** Passes a pending step by the SMS code sent to the verified phone. */
async function passBySms(phone: string, challenge: string, cookie?: string) {
  assert.equal((await c.post('/api/identity/second-step/sms', { challenge }, cookie)).status, 202);
  return c.post(
    '/api/identity/second-step/code',
    { challenge, method: 'sms', code: c.sms().lastCode(phone) },
    cookie,
  );
}

describe('risk checks at sign-in', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    c = client(p);
  });
  after(() => p.stop());

  test('P7.3 a sign-in from a new device must pass a second step and sends a login alert', async () => {
    const me = await c.register('13600000001', 1);
    const alertsBefore = c.sms().sent.filter((m) => m.template === 'login-alert').length;

    const res = await c.login(me.phone, { device: undefined });
    assert.equal(res.status, 200);
    const { secondStep } = (await res.json()) as SecondStepAnswer;
    assert.deepEqual([secondStep.methods, secondStep.reasons], [['sms'], ['new-device']]);
    assert.equal(cookieOf(res, 'civitas_session'), undefined, 'no session before the second step');
    const newDevice = cookieOf(res, 'civitas_device')!;
    assert.ok(newDevice, 'the new browser gets its own device cookie');

    const done = await passBySms(me.phone, secondStep.challenge, newDevice);
    assert.equal(done.status, 200, await done.clone().text());
    assert.deepEqual(await done.json(), { subjectId: me.subjectId });
    const session = cookieOf(done, 'civitas_session')!;

    await p.notify.drainOutbox();
    const alerts = c.sms().sent.filter((m) => m.template === 'login-alert');
    assert.equal(alerts.length, alertsBefore + 1, 'one login alert by SMS');
    const alert = alerts.at(-1)!;
    assert.equal(alert.to, me.phone, 'to the verified phone');
    assert.deepEqual(Object.keys(alert.params).sort(), ['device', 'time']);
    assert.match(JSON.stringify(alert.params), /^\{"time":"\d{4}-\d\d-\d\d \d\d:\d\d","device":"[^"]+"\}$/);

    const page = await (
      await fetch(`${p.url}/me/security`, { headers: { cookie: session, 'accept-language': 'en' } })
    ).text();
    assert.match(page, /Recent sign-in alerts/);
    assert.match(page, /you have not signed in from this browser before/);
    assert.match(page, /<td>SMS code<\/td>/, 'the alert says how the sign-in was confirmed');

    // The same browser is now known: no step, no alert.
    const again = await c.login(me.phone, { device: newDevice });
    assert.ok(cookieOf(again, 'civitas_session'), 'a known device with no other signal signs straight in');
    await p.notify.drainOutbox();
    assert.equal(c.sms().sent.filter((m) => m.template === 'login-alert').length, alertsBefore + 1);

    const actions = (await audit(me.subjectId)).map((e) => e.action);
    assert.deepEqual(actions.slice(-4), [
      'identity.second_step_required',
      'identity.login',
      'identity.login_alert',
      'identity.login',
    ]);
    const logged = await audit(me.subjectId);
    assert.equal(JSON.stringify(logged).includes(me.phone), false, 'no phone number in the audit log');
    // Audit details hold identifiers and codes only: the session, challenge and alert, no device label.
    for (const e of logged) assert.equal('device' in e.detail, false, `${e.action} names no device`);
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const last = (action: string) => logged.findLast((e) => e.action === action)!.detail;
    assert.match(String(last('identity.login').session), uuid);
    assert.match(String(last('identity.second_step_required').challenge), uuid);
    assert.match(String(last('identity.login_alert').alertId), uuid);
  });

  test('P4 P7.3 three wrong passwords since the last sign-in make even a known device pass a second step', async () => {
    const me = await c.register('13600000002', 2);
    for (let i = 0; i < 2; i++)
      assert.equal((await c.login(me.phone, { device: me.device, password: 'nope' })).status, 401);
    const two = await c.login(me.phone, { device: me.device });
    assert.ok(cookieOf(two, 'civitas_session'), 'two failures are not yet a signal');

    for (let i = 0; i < 3; i++)
      assert.equal((await c.login(me.phone, { device: me.device, password: 'nope' })).status, 401);
    const res = await c.login(me.phone, { device: me.device });
    const { secondStep } = (await res.json()) as SecondStepAnswer;
    assert.deepEqual(secondStep.reasons, ['recent-failures']);
    assert.equal((await passBySms(me.phone, secondStep.challenge, me.device)).status, 200);
    const after = await c.login(me.phone, { device: me.device });
    assert.ok(cookieOf(after, 'civitas_session'), 'the passed step reset the failure count');
  });

  test('P2.2.1 P7.3 place and hour are judged only when the person shares a place for the sign-in', async () => {
    const me = await c.register('13600000003', 3);
    for (let i = 0; i < 10; i++) {
      const r = await c.login(me.phone, { device: me.device, place: 'Beijing' });
      assert.ok(cookieOf(r, 'civitas_session'));
    }
    // Their history: ten sign-ins from Beijing, all twelve hours away from now.
    await p.storage.db.query(
      `UPDATE citizen_session SET created_at = created_at - interval '12 hours' WHERE subject_id = $1`,
      [me.subjectId],
    );
    const { rows } = await p.storage.db.query<{ place_token: Buffer | null }>(
      'SELECT place_token FROM citizen_session WHERE subject_id = $1 AND place_token IS NOT NULL',
      [me.subjectId],
    );
    assert.equal(rows.length, 10);
    assert.ok(rows.every((r) => !r.place_token!.toString('latin1').toLowerCase().includes('beijing')));
    assert.equal(
      new Set(rows.map((r) => r.place_token!.toString('hex'))).size,
      1,
      'one place, one fingerprint',
    );

    const reasonsFor = async (place?: string) => {
      const r = await c.login(me.phone, { device: me.device, ...(place ? { place } : {}) });
      const body = (await r.json()) as Partial<SecondStepAnswer>;
      return body.secondStep?.reasons ?? [];
    };
    assert.deepEqual(await reasonsFor(' beijing '), ['unusual-time'], 'same place, unusual hour');
    assert.deepEqual(await reasonsFor('Shanghai'), ['unusual-place', 'unusual-time']);
    assert.deepEqual(
      await reasonsFor('110105'),
      ['unusual-place', 'unusual-time'],
      'a region code is a place too',
    );
    assert.deepEqual(await reasonsFor(), [], 'no place shared: neither place nor hour is judged');
  });

  test('P7.3 a second-step challenge caps wrong answers, expires, and is used once', async () => {
    const me = await c.register('13600000004', 4);
    const begin = async () =>
      ((await (await c.login(me.phone)).json()) as SecondStepAnswer).secondStep.challenge;

    const capped = await begin();
    assert.equal((await c.post('/api/identity/second-step/sms', { challenge: capped })).status, 202);
    const right = c.sms().lastCode(me.phone)!;
    const wrong = right === '000000' ? '111111' : '000000';
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await c.post('/api/identity/second-step/code', {
        challenge: capped,
        method: 'sms',
        code: wrong,
      });
      codes.push(((await r.json()) as { code: string }).code);
    }
    assert.deepEqual(codes, [...Array(4).fill('identity.code_invalid'), 'identity.second_step_locked']);
    const late = await c.post('/api/identity/second-step/code', {
      challenge: capped,
      method: 'sms',
      code: right,
    });
    assert.equal(late.status, 429, 'the right code no longer works after five wrong answers');
    // Five wrong answers also slow the whole account down (attempts.test.ts); an hour later:
    await p.storage.db.query('DELETE FROM rate_limit');

    const old = await begin();
    await p.storage.db.query(
      `UPDATE sign_in_challenge SET expires_at = now() - interval '1 second' WHERE subject_id = $1`,
      [me.subjectId],
    );
    const expired = await c.post('/api/identity/second-step/sms', { challenge: old });
    assert.equal(((await expired.json()) as { code: string }).code, 'identity.second_step_expired');

    const once = await begin();
    assert.equal((await passBySms(me.phone, once)).status, 200);
    const reused = await c.post('/api/identity/second-step/code', {
      challenge: once,
      method: 'sms',
      code: c.sms().lastCode(me.phone),
    });
    assert.equal(((await reused.json()) as { code: string }).code, 'identity.second_step_expired');

    const refused = await c.post('/api/identity/second-step/code', {
      challenge: await begin(),
      method: 'totp',
      code: '123456',
    });
    assert.equal(
      ((await refused.json()) as { code: string }).code,
      'identity.second_step_method',
      'no TOTP on this account',
    );
    const failures = (await audit(me.subjectId)).filter((e) => e.action === 'identity.second_step_failed');
    assert.equal(failures.length, 5, 'every wrong answer is audited');
    // Recorded along sign-in.lifecycle.ts: the capped one locked, the used one passed.
    const { rows } = await p.storage.db.query<{ state: string }>(
      `SELECT state FROM sign_in_challenge WHERE subject_id = $1 AND state <> 'pending' ORDER BY created_at`,
      [me.subjectId],
    );
    assert.deepEqual(
      rows.map((r) => r.state),
      ['locked', 'passed'],
    );
  });

  test('P7.3 the second-step pages: a new browser is sent to confirm by SMS, then lands where it was going', async () => {
    const me = await c.register('13600000005', 5);
    const form = (path: string, body: Record<string, string>, cookie = '') =>
      fetch(`${p.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'accept-language': 'en' },
        body: new URLSearchParams(body).toString(),
        redirect: 'manual',
      });
    const login = await form('/login?next=%2Fme%2Fconsents', { phone: me.phone, password: 'correct horse' });
    assert.equal(login.status, 303);
    assert.equal(login.headers.get('location'), '/login/second-step?next=%2Fme%2Fconsents');
    const cookie = [cookieOf(login, 'civitas_step'), cookieOf(login, 'civitas_device')].join('; ');
    const page = await (
      await fetch(`${p.url}/login/second-step?next=%2Fme%2Fconsents`, {
        headers: { cookie, 'accept-language': 'en' },
      })
    ).text();
    assert.match(page, /<h1>Confirm it is you<\/h1>/);
    assert.match(page, /<li>you have not signed in from this browser before<\/li>/);
    const sent = await (await form('/login/second-step/send?next=%2Fme%2Fconsents', {}, cookie)).text();
    assert.match(sent, /<label for="code-sms">SMS code<\/label>/);
    const wrong = await form(
      '/login/second-step?next=%2Fme%2Fconsents',
      { method: 'sms', code: '12' },
      cookie,
    );
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /<a href="#code-[a-z-]+">The code is wrong or has expired<\/a>/);
    const ok = await form(
      '/login/second-step?next=%2Fme%2Fconsents',
      { method: 'sms', code: c.sms().lastCode(me.phone)! },
      cookie,
    );
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/me/consents');
    assert.ok(cookieOf(ok, 'civitas_session'));
  });
});

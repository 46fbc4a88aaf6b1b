/**
 * Invariant (P7.3, P4 risk checks on login, P2.2.1): a sign-in that looks risky (new
 * device, repeated wrong passwords, or, only when the person shared a place, an unusual
 * place or hour) opens no session until a second step passes; the step is a short-lived,
 * single-use, attempt-capped challenge; every risky or new-device sign-in sends a login
 * alert without personal data; a known device with no other signal signs straight in.
 *
 * The identity service composed without HTTP; the cookies and pages of the same steps are
 * src/web/api/identity.api.test.ts, src/web/portal/second-step/second-step.test.ts and
 * src/web/portal/security/security.test.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { LocalSmsGateway } from '../../dev/sms.ts';
import { PASSWORD } from '../../../test/support/citizen.ts';
import { compose, type Composed } from '../../../test/support/compose.ts';
import {
  challengeOf,
  from,
  newDevice,
  refusal,
  registerFrom,
  statusOf,
} from '../../../test/support/sign-in.ts';

let c: Composed<'identity' | 'sms' | 'notify'>;
const sms = () => c.sms as LocalSmsGateway;
const step = () => c.identity.secondStep;
const login = (phone: string, opts: { device?: string; place?: string; password?: string } = {}) =>
  c.identity.loginWithPassword(
    phone,
    opts.password ?? PASSWORD,
    from('192.0.2.30', opts.device, opts.place ? { place: opts.place } : {}),
  );

const audit = async (subjectId: string) =>
  (
    await c.db.query<{ action: string; detail: Record<string, unknown> }>(
      `SELECT action, detail FROM audit_entry WHERE subject_id = $1 AND action LIKE 'identity.%' ORDER BY id`,
      [subjectId],
    )
  ).rows;

/** Passes a pending step by the SMS code sent to the verified phone. */
async function passBySms(phone: string, challenge: string) {
  await step().sendSms(challenge, 'zh-CN', randomUUID());
  return step().withCode(challenge, 'sms', sms().lastCode(phone)!, randomUUID(), 'zh-CN');
}

describe('risk checks at sign-in', () => {
  before(async () => {
    c = await compose(['identity', 'sms', 'notify']);
  });
  after(() => c.close());

  test('P7.3 a sign-in from a new device must pass a second step and sends a login alert', async () => {
    const me = await registerFrom(c, '13600000001', 1);
    const alertsBefore = sms().sent.filter((m) => m.template === 'login-alert').length;

    const browser = newDevice();
    const ch = challengeOf(await login(me.phone, { device: browser }));
    assert.deepEqual([ch.methods, ch.reasons], [['sms'], ['new-device']]);
    // No session before the second step: a challenge is all the sign-in gave.

    const done = await passBySms(me.phone, ch.challenge);
    assert.deepEqual(done.kind === 'session' && done.subjectId, me.subjectId, 'signed in, as the person');

    await c.notify.drainOutbox();
    const alerts = sms().sent.filter((m) => m.template === 'login-alert');
    assert.equal(alerts.length, alertsBefore + 1, 'one login alert by SMS');
    const alert = alerts.at(-1)!;
    assert.equal(alert.to, me.phone, 'to the verified phone');
    assert.deepEqual(Object.keys(alert.params).sort(), ['device', 'time']);
    assert.match(JSON.stringify(alert.params), /^\{"time":"\d{4}-\d\d-\d\d \d\d:\d\d","device":"[^"]+"\}$/);
    const listed = await c.identity.loginAlerts(me.subjectId);
    assert.ok(
      listed.some((a) => a.reasons.includes('new-device')),
      'listed with the person’s alerts',
    );

    // The same browser is now known: no step, no alert.
    const again = await login(me.phone, { device: browser });
    assert.equal(again.kind, 'session', 'a known device with no other signal signs straight in');
    await c.notify.drainOutbox();
    assert.equal(sms().sent.filter((m) => m.template === 'login-alert').length, alertsBefore + 1);

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
    const me = await registerFrom(c, '13600000002', 2);
    for (let i = 0; i < 2; i++)
      assert.equal(await statusOf(login(me.phone, { device: me.device, password: 'nope' })), 401);
    const two = await login(me.phone, { device: me.device });
    assert.equal(two.kind, 'session', 'two failures are not yet a signal');

    for (let i = 0; i < 3; i++)
      assert.equal(await statusOf(login(me.phone, { device: me.device, password: 'nope' })), 401);
    const ch = challengeOf(await login(me.phone, { device: me.device }));
    assert.deepEqual(ch.reasons, ['recent-failures']);
    assert.equal((await passBySms(me.phone, ch.challenge)).kind, 'session');
    const after = await login(me.phone, { device: me.device });
    assert.equal(after.kind, 'session', 'the passed step reset the failure count');
  });

  test('P2.2.1 P7.3 place and hour are judged only when the person shares a place for the sign-in', async () => {
    const me = await registerFrom(c, '13600000003', 3);
    for (let i = 0; i < 10; i++)
      assert.equal((await login(me.phone, { device: me.device, place: 'Beijing' })).kind, 'session');
    // Their history: ten sign-ins from Beijing, all twelve hours away from now.
    await c.db.query(
      `UPDATE citizen_session SET created_at = created_at - interval '12 hours' WHERE subject_id = $1`,
      [me.subjectId],
    );
    const { rows } = await c.db.query<{ place_token: Buffer | null }>(
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
      const r = await login(me.phone, { device: me.device, ...(place ? { place } : {}) });
      return r.kind === 'second-step' ? r.reasons : [];
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
    const me = await registerFrom(c, '13600000004', 4);
    const begin = async () => challengeOf(await login(me.phone)).challenge;
    const answer = (challenge: string, method: 'sms' | 'totp', code: string) =>
      step().withCode(challenge, method, code, randomUUID(), 'zh-CN');

    const capped = await begin();
    await step().sendSms(capped, 'zh-CN', randomUUID());
    const right = sms().lastCode(me.phone)!;
    const wrong = right === '000000' ? '111111' : '000000';
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push((await refusal(answer(capped, 'sms', wrong))).code);
    assert.deepEqual(codes, [...Array(4).fill('identity.code_invalid'), 'identity.second_step_locked']);
    const late = await refusal(answer(capped, 'sms', right));
    assert.equal(late.status, 429, 'the right code no longer works after five wrong answers');
    // Five wrong answers also slow the whole account down (attempts.test.ts); an hour later:
    await c.db.query('DELETE FROM rate_limit');

    const old = await begin();
    await c.db.query(
      `UPDATE sign_in_challenge SET expires_at = now() - interval '1 second' WHERE subject_id = $1`,
      [me.subjectId],
    );
    const expired = await refusal(step().sendSms(old, 'zh-CN', randomUUID()));
    assert.equal(expired.code, 'identity.second_step_expired');

    const once = await begin();
    assert.equal((await passBySms(me.phone, once)).kind, 'session');
    const reused = await refusal(answer(once, 'sms', sms().lastCode(me.phone)!));
    assert.equal(reused.code, 'identity.second_step_expired');

    const refused = await refusal(answer(await begin(), 'totp', '123456'));
    assert.equal(refused.code, 'identity.second_step_method', 'no TOTP on this account');
    const failures = (await audit(me.subjectId)).filter((e) => e.action === 'identity.second_step_failed');
    assert.equal(failures.length, 5, 'every wrong answer is audited');
    // Recorded along sign-in.lifecycle.ts: the capped one locked, the used one passed.
    const { rows } = await c.db.query<{ state: string }>(
      `SELECT state FROM sign_in_challenge WHERE subject_id = $1 AND state <> 'pending' ORDER BY created_at`,
      [me.subjectId],
    );
    assert.deepEqual(
      rows.map((r) => r.state),
      ['locked', 'passed'],
    );
  });
});

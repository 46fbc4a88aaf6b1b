/**
 * Invariant (P2.1, P7.3): what the identity API answers a caller: registration signs in with a
 * session cookie of 12 hours (HttpOnly, SameSite=Lax) that opens the person's own pages; a
 * sign-in from a browser never seen gets its own device cookie and no session before its
 * second step; refusals are problem+json with their stable code; the lock-out answer,
 * headers included, is the same for a registered and an unregistered number.
 *
 * The rules behind the answers are the identity service's (src/modules/signin/*.test.ts).
 * Sources are told apart by X-Forwarded-For, with this test as the one trusted proxy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalSmsGateway } from '../../dev/sms.ts';
import { client, cookieOf, PASSWORD, type SecondStepAnswer } from '../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';

let p: TestPlatform;
let c: ReturnType<typeof client>;
const sms = () => p.sms as LocalSmsGateway;
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const codeFor = async (phone: string, purpose: 'register' | 'reset' | 'login') => {
  assert.equal((await post('/api/identity/codes', { phone, purpose })).status, 202);
  return sms().lastCode(phone)!;
};

describe('identity API answers', () => {
  before(async () => {
    p = await startTestPlatform({ TRUST_PROXY: '127.0.0.1', SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    c = client(p);
  });
  after(() => p.stop());

  test('P2.1 registration answers 201 with a session cookie that opens the person’s own pages', async () => {
    const phone = '13512340001';
    const res = await post('/api/identity/register', {
      phone,
      code: await codeFor(phone, 'register'),
      password: PASSWORD,
      name: '刘洋',
      idNumber: '11010519491231002X',
    });
    assert.equal(res.status, 201, await res.clone().text());
    assert.match(
      res.headers.getSetCookie().find((x) => x.startsWith('civitas_session=')) ?? '',
      /^civitas_session=[^;]+; Max-Age=43200; Path=\/; HttpOnly; SameSite=Lax/,
    );
    const cookie = cookieOf(res, 'civitas_session')!;
    const page = await fetch(`${p.url}/me/access`, { headers: { cookie }, redirect: 'manual' });
    assert.equal(page.status, 200, 'the session opens the person’s own pages');
  });

  test('P7.3 a password reset to a common password answers problem+json with its code', async () => {
    const phone = '13900000021';
    await c.register(phone, 721);
    const res = await post('/api/identity/password/reset', {
      phone,
      code: await codeFor(phone, 'reset'),
      password: 'Password1',
    });
    assert.equal(res.status, 400);
    assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(((await res.json()) as { code: string }).code, 'identity.common_password');
  });

  test('P7.3 a sign-in from a new browser gets its own device cookie and no session before the second step', async () => {
    const me = await c.register('13600000001', 1);
    const res = await c.login(me.phone, { device: undefined });
    assert.equal(res.status, 200);
    const { secondStep } = (await res.json()) as SecondStepAnswer;
    assert.deepEqual([secondStep.methods, secondStep.reasons], [['sms'], ['new-device']]);
    assert.equal(cookieOf(res, 'civitas_session'), undefined, 'no session before the second step');
    const newDevice = cookieOf(res, 'civitas_device')!;
    assert.ok(newDevice, 'the new browser gets its own device cookie');
    assert.equal(
      (await c.post('/api/identity/second-step/sms', { challenge: secondStep.challenge }, newDevice)).status,
      202,
    );
    const done = await c.post(
      '/api/identity/second-step/code',
      { challenge: secondStep.challenge, method: 'sms', code: sms().lastCode(me.phone) },
      newDevice,
    );
    assert.equal(done.status, 200, await done.clone().text());
    assert.deepEqual(await done.json(), { subjectId: me.subjectId });
    assert.ok(cookieOf(done, 'civitas_session'));
  });

  test('P7.3 the lock-out answer, headers included, is the same for a registered and an unregistered number', async () => {
    const owner = await c.register('13700000003', 703);
    const lockedAnswer = async (phone: string) => {
      const login = (password: string) =>
        post('/api/identity/login/password', { phone, password }, { 'x-forwarded-for': '198.51.100.9' });
      for (let i = 0; i < 5; i++) assert.equal((await login(`guess ${i}`)).status, 401);
      const res = await login('one more');
      const { code, status, title, detail } = (await res.json()) as Record<string, unknown>;
      return {
        httpStatus: res.status,
        retryAfter: res.headers.get('retry-after'),
        code,
        status,
        title,
        detail,
      };
    };
    const registered = await lockedAnswer(owner.phone);
    const unregistered = await lockedAnswer('13700009999');
    assert.deepEqual([registered.httpStatus, registered.code], [423, 'identity.locked']);
    assert.deepEqual(registered, unregistered);
    assert.equal(registered.detail, undefined, 'no retry time');
  });
});

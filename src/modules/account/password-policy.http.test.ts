/**
 * Invariant (P7.3, ASVS 6.2.4): registration and password reset refuse a common or breached
 * password with a clear reason in the person's language; the registration page keeps what
 * was typed, except the password.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalSmsGateway } from '../../dev/sms.ts';
import { idNumberFor, PASSWORD } from '../../../test/support/citizen.ts';
import { registerCitizen } from '../../../test/support/citizens.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';

let p: TestPlatform;
const code = async (phone: string, purpose: 'register' | 'reset') => {
  await fetch(`${p.url}/api/identity/codes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, purpose }),
  });
  return (p.sms as LocalSmsGateway).lastCode(phone)!;
};

describe('common passwords', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
  });
  after(() => p.stop());

  for (const [i, lang, message] of [
    [1, 'en', 'This password is on a list of common or breached passwords; choose another'],
    [2, 'zh-CN', '该密码过于常见或已在泄露事件中出现，请换一个'],
    [3, 'cs', 'Toto heslo je na seznamu běžných nebo uniklých hesel; zvolte jiné'],
  ] as const) {
    test(`P7.3 registration refuses "password" and says why (${lang}), keeping what was typed`, async () => {
      const phone = `1390000000${i}`;
      const page = (path: string, body: Record<string, string>) =>
        fetch(`${p.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': lang },
          body: new URLSearchParams(body).toString(),
        });
      // The pages prove the number by its code first; the details carry that proof.
      const proved = await page('/register/verify', { phone, code: await code(phone, 'register') });
      const proof = /name="proof" value="([^"]+)"/.exec(await proved.text())![1]!;
      const res = await fetch(`${p.url}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': lang },
        body: new URLSearchParams({
          phone,
          proof,
          password: 'password',
          name: '王芳',
          idNumber: idNumberFor(700 + i),
        }).toString(),
      });
      assert.equal(res.status, 400);
      const html = await res.text();
      assert.ok(html.includes(message), 'the reason is said');
      assert.ok(html.includes('value="王芳"'), 'the name is kept');
      assert.ok(html.includes(`value="${idNumberFor(700 + i)}"`), 'the ID number is kept');
      assert.ok(!html.includes('value="password"'), 'the password is not sent back');
    });
  }

  test('P7.3 a password reset to a common password is refused with its code', async () => {
    const phone = '13900000021';
    await registerCitizen(p, phone, idNumberFor(721), { password: PASSWORD });
    const res = await fetch(`${p.url}/api/identity/password/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone, code: await code(phone, 'reset'), password: 'Password1' }),
    });
    assert.equal(res.status, 400);
    assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(((await res.json()) as { code: string }).code, 'identity.common_password');
  });
});

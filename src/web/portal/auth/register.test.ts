/**
 * Invariant (P7.3, ASVS 6.2.4): the registration page refuses in the person's language and
 * keeps what was typed, except the password: a common or breached password says why; a
 * taken ID number says only that no account can be opened with these details.
 *
 * The rules behind these answers are the identity service's (src/modules/signin/attempts.test.ts,
 * src/modules/account/password-policy.test.ts); this file is what a person sees of them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalSmsGateway } from '../../../dev/sms.ts';
import { client, idNumberFor } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';

let p: TestPlatform;
const code = async (phone: string) => {
  await fetch(`${p.url}/api/identity/codes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, purpose: 'register' }),
  });
  return (p.sms as LocalSmsGateway).lastCode(phone)!;
};
const form = (path: string, lang: string, body: Record<string, string>) =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': lang },
    body: new URLSearchParams(body).toString(),
  });
/** The pages prove the number by its code first (step 2); the details carry that proof. */
const registerPage = async (lang: string, fields: Record<string, string>) => {
  const proved = await form('/register/verify', lang, {
    phone: fields.phone!,
    code: await code(fields.phone!),
  });
  const proof = /name="proof" value="([^"]+)"/.exec(await proved.text())![1]!;
  return form('/register', lang, { ...fields, proof });
};

describe('registration page refusals', () => {
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
      const res = await registerPage(lang, {
        phone: `1390000000${i}`,
        password: 'password',
        name: '王芳',
        idNumber: idNumberFor(700 + i),
      });
      assert.equal(res.status, 400);
      const html = await res.text();
      assert.ok(html.includes(message), 'the reason is said');
      assert.ok(html.includes('value="王芳"'), 'the name is kept');
      assert.ok(html.includes(`value="${idNumberFor(700 + i)}"`), 'the ID number is kept');
      assert.ok(!html.includes('value="password"'), 'the password is not sent back');
    });
  }

  test('P7.3 a taken ID number is not named on the registration page, which keeps what was typed', async () => {
    await client(p).register('13700000011', 711);
    const page = await registerPage('en', {
      phone: '13700000014',
      password: 'another password',
      name: '张伟',
      idNumber: idNumberFor(711),
    });
    assert.equal(page.status, 400);
    const html = await page.text();
    assert.match(html, /An account cannot be opened with these details/);
    assert.match(html, /value="13700000014"/);
  });
});

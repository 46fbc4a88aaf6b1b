/**
 * Invariant (P8.1.view): "My account" shows the person, in their language, everything that
 * identifies them — name, ID number and phone only masked (never the whole ID number),
 * e-mail or "none", level and how it was reached, since when — each with where to change
 * it; a signed-out visitor is sent to sign in like on every other /me page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { registerCitizen, type Citizen } from '../../../../test/support/citizens.ts';
import { idNumberFor } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { visibleTexts } from '../../../../test/support/visible-text.ts';
import { seededPeople } from '../../../dev/partner-seed.ts';

let p: TestPlatform;
let me: Citizen;

const get = (path: string, cookie: string, lang = 'en') =>
  fetch(`${p.url}${path}`, { redirect: 'manual', headers: { cookie: `${cookie}; civitas_lang=${lang}` } });
const seen = async (path: string, cookie: string, lang = 'en') =>
  visibleTexts(await (await get(path, cookie, lang)).text()).join(' | ');

describe('my account', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    me = await registerCitizen(p, '13900001401', idNumberFor(401), { name: '李娜', level: 2 });
  });
  after(() => p.stop());

  test('P8.1.view my account shows the masked ID number and phone, e-mail none, level and how, with a link to change each', async () => {
    const res = await get('/me', me.cookie);
    assert.equal(res.status, 200);
    const html = await res.text();
    const text = visibleTexts(html).join(' | ');
    const id = idNumberFor(401);
    assert.ok(!html.includes(id), 'the whole ID number is never on the page');
    assert.ok(!html.includes('13900001401'), 'nor the whole phone number');
    assert.match(text, /Name \| 李娜/);
    assert.match(text, new RegExp(`Resident ID number \\| ${id.slice(0, 4)}\\*{10}${id.slice(-4)}`));
    assert.match(text, /Mobile number \| 139\*\*\*\*1401 \| Change the mobile number/);
    assert.match(text, /E-mail address \| None \| Add an e-mail address/);
    assert.match(text, /Assurance level \| L2 · /);
    assert.match(text, /How it was reached \| L1 · Mobile number confirmed when the account was opened/);
    assert.match(text, /Account since \| \w+ \d+, \d{4}/);
    for (const href of ['/me/phone', '/me/password', '/me/email', '/me/verify', '/me/access', '/me/security'])
      assert.match(html, new RegExp(`<a href="${href}">`), `links to ${href}`);
    assert.match(html, /<p class="my-account"><a href="\/me">My account<\/a>/, 'the header links to it');
  });

  test('P8.1.view my account speaks Chinese and Czech too', async () => {
    assert.match(await seen('/me', me.cookie, 'zh-CN'), /手机号码 \| 139\*\*\*\*1401 \| 更换手机号码/);
    assert.match(
      await seen('/me', me.cookie, 'cs'),
      /Mobilní číslo \| 139\*\*\*\*1401 \| Změnit mobilní číslo/,
    );
  });

  test('P8.1.view the level shows how it was reached, from the verification records', async () => {
    const person = seededPeople[3]!;
    const verified = await registerCitizen(p, '13900001402', person.idNumber, { name: person.name });
    const res = await fetch(`${p.url}/api/me/verification/registry`, {
      method: 'POST',
      headers: { cookie: verified.cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(res.status, 200, await res.clone().text());
    const text = await seen('/me', verified.cookie);
    assert.match(text, /Assurance level \| L2 · name and ID number confirmed by the population registry/);
    assert.match(
      text,
      /How it was reached \| L2 · Name and ID number confirmed by the population registry \(\w+ \d+, \d{4}\) \| L1 · /,
    );
  });

  test('signed out, /me goes to the sign-in page like the other /me pages', async () => {
    const res = await get('/me', '');
    const other = await get('/me/access', '');
    assert.equal(res.status, other.status);
    assert.equal(
      res.headers.get('location'),
      other.headers.get('location')?.replace('%2Fme%2Faccess', '%2Fme'),
    );
    assert.match(res.headers.get('location') ?? '', /^\/login/);
  });
});

/**
 * Invariant: the registration and sign-in forms accept what people type (numbers with +86,
 * spaces, dashes or full-width digits; ID numbers with spaces), refuse with the reason
 * beside the field and in a summary that links to it, keep what was typed, let a spent SMS
 * code be replaced right there, and say that a number has an account only to whoever
 * proved it by its code (before the code, both answers are the same).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalSmsGateway } from '../../../dev/sms.ts';
import { client, idNumberFor } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';

let p: TestPlatform;

const form = (path: string, body: Record<string, string>, lang = 'en') =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': lang },
    body: new URLSearchParams(body).toString(),
  });
const lastCode = (phone: string) => (p.sms as LocalSmsGateway).lastCode(phone)!;
const hidden = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

/** The error pattern: a focused summary linking to the field, the field marked and described. */
function assertFieldError(html: string, field: string, message: string) {
  assert.match(html, /<div class="error-summary" role="alert"[^>]*tabindex="-1"[^>]*autofocus/);
  assert.ok(html.includes(`<a href="#${field}">${message}</a>`), `summary links #${field}: ${message}`);
  assert.ok(html.includes(`<p class="field-error" id="${field}-error">${message}</p>`), 'message beside it');
  const input = new RegExp(`<input id="${field}"[^>]*>`).exec(html)?.[0] ?? '';
  assert.match(input, /aria-invalid="true"/, `${field} is marked invalid`);
  assert.match(input, new RegExp(`aria-describedby="[^"]*${field}-error`), `${field} is described by it`);
}

/** Registers through the three page steps; returns the details step's page. */
async function toDetails(phone: string, typed = phone) {
  const sent = await form('/register/code', { phone: typed });
  assert.equal(sent.status, 200);
  const res = await form('/register/verify', {
    phone: hidden(await sent.text(), 'phone'),
    code: lastCode(phone),
  });
  assert.equal(res.status, 200);
  return res.text();
}

describe('portal forms: input people type, errors tied to fields, SMS codes', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
  });
  after(() => p.stop());

  test('P7.3 after five wrong tries the code is said to be used up, with "send a new code" right there', async () => {
    const me = await client(p).register('13900000501', 501);
    assert.equal((await form('/login/code', { phone: me.phone, send: '1' })).status, 200);
    const right = lastCode(me.phone);
    const wrong = right === '000000' ? '111111' : '000000';
    const first = await (await form('/login/code', { phone: me.phone, code: wrong })).text();
    assertFieldError(first, 'code', 'The code is wrong. Tries left with this code: 4');
    for (let i = 0; i < 4; i++) await form('/login/code', { phone: me.phone, code: wrong });
    const spent = await form('/login/code', { phone: me.phone, code: right });
    assert.equal(spent.status, 400);
    const html = await spent.text();
    assertFieldError(
      html,
      'code',
      'This code can no longer be used: it has expired or was entered wrongly too many times. Send a new code',
    );
    assert.match(
      html,
      /<button type="submit" name="send" value="1" formnovalidate[^>]*>Send a new code<\/button>/,
    );
    // The button sends a new code (within the sending limits), and that one signs in.
    await p.storage.db.query(`UPDATE one_time_code SET created_at = now() - interval '2 minutes'`);
    const again = await form('/login/code', { phone: me.phone, send: '1', code: '' });
    assert.equal(again.status, 200);
    assert.notEqual(lastCode(me.phone), right);
    const signedIn = await form('/login/code', { phone: me.phone, code: lastCode(me.phone) });
    assert.equal(signedIn.status, 303);
  });

  test('P7.3 registering a number with an account is said only after its code, and the step before answers alike', async () => {
    const owner = await client(p).register('13900000502', 502);
    // Its registration code was a minute ago (one code a minute per number and purpose).
    await p.storage.db.query(`UPDATE one_time_code SET created_at = now() - interval '2 minutes'`);
    const taken = await form('/register/code', { phone: owner.phone });
    const fresh = await form('/register/code', { phone: '13900000503' });
    assert.equal(taken.status, fresh.status);
    const same = (html: string, phone: string) => html.replaceAll(phone, 'PHONE');
    assert.equal(same(await taken.text(), owner.phone), same(await fresh.text(), '13900000503'));

    const known = await form('/register/verify', { phone: owner.phone, code: lastCode(owner.phone) });
    assert.equal(known.status, 200);
    const html = await known.text();
    assert.ok(html.includes('This number already has an account.'));
    assert.ok(html.includes('<a href="/login">Sign in</a>'));
    assert.ok(!html.includes('name="idNumber"'), 'no details are asked for');

    const details = await (
      await form('/register/verify', { phone: '13900000503', code: lastCode('13900000503') })
    ).text();
    assert.ok(details.includes('name="idNumber"'));
    assert.match(hidden(details, 'proof'), /^\d+\.[\w-]+$/);
  });

  test('a proof of one number does not register another', async () => {
    const details = await toDetails('13900000504');
    const res = await form('/register', {
      phone: '13900000505',
      proof: hidden(details, 'proof'),
      name: '李娜',
      idNumber: idNumberFor(504),
      password: 'a fine password',
    });
    assert.equal(res.status, 400);
    assertFieldError(
      await res.text(),
      'phone',
      'The confirmation of your mobile number has expired; send a new code to continue',
    );
  });

  test('P2.1 numbers written with +86, spaces, dashes or full-width digits are accepted, in pages and the API', async () => {
    for (const [typed, phone] of [
      ['+86 139 0000 0511', '13900000511'],
      ['0086-139-0000-0512', '13900000512'],
      ['１３９ ０００００ ５１３', '13900000513'],
    ] as const) {
      const sent = await form('/register/code', { phone: typed });
      assert.equal(sent.status, 200, typed);
      assert.equal(hidden(await sent.text(), 'phone'), phone);
    }
    const api = await client(p).post('/api/identity/codes', {
      phone: '+86 139-0000-0514',
      purpose: 'register',
    });
    assert.equal(api.status, 202);
  });

  test('P2.1 an ID number typed with spaces is accepted; a wrong one says which part is wrong, and the form keeps it', async () => {
    const details = await toDetails('13900000521');
    const base = {
      phone: '13900000521',
      proof: hidden(details, 'proof'),
      name: '陈静',
      password: 'a fine password',
    };
    const region = await form('/register', { ...base, idNumber: '990101 19900101 0012' });
    assert.equal(region.status, 400);
    const html = await region.text();
    assertFieldError(html, 'idNumber', 'The first two digits are not a region code of a resident ID number');
    assert.ok(html.includes('value="990101 19900101 0012"'), 'what was typed is kept');
    assert.ok(html.includes('value="陈静"'));

    const cs = await form('/register', { ...base, idNumber: '1101011990010100' }, 'cs');
    assertFieldError(
      await cs.text(),
      'idNumber',
      'Číslo průkazu má 18 znaků: 17 číslic a na konci číslici nebo X',
    );
    const zh = await form('/register', { ...base, idNumber: '110101199002300011' }, 'zh-CN');
    assertFieldError(await zh.text(), 'idNumber', '第 7 至 14 位不是真实的出生日期（年、月、日）');

    const id = idNumberFor(521);
    const spaced = `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`;
    const ok = await form('/register', { ...base, idNumber: spaced });
    assert.equal(ok.status, 303);
  });

  test('P2.1 markup and emoji are refused as a legal name with the reason; a minority name with its middle dot is accepted', async () => {
    const details = await toDetails('13900000531');
    const base = {
      phone: '13900000531',
      proof: hidden(details, 'proof'),
      idNumber: idNumberFor(531),
      password: 'a fine password',
    };
    for (const name of ['<b>王芳</b>', '王芳😀']) {
      const res = await form('/register', { ...base, name });
      assert.equal(res.status, 400, name);
      assertFieldError(
        await res.text(),
        'name',
        'A name can have letters of any script, the middle dot · and single spaces or hyphens between them, but no digits, symbols or emoji',
      );
    }
    const ok = await form('/register', { ...base, name: '买买提・艾力' });
    assert.equal(ok.status, 303);
  });

  test('a wrong password is tied to the password field, and the number typed is kept', async () => {
    const res = await form('/login', { phone: '139 0000 0501', password: 'not it' });
    assert.equal(res.status, 401);
    const html = await res.text();
    assertFieldError(html, 'password', 'The number or password is not correct');
    assert.ok(html.includes('value="139 0000 0501"'));
  });
});

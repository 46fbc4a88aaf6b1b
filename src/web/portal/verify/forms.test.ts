/**
 * Invariant: a refused verification step keeps what the person typed (the bank card
 * number and phone too) and ties the refusal to its field: a focused summary linking to
 * it, the field marked `aria-invalid` and described by its message.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { registerCitizen, type Citizen } from '../../../../test/support/citizens.ts';
import { idNumberFor } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';

let p: TestPlatform;
let me: Citizen;

const form = (path: string, body: Record<string, string>) =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: `${me.cookie}; civitas_lang=en`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(body).toString(),
  });

function assertFieldError(html: string, field: string, message: RegExp) {
  assert.match(html, /<div class="error-summary" role="alert"[^>]*tabindex="-1"[^>]*autofocus/);
  assert.match(html, new RegExp(`<a href="#${field}">${message.source}</a>`), `summary links #${field}`);
  const input = new RegExp(`<input id="${field}"[^>]*>`).exec(html)?.[0] ?? '';
  assert.match(input, /aria-invalid="true"/);
  assert.match(input, new RegExp(`aria-describedby="${field}-error"`));
}

describe('verification forms', () => {
  before(async () => {
    p = await startTestPlatform();
    me = await registerCitizen(p, '13900000601', idNumberFor(601), { level: 3 });
  });
  after(() => p.stop());

  test('a refused bank card keeps the card number and phone typed, and the error sits on the card field', async () => {
    const res = await form('/me/verify/bank', {
      cardNumber: '6222 0212 3456 7891',
      phone: '+86 139 0000 0601',
    });
    assert.equal(res.status, 400);
    const html = await res.text();
    assertFieldError(html, 'cardNumber', /.+/);
    assert.ok(html.includes('value="6222 0212 3456 7891"'), 'the card number is kept');
    assert.ok(html.includes('value="+86 139 0000 0601"'), 'the phone is kept');
  });

  test('P2.1 a correction with an impossible birth date says so beside the ID number field', async () => {
    const res = await form('/me/verify/correct', { name: '', idNumber: '110101 19900230 0011' });
    assert.equal(res.status, 400);
    const html = await res.text();
    assertFieldError(html, 'idNumber', /Digits 7 to 14 are not a real birth date \(year, month, day\)/);
    assert.ok(html.includes('value="110101 19900230 0011"'));
  });

  test('P2.1 a correction to a name with markup is refused with the reason', async () => {
    const res = await form('/me/verify/correct', { name: '<script>王芳</script>', idNumber: '' });
    assert.equal(res.status, 400);
    assertFieldError(await res.text(), 'name', /A name can have letters of any script.+/);
  });
});

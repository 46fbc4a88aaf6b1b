/**
 * Invariant: a refused company form keeps what was typed and ties the refusal to its
 * field: a focused summary linking to it, the field marked and described by its message.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { registerCitizen, type Citizen } from '../../../../test/support/citizens.ts';
import { idNumberFor } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';

let p: TestPlatform;
let me: Citizen;

describe('company forms', () => {
  before(async () => {
    p = await startTestPlatform();
    me = await registerCitizen(p, '13900000701', idNumberFor(701), { level: 4 });
  });
  after(() => p.stop());

  test('P2.1 an impossible credit code is refused on its field and kept', async () => {
    const res = await fetch(`${p.url}/me/companies`, {
      method: 'POST',
      headers: {
        cookie: `${me.cookie}; civitas_lang=en`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ creditCode: '9111 0000 ABCD' }).toString(),
    });
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /<div class="error-summary" role="alert"[^>]*autofocus/);
    assert.match(html, /<a href="#creditCode">[^<]+<\/a>/);
    const input = /<input id="creditCode"[^>]*>/.exec(html)![0];
    assert.match(input, /aria-invalid="true"/);
    assert.match(input, /aria-describedby="creditCode-error"/);
    assert.match(input, /value="9111 0000 ABCD"/);
  });
});

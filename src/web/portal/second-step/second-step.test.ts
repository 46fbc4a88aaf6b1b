/**
 * Invariant (P7.3): the second-step pages: a sign-in from a new browser is sent to confirm
 * it is the person (saying why), gets its SMS code on asking, is told a wrong code in its
 * language, and with the right one lands where it was going, signed in.
 *
 * The challenge's rules are the identity service's (src/modules/signin/sign-in.risk.test.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client, cookieOf } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';

let p: TestPlatform;
let c: ReturnType<typeof client>;

describe('second-step pages', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    c = client(p);
  });
  after(() => p.stop());

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

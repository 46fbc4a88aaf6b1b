/**
 * Invariant: a person keeps their place. The journey's `next` survives every step (sign-in,
 * register, forgotten password, second step) and only ever points at the portal; a form
 * posted after the session ended, and the language switch on a page reached by a form,
 * return to a page that answers GET, never to a POST-only address (404).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalSmsGateway } from '../../../dev/sms.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { client, cookieOf, idNumberFor, PASSWORD, type Citizen } from '../../../../test/support/citizen.ts';

let p: TestPlatform;
let person: Citizen;
/** Signed in throughout (the password reset above ends `person`'s other sessions). */
let other: Citizen;
const NEXT = '/oidc/interaction/abc123?reauth=1';
const enc = encodeURIComponent;
const EVIL = [
  '//evil.example/',
  'https://evil.example/',
  '/\\evil.example',
  '/\t/evil.example',
  '%2F%2Fevil.example',
  'http:%2F%2Fevil.example',
  '/.//evil.example',
];

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${p.url}${path}`, { headers, redirect: 'manual' });
const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-site': 'same-origin',
      ...headers,
    },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
const html = async (res: Response) => res.text();
/** The page without its language switch (which carries the page's own address, `next` and all). */
const outsideSwitch = async (res: Response) =>
  (await res.text()).replace(/<nav[^>]*class="languages"[\s\S]*?<\/nav>/, '');
/** The `next` the language switch of a page carries (its English link). */
const switchNext = (page: string) => {
  const m = /href="\/lang\/en\?next=([^"]+)"/.exec(page);
  assert.ok(m, 'the page offers the language switch');
  return decodeURIComponent(m[1]!);
};
const sms = () => p.sms as LocalSmsGateway;

describe('keeping a person’s place', () => {
  before(async () => {
    p = await startTestPlatform();
    person = await client(p).register('13800001201', 1201);
    other = await client(p).register('13800001204', 1204);
  });
  after(() => p.stop());

  test('P7.3 the sign-in page’s Register and Forgot-password links keep where the person was going', async () => {
    const page = await html(await get(`/login?next=${enc(NEXT)}`));
    assert.match(page, new RegExp(`href="/register\\?next=${enc(NEXT)}"`));
    assert.match(page, new RegExp(`href="/login/reset\\?next=${enc(NEXT)}"`));
    assert.match(page, new RegExp(`href="/login/code\\?next=${enc(NEXT)}"`));
  });

  test('P7.3 a person who registers on the way to a service ends back at the service', async () => {
    const next = '/me/consents';
    const start = await html(await get(`/register?next=${enc(next)}`));
    assert.match(start, new RegExp(`action="/register/code\\?next=${enc(next)}"`));
    const phone = '13800001202';
    const step2 = await html(await post(`/register/code?next=${enc(next)}`, { phone }));
    assert.match(step2, new RegExp(`action="/register/verify\\?next=${enc(next)}"`));
    const step3 = await html(
      await post(`/register/verify?next=${enc(next)}`, { phone, code: sms().lastCode(phone)! }),
    );
    assert.match(step3, new RegExp(`action="/register\\?next=${enc(next)}"`));
    const proof = /name="proof" value="([^"]+)"/.exec(step3)![1]!;
    const done = await post(`/register?next=${enc(next)}`, {
      phone,
      proof,
      name: '李雷',
      idNumber: idNumberFor(1202),
      password: 'a long test password',
    });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), next);
  });

  test('P7.3 a person who resets a forgotten password ends back where they were going', async () => {
    const next = '/me/consents';
    const page = await html(await get(`/login/reset?next=${enc(next)}`));
    assert.match(page, new RegExp(`action="/login/reset\\?next=${enc(next)}"`));
    const device = { cookie: person.device };
    const sent = await html(
      await post(`/login/reset?next=${enc(next)}`, { phone: person.phone, send: '1' }, device),
    );
    assert.match(sent, new RegExp(`action="/login/reset\\?next=${enc(next)}"`));
    const done = await post(
      `/login/reset?next=${enc(next)}`,
      { phone: person.phone, code: sms().lastCode(person.phone)!, password: 'another long password' },
      device,
    );
    assert.equal(done.status, 303);
    const to = done.headers.get('location');
    assert.ok(to === next || to === `/login/second-step?next=${enc(next)}`, `ends at ${to}`);
  });

  test('P7.3 a form posted after the session ended returns, after sign-in, to the page it was on', async () => {
    // The form on /me/security (TOTP set-up), its session gone.
    const fromPage = await post('/me/security/totp', {}, { referer: `${p.url}/me/security` });
    assert.equal(fromPage.status, 303);
    assert.equal(fromPage.headers.get('location'), `/login?ended=1&next=${enc('/me/security')}`);
    // Without a Referer: the nearest page above the posted address.
    const bare = await post('/me/verify/registry', { name: '王芳' });
    assert.equal(bare.headers.get('location'), `/login?ended=1&next=${enc('/me/verify')}`);
    // Another site's Referer is not a return address.
    const foreign = await post('/me/security/totp', {}, { referer: 'https://evil.example/me/access' });
    assert.equal(foreign.headers.get('location'), `/login?ended=1&next=${enc('/me/security')}`);
    const login = await html(await get(fromPage.headers.get('location')!));
    assert.match(login, /role="status">您已退出登录，刚才的操作未保存/);
    assert.match(login, new RegExp(`action="/login\\?next=${enc('/me/security')}"`));
    // Signing in lands on the GET page, which answers.
    const signIn = await post(
      `/login?next=${enc('/me/verify')}`,
      { phone: person.phone, password: 'another long password' },
      { cookie: person.device },
    );
    assert.equal(signIn.status, 303);
    const session = cookieOf(signIn, 'civitas_session');
    if (session) {
      assert.equal(signIn.headers.get('location'), '/me/verify');
      assert.equal((await get('/me/verify', { cookie: session })).status, 200);
    }
  });

  test('P3.2 the language switch on a page reached by a form returns to a page that answers GET', async () => {
    const cookie = other.session;
    const pages: [string, string, Record<string, string>][] = [
      // registration step 2 (rendered by POST /register/code)
      [
        `/register/code?next=${enc('/me/consents')}`,
        `/register?next=${enc('/me/consents')}`,
        { phone: '13800001203' },
      ],
      // a failed verification
      ['/me/verify/registry', '/me/verify', {}],
      // TOTP set-up
      ['/me/security/totp', '/me/security', {}],
    ];
    for (const [posted, expected, form] of pages) {
      const res = await post(posted, form, { cookie });
      assert.ok(
        res.status !== 404 && res.status < 500 && !res.headers.get('location'),
        `${posted} answers ${res.status} ${res.headers.get('location')}`,
      );
      const page = await html(res);
      const back = switchNext(page);
      assert.equal(back, expected, posted);
      const sw = await get(`/lang/en?next=${enc(back)}`, { cookie });
      assert.equal(sw.status, 303);
      assert.equal(sw.headers.get('location'), expected);
      const there = await get(expected, { cookie: `${cookie}; civitas_lang=en` });
      assert.equal(there.status, 200, expected);
      assert.match(await there.text(), /<html lang="en">/);
    }
    // The form's page itself, when the browser names it.
    const named = await html(
      await post('/me/verify/registry', {}, { cookie, referer: `${p.url}/me/verify?level=3` }),
    );
    assert.equal(switchNext(named), '/me/verify?level=3');
  });

  test('P7.3 no journey redirects off the portal, whatever `next` says', async () => {
    for (const bad of EVIL) {
      const q = `?next=${enc(bad)}`;
      for (const path of ['/login', '/login/code', '/register', '/login/reset']) {
        assert.doesNotMatch(await outsideSwitch(await get(`${path}${q}`)), /evil/, `${path}${q}`);
      }
      const sw = await get(`/lang/cs${q}`);
      assert.equal(sw.headers.get('location'), '/', bad);
      const signIn = await post(
        `/login${q}`,
        { phone: other.phone, password: PASSWORD },
        { cookie: other.device },
      );
      const to = signIn.headers.get('location') ?? '';
      assert.ok(to === '/me/access' || to === '/login/second-step', `${bad} → ${to}`);
    }
  });
});

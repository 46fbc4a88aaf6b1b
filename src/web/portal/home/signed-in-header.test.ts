/**
 * Invariant: every portal page says who is signed in — the verified name, else the masked
 * phone — with sign-out as a same-site POST form; a signed-out page offers sign-in; the
 * staff console is not in the citizen header; and a page that names a person is never
 * kept by a shared cache.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { registerCitizen, type Citizen } from '../../../../test/support/citizens.ts';
import { idNumberFor } from '../../../../test/support/citizen.ts';

let p: TestPlatform;
let unverified: Citizen;
let verified: Citizen;
const PAGES = ['/', '/privacy', '/me/access', '/me/consents', '/me/security', '/me/companies', '/me/verify'];

const get = (path: string, cookie?: string) =>
  fetch(`${p.url}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
const headerOf = (html: string) => /<header class="site-header">([\s\S]*?)<\/header>/.exec(html)?.[1] ?? '';

describe('the signed-in header', () => {
  before(async () => {
    p = await startTestPlatform();
    unverified = await registerCitizen(p, '13800001301', idNumberFor(1301), { name: '张伟' });
    verified = await registerCitizen(p, '13800001302', idNumberFor(1302), { name: '王芳', level: 2 });
  });
  after(() => p.stop());

  test('every portal page names the signed-in person and offers sign-out as a POST form', async () => {
    for (const path of PAGES) {
      const res = await get(path, unverified.cookie);
      assert.equal(res.status, 200, path);
      const header = headerOf(await res.text());
      assert.match(header, /当前登录: <strong>138\*\*\*\*1301<\/strong>/, path);
      assert.match(
        header,
        /<form method="post" action="\/logout" class="sign-out"><button type="submit">退出登录<\/button><\/form>/,
      );
      assert.doesNotMatch(header, /13800001301/, 'the full number is never shown');
      assert.doesNotMatch(header, /张伟/, 'an unverified name is not shown as who they are');
      assert.doesNotMatch(header, /href="\/login"/);
    }
  });

  test('a verified person is named by their name, in each language', async () => {
    const en = headerOf(await (await get('/me/access', `${verified.cookie}; civitas_lang=en`)).text());
    assert.match(en, /Signed in as: <strong>王芳<\/strong>/);
    assert.match(en, />Sign out<\/button>/);
    const cs = headerOf(await (await get('/me/access', `${verified.cookie}; civitas_lang=cs`)).text());
    assert.match(cs, /Přihlášený účet: <strong>王芳<\/strong>/);
    assert.match(cs, />Odhlásit<\/button>/);
  });

  test('the home page offers a signed-in person their next steps, not Register / Sign in', async () => {
    const html = await (await get('/', unverified.cookie)).text();
    assert.doesNotMatch(html, /href="\/register"/);
    assert.doesNotMatch(html, /href="\/login"/);
    assert.match(html, /<h2 id="next-title">您接下来可以<\/h2>/);
    assert.match(html, /<a href="\/me\/verify">完成实名核验/);
    assert.match(html, /<a href="\/me\/access">查看谁访问过您的数据<\/a>/);
    const done = await (await get('/', verified.cookie)).text();
    assert.doesNotMatch(done, /href="\/me\/verify"/, 'a verified person is not asked to verify');
  });

  test('a signed-out page offers sign-in that returns to it, and the home page Register / Sign in', async () => {
    const privacy = headerOf(await (await get('/privacy')).text());
    assert.match(privacy, /<p class="account"><a href="\/login\?next=%2Fprivacy">登录<\/a><\/p>/);
    assert.doesNotMatch(privacy, /logout/);
    const home = await (await get('/')).text();
    assert.match(home, /<a class="button" href="\/register">注册<\/a>/);
  });

  test('the staff console is linked from the footer, not the citizen header', async () => {
    const html = await (await get('/', unverified.cookie)).text();
    assert.doesNotMatch(headerOf(html), /\/admin/);
    assert.match(html, /<footer class="site-footer">[\s\S]*<a href="\/admin">工作人员控制台<\/a>/);
  });

  test('P7.3 sign-out is refused from another site, and works from the portal', async () => {
    const cross = await fetch(`${p.url}/logout`, {
      method: 'POST',
      headers: { cookie: unverified.cookie, 'sec-fetch-site': 'cross-site' },
      redirect: 'manual',
    });
    assert.equal(cross.status, 403);
    assert.equal((await get('/me/access', unverified.cookie)).status, 200, 'still signed in');
    const ok = await fetch(`${p.url}/logout`, {
      method: 'POST',
      headers: { cookie: unverified.cookie, 'sec-fetch-site': 'same-origin' },
      redirect: 'manual',
    });
    assert.equal(ok.status, 303);
    assert.equal((await get('/me/access', unverified.cookie)).status, 303, 'signed out');
  });

  test('P7.2 a page naming a signed-in person is never stored by a shared cache', async () => {
    for (const path of PAGES) {
      const res = await get(path, verified.cookie);
      assert.equal(res.headers.get('cache-control'), 'no-store', path);
    }
  });
});

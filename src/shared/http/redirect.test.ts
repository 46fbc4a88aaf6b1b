/**
 * Invariant: a `next` parameter can only ever send the browser to a path of the portal
 * itself. Whatever is put in it (tab or newline tricks, backslashes, protocol-relative
 * hosts, text a header cannot carry), the language switch, the sign-in and the continue
 * link after verification answer a clean redirect or link to a local path, falling back to
 * a safe default, and never a server error. One guard (`localPath`), tested here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client, type Citizen } from '../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { localPath } from './redirect.ts';

/** Values seen used against `next` guards; none may leave the portal. */
const hostile = [
  '/\t/evil.example', // browsers strip the tab: //evil.example
  '/\n/evil.example',
  '/\r\nSet-Cookie: x=1',
  '//evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '/.//evil.example', // normalises to //evil.example
  '/..//evil.example',
  'https://evil.example/',
  'javascript:alert(1)',
  ' /me',
  '/%E4%B8%AD'.replace('%E4%B8%AD', '中'), // non-Latin-1: Node refuses it in a header
  '/é',
  '',
];

describe('the redirect guard', () => {
  test('P7.3 hostile next values are refused', () => {
    for (const v of hostile) assert.equal(localPath(v), undefined, JSON.stringify(v));
    assert.equal(localPath(undefined), undefined);
    assert.equal(localPath(['/me']), undefined);
  });

  test('P7.3 local paths pass, re-serialised from the parsed URL', () => {
    assert.equal(localPath('/me/access'), '/me/access');
    assert.equal(localPath('/oidc/interaction/abc?x=1#top'), '/oidc/interaction/abc?x=1#top');
    assert.equal(localPath('/me/%E4%B8%AD'), '/me/%E4%B8%AD');
    assert.equal(localPath('/a/../me'), '/me');
  });
});

/** The page without its language links (they carry the page's own address, guarded on use). */
const withoutLanguageLinks = (html: string) => html.replace(/<nav[^>]*class="languages".*?<\/nav>/s, '');

describe('next through HTTP', () => {
  let p: TestPlatform;
  let person: Citizen;
  const evil = encodeURIComponent('/\t/evil.example');

  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    person = await client(p).register('13612340001', 1);
  });
  after(() => p.stop());

  test('P7.3 the language switch sends a hostile next to the home page, and CR/LF or non-Latin-1 is no error', async () => {
    for (const next of ['/\t/evil.example', '/\r\nSet-Cookie: x=1', '/中文', '//evil.example']) {
      const res = await fetch(`${p.url}/lang/en?next=${encodeURIComponent(next)}`, { redirect: 'manual' });
      assert.equal(res.status, 303, JSON.stringify(next));
      assert.equal(res.headers.get('location'), '/', JSON.stringify(next));
    }
    const ok = await fetch(`${p.url}/lang/en?next=${encodeURIComponent('/privacy')}`, { redirect: 'manual' });
    assert.equal(ok.headers.get('location'), '/privacy');
  });

  test('P7.3 sign-in with a hostile next ends on the person’s own pages', async () => {
    const page = await fetch(`${p.url}/login?next=${evil}`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(
      withoutLanguageLinks(await page.text()),
      /evil\.example/,
      'the form does not carry the hostile next',
    );
    const res = await fetch(`${p.url}/login?next=${evil}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: person.device },
      body: new URLSearchParams({ phone: person.phone, password: 'correct horse' }).toString(),
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/me/access');
    const crlf = await fetch(`${p.url}/login?next=${encodeURIComponent('/\r\nx: y')}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: person.device },
      body: new URLSearchParams({ phone: person.phone, password: 'correct horse' }).toString(),
    });
    assert.equal(crlf.status, 303);
    assert.equal(crlf.headers.get('location'), '/me/access');
  });

  test('P7.3 the continue link after verification never points away from the portal', async () => {
    const cookie = `${person.session}; ${person.device}`;
    const res = await fetch(`${p.url}/me/verify?done=2&next=${evil}`, { headers: { cookie } });
    assert.equal(res.status, 200);
    assert.doesNotMatch(withoutLanguageLinks(await res.text()), /evil\.example/);
    const good = await fetch(`${p.url}/me/verify?done=2&next=${encodeURIComponent('/me/access')}`, {
      headers: { cookie },
    });
    assert.match(await good.text(), /<a href="\/me\/access">/);
  });
});

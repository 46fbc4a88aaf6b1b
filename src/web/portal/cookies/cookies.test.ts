/**
 * Invariant: a first visit sets only necessary cookies and shows the banner; refusing is one
 * button like accepting; the choice is changeable at any time, lives in a necessary cookie
 * for an anonymous visitor and in the consent records of a signed-in person (reconciled at
 * sign-in); every service works with only the necessary cookies (P3.2, P3.3).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { registerCitizen } from '../../../../test/support/citizens.ts';
import { idNumberFor } from '../../../../test/support/citizen.ts';
import { cookies } from '../../http/cookies.ts';
import { formatChoice } from '../../http/cookie-choice.ts';

let p: TestPlatform;
const necessary = new Set<string>(
  Object.values(cookies)
    .filter((c) => c.category === 'necessary')
    .map((c) => c.name),
);
const namesSet = (res: Response) => res.headers.getSetCookie().map((c) => c.split('=')[0]!);
const get = (path: string, cookie = '', lang = 'en') =>
  fetch(`${p.url}${path}`, { headers: { cookie, 'accept-language': lang }, redirect: 'manual' });
const post = (
  path: string,
  body: Record<string, string>,
  cookie = '',
  headers: Record<string, string> = {},
) =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie,
      'accept-language': 'en',
      ...headers,
    },
    body: new URLSearchParams(body).toString(),
  });
const pair = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0];
const cookieChoices = async (subjectId: string) =>
  (await p.consent.of(subjectId))
    .filter((c) => c.purpose === 'analytics-cookies' || c.purpose === 'personalisation-cookies')
    .map((c) => `${c.purpose}:${c.state}`)
    .sort();

describe('cookie choices', () => {
  before(async () => {
    p = await startTestPlatform();
  });
  after(() => p.stop());

  test('P3.2.necessary a first visit sets only necessary cookies, on every public page, and shows the banner', async () => {
    for (const path of ['/', '/privacy', '/login', '/register', '/cookies', '/lang/en?next=/']) {
      const res = await get(path);
      for (const name of namesSet(res)) assert.ok(necessary.has(name), `${path} set ${name}`);
    }
    const home = await (await get('/')).text();
    assert.match(home, /class="cookie-banner"/);
    assert.match(home, /<button type="submit" name="choice" value="all">Accept all<\/button>/);
    assert.match(home, /<button type="submit" name="choice" value="none">Refuse all<\/button>/);
    assert.match(home, /href="\/cookies\?next=%2F">Cookie settings<\/a>/);
    // The banner never replaces the page: the catalogue is there beneath it.
    assert.match(home, /<main id="main"/);
  });

  test('P3.3.manage refusing from the banner is one post like accepting: back to the page, only the choice cookie', async () => {
    const res = await post('/cookies?next=%2Fprivacy', { choice: 'none', from: 'banner' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/privacy');
    assert.deepEqual(namesSet(res), ['civitas_cookie_choice']);
    const choice = pair(res, 'civitas_cookie_choice')!;
    assert.match(choice, /^civitas_cookie_choice=1\.00\.\d+$/);
    const page = await get('/', choice);
    assert.deepEqual(namesSet(page), []);
    assert.doesNotMatch(await page.text(), /class="cookie-banner"/);
  });

  test('P3.2.optional accepting lets the analytics cookie exist, and refusing later clears it', async () => {
    const accepted = await post('/cookies?next=%2F', { choice: 'all', from: 'banner' });
    const choice = pair(accepted, 'civitas_cookie_choice')!;
    assert.match(choice, /=1\.11\./);
    const home = await get('/', choice);
    const analytics = pair(home, 'civitas_analytics');
    assert.match(analytics ?? '', /^civitas_analytics=[0-9a-f-]{36}$/);
    // Changed on the cookie page: analytics off, personalisation on.
    const changed = await post(
      '/cookies',
      { choice: 'custom', from: 'page', personalisation: 'on' },
      `${choice}; ${analytics}`,
    );
    assert.equal(changed.status, 303);
    assert.equal(changed.headers.get('location'), '/cookies?saved=1');
    assert.match(pair(changed, 'civitas_cookie_choice')!, /=1\.01\./);
    assert.ok(
      changed.headers.getSetCookie().some((c) => /^civitas_analytics=;/.test(c)),
      'analytics cleared',
    );
  });

  test('P3.3.manage the cookie page shows the current choice, every declared cookie and what refusing loses', async () => {
    const html = await (
      await get(
        '/cookies',
        `civitas_cookie_choice=${formatChoice({ analytics: true, personalisation: false, at: Date.now() })}`,
      )
    ).text();
    assert.match(html, /id="analytics" name="analytics" value="on" checked/);
    assert.doesNotMatch(html, /id="personalisation" name="personalisation" value="on" checked/);
    for (const c of Object.values(cookies)) assert.match(html, new RegExp(`data-cookie="${c.name}"`));
    assert.match(html, /your visits are not counted in the usage statistics/);
    assert.match(html, /every service works with only the necessary cookies/);
  });

  test('the choice post refuses another site, an unknown answer (the page again, as ticked) and an off-site next', async () => {
    const cross = await post('/cookies', { choice: 'all' }, '', { 'sec-fetch-site': 'cross-site' });
    assert.equal(cross.status, 403);
    const bad = await post('/cookies', { choice: 'maybe', analytics: 'on' });
    assert.equal(bad.status, 400);
    const html = await bad.text();
    assert.match(html, /class="error-summary"/);
    assert.match(html, /id="analytics" name="analytics" value="on" checked/);
    assert.deepEqual(namesSet(bad), []);
    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example']) {
      const res = await post(`/cookies?next=${encodeURIComponent(next)}`, { choice: 'none', from: 'banner' });
      assert.equal(res.headers.get('location'), '/cookies?saved=1');
    }
  });

  test('P3.3.manage a signed-in choice is recorded as consents; a newer browser choice is recorded at sign-in, an older one yields to the account; withdrawal governs', async () => {
    const c = await registerCitizen(p, '13700000101', idNumberFor(101));
    assert.deepEqual(await cookieChoices(c.subjectId), []);
    // Chosen signed in: consent records, one per category.
    const chose = await post('/cookies', { choice: 'all', from: 'page' }, c.cookie);
    assert.equal(chose.status, 303);
    assert.deepEqual(await cookieChoices(c.subjectId), [
      'analytics-cookies:given',
      'personalisation-cookies:given',
    ]);
    // Another browser with an older refusal: the account governs, the cookie is rewritten.
    const old = `civitas_cookie_choice=${formatChoice({ analytics: false, personalisation: false, at: Date.now() - 86_400_000 })}`;
    const other = await get('/', `${c.cookie}; ${old}`);
    assert.match(pair(other, 'civitas_cookie_choice')!, /=1\.11\./);
    assert.deepEqual(await cookieChoices(c.subjectId), [
      'analytics-cookies:given',
      'personalisation-cookies:given',
    ]);
    // A browser whose refusal is newer (made before signing in there): recorded to the account.
    const newer = `civitas_cookie_choice=${formatChoice({ analytics: false, personalisation: true, at: Date.now() + 2000 })}`;
    const signedIn = await get('/', `${c.cookie}; ${newer}`);
    assert.equal(signedIn.status, 200);
    assert.deepEqual(await cookieChoices(c.subjectId), [
      'analytics-cookies:withdrawn',
      'personalisation-cookies:given',
    ]);
    // Withdrawn like any consent (/me/consents): the next request's cookie follows the account.
    const live = (await p.consent.of(c.subjectId)).find(
      (r) => r.purpose === 'personalisation-cookies' && r.state === 'given',
    )!;
    await p.consent.withdraw(live.id, { type: 'self', id: c.subjectId });
    const rewritten = pair(signedIn, 'civitas_cookie_choice')!;
    const after = await get('/', `${c.cookie}; ${rewritten}`);
    assert.match(pair(after, 'civitas_cookie_choice')!, /=1\.00\./);
  });

  test('P3.3.degrade with only necessary cookies every page still works, signed out and signed in', async () => {
    const refused = `civitas_cookie_choice=${formatChoice({ analytics: false, personalisation: false, at: Date.now() })}`;
    for (const path of ['/', '/privacy', '/login', '/register', '/cookies']) {
      const res = await get(path, refused);
      assert.equal(res.status, 200, path);
      assert.deepEqual(namesSet(res), [], path);
    }
    const c = await registerCitizen(p, '13700000102', idNumberFor(102));
    for (const path of ['/me', '/me/consents', '/me/access', '/me/inbox', '/me/security']) {
      const res = await get(path, `${c.cookie}; ${refused}`);
      assert.equal(res.status, 200, path);
      for (const name of namesSet(res)) assert.ok(necessary.has(name), `${path} set ${name}`);
    }
  });
});

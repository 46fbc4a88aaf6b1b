/**
 * Invariant: the portal speaks the person's language — the switch first (remembered in a
 * strictly necessary cookie), then Accept-Language, then zh-CN — and shows the service
 * catalogue in it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { negotiateLocale } from '../../i18n/index.ts';

let p: TestPlatform;
const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${p.url}${path}`, { headers, redirect: 'manual' });

describe('portal pages and languages', () => {
  before(async () => {
    p = await startTestPlatform();
  });
  after(() => p.stop());

  test('zh-CN is the default language', async () => {
    const html = await (await get('/')).text();
    assert.match(html, /<html lang="zh-CN">/);
    assert.match(html, /政务服务，一次登录/);
    assert.match(html, /住房公积金管理中心/);
  });

  test('Accept-Language picks English or Czech', async () => {
    const en = await (await get('/', { 'accept-language': 'en-GB,en;q=0.9' })).text();
    assert.match(en, /<html lang="en">/);
    assert.match(en, /Housing Provident Fund Centre/);
    const cs = await (await get('/', { 'accept-language': 'cs-CZ, en;q=0.5' })).text();
    assert.match(cs, /<html lang="cs">/);
    assert.match(cs, /Veřejné služby s jedním přihlášením/);
  });

  test('P3.2 P3.3 the language switch is remembered in a strictly necessary cookie and beats Accept-Language', async () => {
    const res = await get('/lang/cs?next=/privacy');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/privacy');
    const cookie = res.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^civitas_lang=cs;/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    const html = await (await get('/privacy', { cookie: 'civitas_lang=cs', 'accept-language': 'en' })).text();
    assert.match(html, /<html lang="cs">/);
    assert.match(html, /Zásady ochrany osobních údajů/);
    // The page sets no other cookie: only what is strictly necessary exists.
    assert.equal((await get('/')).headers.get('set-cookie'), null);
  });

  test('the switch never redirects off-site', async () => {
    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example']) {
      const res = await get(`/lang/en?next=${encodeURIComponent(next)}`);
      assert.equal(res.headers.get('location'), '/');
    }
    const bad = await get('/lang/xx');
    assert.equal(bad.headers.get('set-cookie'), null);
  });

  test('each page offers the switch in all three languages and marks the current one', async () => {
    const html = await (await get('/privacy', { 'accept-language': 'en' })).text();
    assert.match(
      html,
      /<a href="\/lang\/zh-CN\?next=%2Fprivacy" lang="zh-CN" hreflang="zh-CN">简体中文<\/a>/,
    );
    assert.match(
      html,
      /<a href="\/lang\/en\?next=%2Fprivacy" lang="en" hreflang="en" aria-current="true">English<\/a>/,
    );
    assert.match(html, /Čeština/);
  });

  test('Accept-Language negotiation follows q-values and primary subtags', () => {
    assert.equal(negotiateLocale('fr, cs;q=0.8, en;q=0.9'), 'en');
    assert.equal(negotiateLocale('zh-TW'), 'zh-CN');
    assert.equal(negotiateLocale('de, fr'), undefined);
    assert.equal(negotiateLocale('en;q=0, cs'), 'cs');
    assert.equal(negotiateLocale(undefined), undefined);
  });
});

/**
 * Invariant: a portal page rendered in zh-CN or cs is in that language: no Latin-script
 * prose on a Chinese page, no English sentence on a Czech page, and on no page a raw
 * identifier (client id, message key, error or clause code as bare text). Every page a
 * person reaches without a browser is fetched from the running platform, signed in where
 * the page needs it (scanner: test/support/visible-text.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { authorize, follow } from '../../../test/support/oidc.ts';
import {
  OPEN_PAGES,
  portalPerson,
  SERVICE,
  SIGNED_IN_PAGES,
  type PortalPerson,
} from '../../../test/support/portal-pages.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { foreignWords, visibleTexts } from '../../../test/support/visible-text.ts';
import type { Locale } from '../../kernel/locale.ts';
import { renderPage } from '../layout.tsx';
import { ErrorPage } from '../portal/home/view.tsx';
import { sectionOf } from '../portal/privacy/sections.ts';
import { listOf, translator } from './index.ts';

let p: TestPlatform;
let person: PortalPerson;

const page = async (path: string, locale: Locale, cookie = '') => {
  const res = await fetch(`${p.url}${path}`, {
    headers: { accept: 'text/html', cookie: `civitas_lang=${locale}${cookie ? `; ${cookie}` : ''}` },
    redirect: 'manual',
  });
  return { status: res.status, html: await res.text() };
};

const report = (path: string, html: string, locale: Locale) =>
  foreignWords(html, locale).map((f) => `${path} [${f.kind}] «${f.word}» in «${f.text}»`);

describe('pages speak the page language', () => {
  const consentPages: Partial<Record<Locale, string>> = {};
  const logoutPages: Partial<Record<Locale, string>> = {};

  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    person = await portalPerson(p);
    for (const locale of ['zh-CN', 'cs'] as const) {
      const cookie = `${person.cookie}; civitas_lang=${locale}`;
      const asked = await authorize(p, person.unasked, cookie, {
        scope: 'openid name id_number address email',
        consent: false,
      });
      consentPages[locale] = asked.consentPage ?? '';
      // Consented before: straight through, and the browser now holds a provider session.
      const known = await authorize(p, person.rp, cookie, { scope: 'openid name phone' });
      const end = await follow(p, known.jar, `${p.url}/oidc/session/end?client_id=${SERVICE}`);
      logoutPages[locale] = end.body ?? '';
    }
  });
  after(() => p.stop());

  for (const locale of ['zh-CN', 'cs'] as const) {
    test(`every page a visitor or a signed-in person opens in ${locale} is in ${locale}`, async () => {
      const found: string[] = [];
      for (const path of OPEN_PAGES) found.push(...report(path, (await page(path, locale)).html, locale));
      for (const path of SIGNED_IN_PAGES) {
        const { status, html } = await page(path, locale, person.cookie);
        assert.ok(status < 500, `${path} answered ${status}`);
        found.push(...report(path, html, locale));
      }
      found.push(...report('logout', logoutPages[locale] ?? '', locale));
      found.push(...report('consent', consentPages[locale] ?? '', locale));
      assert.deepEqual(found, []);
    });
  }

  test('the consent screen names the service, not its client id', () => {
    const zh = consentPages['zh-CN'] ?? '';
    assert.match(zh, /<form method="post" action="\/oidc\/interaction\//);
    assert.ok(!visibleTexts(zh).some((t) => t.includes('social-web')));
  });

  test('the logout page names the service in the page language, and who is signed in', () => {
    assert.match(logoutPages['zh-CN'] ?? '', /您正在退出/);
    assert.doesNotMatch(logoutPages['zh-CN'] ?? '', /Public transport card/);
    // P7.3 the provider's own page says who is signed in, like every portal page.
    const header =
      /<header class="site-header">([\s\S]*?)<\/header>/.exec(logoutPages['zh-CN'] ?? '')?.[1] ?? '';
    assert.match(header, /当前登录: <strong>[^<]+<\/strong>/);
    assert.match(header, /action="\/logout"/);
  });

  test('lists are joined the way each language joins them', async () => {
    const en = (await page('/me/consents', 'en', person.cookie)).html;
    assert.doesNotMatch(en, /、/);
    assert.match(en, /<dd>[^<、]+ and [^<、]+<\/dd>/);
    const zh = (await page('/me/consents', 'zh-CN', person.cookie)).html;
    assert.match(zh, /<dd>[^<]+和[^<]+<\/dd>/);
    // Czech keeps the one-letter conjunction with the next word (a no-break space).
    assert.equal(
      listOf('cs', ['jméno', 'telefon', 'adresa']).replace(/\u00a0/g, ' '),
      'jméno, telefon a adresa',
    );
  });

  test('a refusal links to the policy section its clause comes from, never the bare clause ID', async () => {
    for (const locale of ['zh-CN', 'en', 'cs'] as const) {
      const ctx = { locale, t: translator(locale), path: '/' };
      const html = await renderPage(
        ErrorPage({ ctx, status: 403, title: 'x', code: 'verify.refused', clause: 'P2.1' }),
      );
      assert.match(html, /<a href="\/privacy#P2">/);
      assert.ok(!visibleTexts(html).some((t) => /P2\.1/.test(t)), 'no bare clause ID');
    }
    const privacy = (await page('/privacy', 'zh-CN')).html;
    for (const s of ['P1', 'P2', 'P4', 'P5', 'P8', 'P10'])
      assert.match(privacy, new RegExp(`<section id="${s}"`));
    assert.equal(sectionOf('P8.1.export'), 'P8');
    assert.equal(sectionOf('P4.x'), 'P4');
    assert.equal(sectionOf('P11'), undefined);
  });

  test('the scanner sees what it must', () => {
    const zh =
      '<html lang="zh-CN"><body><p>您正在退出 Public transport card</p><p>政策条款: P2.1</p><a lang="en">English</a><p>transit-card</p></body></html>';
    const words = foreignWords(zh, 'zh-CN').map((f) => f.word);
    assert.ok(words.includes('Public'));
    assert.ok(words.includes('P2.1'));
    assert.ok(words.includes('transit-card'));
    assert.ok(!words.includes('English'));
    assert.deepEqual(foreignWords('<p>Přihlásit se · Civitas · https://a.example/x</p>', 'cs'), []);
    assert.equal(foreignWords('<p>the service sent an incomplete delivery request</p>', 'cs').length, 1);
  });
});

/**
 * Invariant: in a real browser a first visit shows the cookie banner over nothing (the page
 * works beneath it); refusing leaves only necessary cookies in the browser's jar; the choice
 * is changed at any time from the footer link; in zh-CN, English and Czech (P3.2, P3.3).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { cookies } from '../../src/web/http/cookies.ts';

let p: TestPlatform;
let browser: Browser;
const necessary = new Set<string>(
  Object.values(cookies)
    .filter((c) => c.category === 'necessary')
    .map((c) => c.name),
);
const jar = async (context: BrowserContext) => (await context.cookies()).map((c) => c.name).sort();

const words = {
  'zh-CN': {
    refuse: '全部拒绝',
    footer: 'Cookie 设置',
    allowAnalytics: '允许统计分析 Cookie',
    save: '保存我的选择',
    banner: '本网站使用 Cookie',
  },
  en: {
    refuse: 'Refuse all',
    footer: 'Cookie settings',
    allowAnalytics: 'Allow analytics cookies',
    save: 'Save my choice',
    banner: 'Cookies on Civitas',
  },
  cs: {
    refuse: 'Odmítnout vše',
    footer: 'Nastavení cookies',
    allowAnalytics: 'Povolit analytické cookies',
    save: 'Uložit moji volbu',
    banner: 'Cookies na Civitas',
  },
} as const;

describe('cookie choices in chromium', () => {
  before(async () => {
    p = await startTestPlatform();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await p.stop();
  });

  for (const locale of ['zh-CN', 'en', 'cs'] as const) {
    test(`P3.2.necessary P3.3.manage ${locale}: the banner on a first visit, refusing leaves only necessary cookies, the footer link changes the choice`, async () => {
      const w = words[locale];
      const context = await browser.newContext({ locale });
      const page = await context.newPage();
      await page.goto(`${p.url}/privacy`);
      assert.equal(await page.getAttribute('html', 'lang'), locale);
      const banner = page.getByRole('region', { name: w.banner });
      assert.ok(await banner.isVisible());
      // Never blocking: the page's own content is there and reachable.
      assert.ok(await page.locator('main h1').isVisible());
      assert.deepEqual(await jar(context), []);

      await banner.getByRole('button', { name: w.refuse }).click();
      await page.waitForURL(`${p.url}/privacy`);
      assert.equal(await page.getByRole('region', { name: w.banner }).count(), 0);
      const afterRefusal = await jar(context);
      assert.deepEqual(afterRefusal, ['civitas_cookie_choice']);
      for (const name of afterRefusal) assert.ok(necessary.has(name), name);
      await page.goto(`${p.url}/`);
      assert.deepEqual(await jar(context), ['civitas_cookie_choice']);

      // Changed later from the footer: analytics allowed, then the cookie exists.
      await page.locator('footer').getByRole('link', { name: w.footer }).click();
      await page.waitForURL(/\/cookies\?next=/);
      await page.getByLabel(w.allowAnalytics).check();
      await page.getByRole('button', { name: w.save }).click();
      await page.waitForURL(/\/cookies\?saved=1/);
      await page.goto(`${p.url}/`);
      assert.deepEqual(await jar(context), ['civitas_analytics', 'civitas_cookie_choice']);

      // And refused again: the analytics cookie is gone from the jar.
      await page.locator('footer').getByRole('link', { name: w.footer }).click();
      await page.getByRole('button', { name: w.refuse }).click();
      await page.waitForURL(/\/cookies\?saved=1|\/$/);
      assert.deepEqual(await jar(context), ['civitas_cookie_choice']);
      await context.close();
    });
  }
});

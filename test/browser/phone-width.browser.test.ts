/**
 * Invariant: every portal page reads on a phone, 390 and 320 CSS pixels wide, in zh-CN,
 * English and Czech, without scrolling sideways: the document is never wider than the
 * window, and no table cell is squeezed to a few characters a line (tables stack into
 * labelled blocks, long words and ids wrap, forms fit).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import {
  consentUrl,
  OPEN_PAGES,
  portalPerson,
  SIGNED_IN_PAGES,
  type PortalPerson,
} from '../support/portal-pages.ts';

let p: TestPlatform;
let browser: Browser;
let person: PortalPerson;

const WIDTHS = [390, 320];
const LOCALES = ['zh-CN', 'en', 'cs'] as const;

describe('pages on a phone in chromium', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    [browser, person] = await Promise.all([launchBrowser(), portalPerson(p)]);
  });
  after(async () => {
    await browser?.close();
    await p.stop();
  });

  const phone = async (width: number, locale: string): Promise<BrowserContext> => {
    const context = await browser.newContext({
      viewport: { width, height: 800 },
      // Not `isMobile`: a mobile viewport widens itself to fit what overflows, hiding the fault.
    });
    await context.addCookies([
      { name: 'civitas_lang', value: locale, url: p.url },
      ...person.cookie.split('; ').map((pair) => {
        const i = pair.indexOf('=');
        return { name: pair.slice(0, i), value: pair.slice(i + 1), url: p.url };
      }),
    ]);
    return context;
  };

  /** How much wider than the window the document is (0: no sideways scrolling). */
  const overflow = (context: BrowserContext, url: string) =>
    context.newPage().then(async (page) => {
      await page.goto(url);
      // The authorization URL passes the sign-in step (a Refresh) before the consent screen.
      if (url.includes('/oidc/auth?') && !url.includes('no-such-service'))
        await page.waitForSelector('form[action$="/consent"]');
      // A string: the test is compiled without the DOM library. `squeezed`: value cells
      // narrower than four characters, where Chinese text would stand one character a line.
      const r = (await page.evaluate(`({
        scroll: document.documentElement.scrollWidth,
        inner: window.innerWidth,
        path: location.pathname,
        squeezed: [...document.querySelectorAll('td, th[scope=row]')].filter((c) =>
          c.textContent.trim().length > 3 &&
          c.clientWidth < 4 * parseFloat(getComputedStyle(c).fontSize)).length,
      })`)) as { scroll: number; inner: number; path: string; squeezed: number };
      await page.close();
      return r;
    });

  for (const width of WIDTHS) {
    test(`no page scrolls sideways or squeezes a table at ${width} px, in zh-CN, English and Czech`, async () => {
      const wide: string[] = [];
      for (const locale of LOCALES) {
        const context = await phone(width, locale);
        const urls = [
          ...[...OPEN_PAGES, ...SIGNED_IN_PAGES].map((path) => `${p.url}${path}`),
          await consentUrl(person.unasked),
        ];
        for (const url of urls) {
          const r = await overflow(context, url);
          if (r.scroll > r.inner) wide.push(`${locale} ${r.path}: ${r.scroll} > ${r.inner}`);
          if (r.squeezed) wide.push(`${locale} ${r.path}: ${r.squeezed} squeezed table cells`);
        }
        await context.close();
      }
      assert.deepEqual(wide, []);
    });
  }
});

/**
 * Invariant (P7.2i.notify): in a real browser the push page's script runs under the CSP (no
 * violation), registers the service worker with the scope /static/push/ (it controls no
 * page), asks permission and either subscribes — the server then holds this browser — or,
 * where the browser has no push service (headless chromium: its push needs Google's FCM,
 * which it cannot reach here), says plainly that it could not, and holds nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { registerCitizen } from '../support/citizens.ts';
import { idNumberFor } from '../support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let browser: Browser;

describe('turning push on in chromium', () => {
  before(async () => {
    p = await startTestPlatform();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await p?.stop();
  });

  test('P7.2i.notify: the push page registers its worker under the CSP and subscribes, or says it could not', async (t) => {
    const me = await registerCitizen(p, '13800001731', idNumberFor(1731), {
      name: '测试',
      password: 'a test password',
    });
    const context = await browser.newContext({ locale: 'en-US' });
    await context.grantPermissions(['notifications'], { origin: p.url });
    await context.addCookies(
      me.cookie.split('; ').map((pair) => {
        const i = pair.indexOf('=');
        return { name: pair.slice(0, i), value: pair.slice(i + 1), url: p.url };
      }),
    );
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${p.url}/me/push`);
    assert.equal(
      await page.getByRole('button', { name: 'Stop on this browser' }).isVisible(),
      false,
      'off: only the button that turns it on',
    );
    await page.getByRole('button', { name: 'Turn on in this browser' }).click();
    const shown = page.locator('#push [data-state]:not([hidden])');
    await shown.filter({ hasText: /on in this browser|could not be turned on/ }).waitFor({ timeout: 20_000 });
    const scope = (await page.evaluate(
      `navigator.serviceWorker.getRegistration('/static/push/').then((r) => r?.scope)`,
    )) as string | undefined;
    assert.equal(scope, `${p.url}/static/push/`);
    assert.deepEqual(violations, []);
    const { rows } = await p.storage.db.query('SELECT 1 FROM push_subscription WHERE subject_id = $1', [
      me.subjectId,
    ]);
    const text = (await shown.first().textContent()) ?? '';
    t.diagnostic(`this chromium: ${text}`);
    if (/on in this browser/.test(text))
      assert.equal(rows.length, 1, 'subscribed: the server holds this browser');
    else assert.equal(rows.length, 0, 'no push service in this browser: nothing is held');
    await context.close();
  });
});

/**
 * Invariant (P7.3): a person who opens the portal at a numeric address (http://127.0.0.1:…)
 * is told in their own language why passkeys do not work there and where they do
 * (localhost), instead of the browser's raw English error.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { client, type Citizen } from '../support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let browser: Browser;
let me: Citizen;

describe('passkeys on a numeric address in chromium', () => {
  before(async () => {
    p = await startTestPlatform();
    browser = await launchBrowser();
    me = await client(p).register('13600000291', 291);
  });
  after(async () => {
    await browser?.close();
    await p.stop();
  });

  test('P7.3 the security page at 127.0.0.1 explains in zh-CN that passkeys need localhost, and links there', async () => {
    const url = new URL(p.url);
    assert.equal(url.hostname, '127.0.0.1');
    const context = await browser.newContext({ locale: 'zh-CN' });
    await context.addCookies(
      [me.session, me.device].map((c) => {
        const [name, value] = c.split('=') as [string, string];
        return { name, value, domain: '127.0.0.1', path: '/' };
      }),
    );
    const page = await context.newPage();
    await page.goto(`${p.url}/me/security`);
    const note = page.locator('p', { hasText: '通行密钥只能在带名称的网址上使用' });
    await note.waitFor();
    const link = note.getByRole('link');
    assert.equal(await link.getAttribute('href'), `http://localhost:${url.port}/me/security`);
    assert.equal(await page.getByRole('button', { name: '添加通行密钥' }).isVisible(), false);
    assert.doesNotMatch((await page.textContent('body')) ?? '', /invalid domain/i);
    await context.close();
  });

  test('P7.3 the sign-in page at 127.0.0.1 says the same in English instead of offering a passkey that fails', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${p.url}/login`);
    await page.getByText('Passkeys work only at an address with a name').waitFor();
    // A note, not an alert: the sign-in form's own errors stay the only alert.
    assert.equal(await page.getByRole('alert').filter({ hasText: 'Passkeys' }).count(), 0);
    await context.close();
  });
});

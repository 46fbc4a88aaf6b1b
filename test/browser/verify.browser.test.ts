/**
 * Invariant: a person who registered can raise their level to L2 from the /me/verify page
 * in a real browser, after reading what is sent to whom, and sees the new level and the
 * registry's access in "who accessed my data". (To be folded into the main browser journey.)
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { seededPeople } from '../../src/dev/partner-seed.ts';
import { launchBrowser } from '../support/browser.ts';
import { registerCitizen } from '../support/citizens.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let browser: Browser;
mkdirSync('test-results', { recursive: true });

describe('verification pages in chromium', () => {
  before(async () => {
    p = await startTestPlatform();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await p.stop();
  });

  test('P2.1 a registered person reaches L2 through the /me/verify page', async () => {
    const person = seededPeople[1]!;
    const me = await registerCitizen(p, '13600000021', person.idNumber, { name: person.name });
    const context = await browser.newContext({ locale: 'en-US' });
    // The browser that registered: its session and device cookies.
    await context.addCookies(
      me.cookie.split('; ').map((pair) => {
        const i = pair.indexOf('=');
        return { name: pair.slice(0, i), value: pair.slice(i + 1), url: p.url };
      }),
    );
    const page = await context.newPage();
    await page.goto(`${p.url}/me/access`);
    await page.getByRole('link', { name: 'Verify your identity' }).click();
    await page.waitForURL(`${p.url}/me/verify`);
    assert.equal(await page.textContent('#current-level'), 'L1');
    const l2 = page.getByRole('region', { name: 'L2 · Confirm your name and ID number' });
    assert.match(
      (await l2.textContent()) ?? '',
      /Population registry.*Your name and resident ID number, nothing else/s,
    );
    await l2.getByRole('button', { name: 'Confirm with the registry' }).click();
    await page.waitForURL(`${p.url}/me/verify?done=2`);
    assert.equal(await page.getByRole('status').textContent(), 'Confirmed. Your level is now L2.');
    assert.equal(await page.textContent('#current-level'), 'L2');
    await page.screenshot({ path: 'test-results/verified-l2.png', fullPage: true });
    await page.getByRole('link', { name: 'Who accessed my data' }).first().click();
    assert.match(
      (await page.locator('table.access tbody tr').first().textContent()) ?? '',
      /Population registry/,
    );
    await context.close();
  });
});

/**
 * Invariant: a person whose session ended while they filled a form signs in again, comes
 * back to the page the form was on (not a POST-only address answering 404), and finds
 * what they typed in it — once, and never their password.
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
const PHONE = '13800001401';
const PASSWORD = 'a test password';

describe('signing in again in the middle of a form', () => {
  before(async () => {
    p = await startTestPlatform();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await p.stop();
  });

  test('P7.3 after the session ends mid-form, sign-in returns to the form with what was typed', async () => {
    const me = await registerCitizen(p, PHONE, idNumberFor(1401), { name: '测试', password: PASSWORD });
    const context = await browser.newContext({ locale: 'en-US' });
    await context.addCookies(
      me.cookie.split('; ').map((pair) => {
        const i = pair.indexOf('=');
        return { name: pair.slice(0, i), value: pair.slice(i + 1), url: p.url };
      }),
    );
    const page = await context.newPage();
    await page.goto(`${p.url}/me/verify`);
    assert.equal(await page.locator('.signed-in strong').textContent(), '138****1401');
    await page.getByLabel('Corrected name (as on your ID card)').fill('李四');
    // The session ends while the person types (expiry, sign-out elsewhere).
    await p.storage.db.query('UPDATE citizen_session SET revoked_at = now() WHERE subject_id = $1', [
      me.subjectId,
    ]);
    await page.getByRole('button', { name: 'Save the correction' }).click();
    await page.waitForURL(/\/login\?ended=1&next=%2Fme%2Fverify$/);
    assert.match((await page.getByRole('status').first().textContent()) ?? '', /You were signed out/);

    await page.getByLabel('Mobile number').fill(PHONE);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${p.url}/me/verify`);
    assert.equal(await page.getByLabel('Corrected name (as on your ID card)').inputValue(), '李四');

    // Restored once: a later visit starts empty.
    await page.reload();
    assert.equal(await page.getByLabel('Corrected name (as on your ID card)').inputValue(), '');
    await context.close();
  });

  test('P7.3 another person signing in on the same tab does not get the draft', async () => {
    const first = await registerCitizen(p, '13800001402', idNumberFor(1402), { password: PASSWORD });
    const second = await registerCitizen(p, '13800001403', idNumberFor(1403), { password: PASSWORD });
    const context = await browser.newContext({ locale: 'en-US' });
    await context.addCookies(
      first.cookie.split('; ').map((pair) => {
        const i = pair.indexOf('=');
        return { name: pair.slice(0, i), value: pair.slice(i + 1), url: p.url };
      }),
    );
    const page = await context.newPage();
    await page.goto(`${p.url}/me/verify`);
    await page.getByLabel('Corrected name (as on your ID card)').fill('王五');
    await p.storage.db.query('UPDATE citizen_session SET revoked_at = now() WHERE subject_id = $1', [
      first.subjectId,
    ]);
    await page.getByRole('button', { name: 'Save the correction' }).click();
    await page.waitForURL(/\/login\?ended=1/);
    // The second person's own browser cookie, so their sign-in needs no second step.
    const device = second.cookie.split('; ').find((c) => c.startsWith('civitas_device='))!;
    await context.addCookies([
      { name: 'civitas_device', value: device.slice('civitas_device='.length), url: p.url },
    ]);
    await page.getByLabel('Mobile number').fill('13800001403');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${p.url}/me/verify`);
    assert.equal(await page.locator('.signed-in strong').textContent(), '138****1403');
    assert.equal(await page.getByLabel('Corrected name (as on your ID card)').inputValue(), '');
    await context.close();
  });
});

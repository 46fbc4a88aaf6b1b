/**
 * Invariant: a person in a real browser can read the portal in all three languages,
 * switch language with the keyboard, and staff can sign in to the console — with the
 * content-security policy in force and no errors in the page.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { fromBase32, nextCode } from '../support/staff.ts';

const EMAIL = 'console@civitas.example';
const PASSWORD = 'a long browser-test password';
let p: TestPlatform;
let browser: Browser;
mkdirSync('test-results', { recursive: true });

/** Collects console errors and CSP violations: a page that needs inline script shows them. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

describe('portal and console in chromium', () => {
  before(async () => {
    p = await startTestPlatform({ CIVITAS_ADMIN_EMAIL: EMAIL, CIVITAS_ADMIN_PASSWORD: PASSWORD });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await p.stop();
  });

  test('the home page reads in zh-CN, English and Czech through the language switch', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${p.url}/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await page.textContent('h1'), '政务服务，一次登录');
    // The stylesheet loaded under the CSP: the header band is styled.
    // (Page code as strings: this project's TypeScript has no DOM library.)
    const band = await page.evaluate(
      `getComputedStyle(document.querySelector('.site-header')).backgroundColor`,
    );
    assert.equal(band, 'rgb(243, 246, 249)');

    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(`${p.url}/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.textContent('h1'), 'Public services, one sign-in');
    assert.ok(await page.getByRole('heading', { name: 'Housing Provident Fund Centre' }).isVisible());
    await page.screenshot({ path: 'test-results/home-en.png', fullPage: true });

    // Keyboard only: focus the Czech link and press Enter.
    await page.getByRole('link', { name: 'Čeština' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(`document.documentElement.lang === 'cs'`);
    assert.equal(await page.textContent('h1'), 'Veřejné služby s jedním přihlášením');

    // Remembered: a fresh navigation stays in Czech.
    await page.goto(`${p.url}/privacy`);
    assert.equal(await page.textContent('h1'), 'Zásady ochrany osobních údajů Civitas');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the skip link is the first stop for keyboard users', async () => {
    const page = await browser.newPage();
    await page.goto(`${p.url}/`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(`document.activeElement?.getAttribute('href')`), '#main');
    await page.close();
  });

  test('P7.2 staff sign in to the console and see the audit log', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${p.url}/admin`);
    await page.waitForURL(`${p.url}/admin/login`);
    await page.getByLabel('Work e-mail').fill(EMAIL);
    await page.getByLabel('Password').fill('wrong password here');
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.equal(await page.getByRole('alert').textContent(), 'The e-mail or password is not correct.');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // P7.2.roles the first sign-in sets up the authenticator app before the console opens.
    await page.waitForURL(`${p.url}/admin/enrol`);
    const key = (await page.locator('[data-totp-secret]').textContent())!;
    const app = { secret: fromBase32(key), lastStep: -1 };
    await page.getByLabel('Code').fill(await nextCode(app));
    await page.getByRole('button', { name: 'Confirm and open the console' }).click();
    await page.waitForURL(`${p.url}/admin`);
    assert.equal(await page.textContent('h1'), 'Staff console');
    assert.ok(await page.getByRole('cell', { name: 'staff.login', exact: true }).first().isVisible());
    await page.screenshot({ path: 'test-results/console-en.png', fullPage: true });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${p.url}/admin/login`);
    assert.deepEqual(
      problems.filter((m) => !m.includes('401')),
      [],
      'no page errors (the deliberate 401 is the only console message)',
    );
    await context.close();
  });
});

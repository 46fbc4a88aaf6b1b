/**
 * Invariant: a person registers and signs in from a real browser, in their language, with
 * labelled fields and errors announced, and lands on their own data.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Cookie, Page } from 'playwright-core';
import type { LocalSmsGateway } from '../../src/dev/sms.ts';
import { launchBrowser } from '../support/browser.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let browser: Browser;
/** The device cookie of the browser that passed a second step (a known device from then on). */
let knownDevice: Cookie[] = [];
const PHONE = '13700001111';
const PASSWORD = 'a browser password';

async function codeFrom(page: Page): Promise<string> {
  await page.getByRole('status').waitFor();
  return (p.sms as LocalSmsGateway).lastCode(PHONE)!;
}

describe('registration and sign-in in chromium', () => {
  before(async () => {
    p = await startTestPlatform();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await p.stop();
  });

  test('P2.1 a person registers in zh-CN and lands on their own data', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${p.url}/register`);
    await page.getByLabel('手机号码').fill('+86 137 0000 1111');
    await page.getByRole('button', { name: '获取验证码' }).click();
    const code = await codeFrom(page);
    await page.getByLabel('短信验证码').fill(code);
    await page.getByRole('button', { name: '继续' }).click();
    await page.getByLabel('姓名（与身份证一致）').fill('周杰');
    await page.getByLabel('居民身份证号码').fill('110105194902300027');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '创建账号' }).click();
    const summary = page.locator('.error-summary');
    assert.equal(
      await summary.getByRole('link').textContent(),
      '第 7 至 14 位不是真实的出生日期（年、月、日）',
      'an impossible ID number is refused in Chinese, saying which part is wrong',
    );
    assert.ok(await summary.evaluate((el) => el.matches(':focus')), 'the summary has the focus');
    await summary.getByRole('link').click();
    assert.ok(
      await page.getByLabel('居民身份证号码').evaluate((el) => el.matches(':focus')),
      'its link moves to the field',
    );
    assert.equal(
      await page.getByLabel('姓名（与身份证一致）').inputValue(),
      '周杰',
      'what was typed is kept',
    );
    await page.getByLabel('居民身份证号码').fill('110105 19491231 002x');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '创建账号' }).click();
    await page.waitForURL(`${p.url}/me/access`);
    assert.equal(await page.textContent('h1'), '谁访问了我的信息');
    await context.close();
  });

  test('P7.3 sign-in by password in English shows a plain error, then a new browser confirms by SMS code', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${p.url}/me/consents`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel('Mobile number').fill(PHONE);
    await page.getByLabel('Password').fill('not it');
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.equal(
      await page.locator('.error-summary').getByRole('link').textContent(),
      'The number or password is not correct',
    );
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // This browser never signed in to the account: one more step, by SMS (no other factor).
    await page.waitForURL(/\/login\/second-step\?next=%2Fme%2Fconsents$/);
    assert.equal(await page.textContent('h1'), 'Confirm it is you');
    assert.ok(await page.getByText('you have not signed in from this browser before').isVisible());
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByLabel('SMS code').fill(await codeFrom(page));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${p.url}/me/consents`);
    assert.equal(await page.textContent('h1'), 'My consents');
    knownDevice = (await context.cookies()).filter((c) => c.name === 'civitas_device');
    assert.equal(knownDevice.length, 1);
    await context.close();
  });

  test('P7.3 sign-in by SMS code in Czech', async () => {
    const context = await browser.newContext({ locale: 'cs-CZ' });
    const page = await context.newPage();
    await page.goto(`${p.url}/login/code`);
    await page.getByLabel('Mobilní číslo').fill(PHONE);
    await page.getByRole('button', { name: 'Poslat kód' }).click();
    await page.getByLabel('SMS kód').fill(await codeFrom(page));
    await page.getByRole('button', { name: 'Přihlásit' }).click();
    await page.waitForURL(`${p.url}/me/access`);
    assert.equal(await page.textContent('h1'), 'Kdo přistupoval k mým údajům');
    await page.screenshot({ path: 'test-results/signed-in-cs.png', fullPage: true });
    await context.close();
  });

  test('P7.3 a forgotten password is reset with a code to the verified phone, which signs out every other device', async () => {
    const other = await browser.newContext({ locale: 'en-US' });
    await other.addCookies(knownDevice); // the browser of the English sign-in: known, no step
    const otherPage = await other.newPage();
    await otherPage.goto(`${p.url}/login`);
    await otherPage.getByLabel('Mobile number').fill(PHONE);
    await otherPage.getByLabel('Password').fill(PASSWORD);
    await otherPage.getByRole('button', { name: 'Sign in' }).click();
    await otherPage.waitForURL(`${p.url}/me/access`);

    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${p.url}/login`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Mobile number').fill(PHONE);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByLabel('SMS code').fill(await codeFrom(page));
    await page.getByLabel('New password').fill('a brand new password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.waitForURL(`${p.url}/me/security`);
    assert.equal(
      await page.locator('ul.devices li.device').count(),
      1,
      'only this device is still signed in',
    );

    await otherPage.goto(`${p.url}/me/access`);
    await otherPage.waitForURL(/\/login\?next=/);
    const old = await fetch(`${p.url}/api/identity/login/password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: PHONE, password: PASSWORD }),
    });
    assert.equal(old.status, 401, 'the old password no longer works');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(`${p.url}/`);
    await page.goto(`${p.url}/me/security`);
    await page.waitForURL(/\/login\?next=/);
    await context.close();
    await other.close();
  });
});

/**
 * Invariant: in a real browser, a legal representative binds their company, authorises an
 * agent and acts for the company with the company named in every page header (zh-CN);
 * a person links an external account from the security page and signs in with it (en),
 * the whole way through the pages' own forms and links under the site's CSP.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalSmsGateway } from '../../src/dev/sms.ts';
import type { Browser, BrowserContext } from 'playwright-core';
import { seededCompanies } from '../../src/dev/company-registry.ts';
import { launchBrowser } from '../support/browser.ts';
import { registerCitizen, type Citizen } from '../support/citizens.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let browser: Browser;
const company = seededCompanies[3]!; // 杭州西湖茶业有限公司, representative 赵丽

async function signedInContext(c: Citizen, locale: string): Promise<BrowserContext> {
  const context = await browser.newContext({ locale });
  // The browser that registered: its session and device cookies.
  await context.addCookies(
    c.cookie.split('; ').map((pair) => {
      const i = pair.indexOf('=');
      return { name: pair.slice(0, i), value: pair.slice(i + 1), url: p.url };
    }),
  );
  return context;
}

describe('company accounts and linked accounts in chromium', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await p.stop();
  });

  test('P2.1 a legal representative binds a company, authorises an agent and acts for the company', async () => {
    const rep = await registerCitizen(p, '13800000001', company.representative.idNumber, { level: 3 });
    await registerCitizen(p, '13800000002', '110105199512120035');
    const context = await signedInContext(rep, 'zh-CN');
    const page = await context.newPage();
    await page.goto(`${p.url}/me/companies`);
    assert.equal(await page.textContent('h1'), '我的企业');

    await page.getByLabel('统一社会信用代码（18 位）').fill('91330106MA2H8K4P4E');
    await page.getByRole('button', { name: '绑定企业' }).click();
    assert.equal(
      await page.locator('.error-summary').getByRole('link').textContent(),
      '统一社会信用代码无效（18 位，末位为校验码）',
    );
    assert.equal(await page.getByLabel('统一社会信用代码（18 位）').inputValue(), '91330106MA2H8K4P4E');

    await page.getByLabel('统一社会信用代码（18 位）').fill(company.creditCode);
    await page.getByRole('button', { name: '绑定企业' }).click();
    await page.waitForURL(/\/me\/companies\/[0-9a-f-]{36}\?bound=1$/);
    assert.equal(await page.textContent('h1'), company.name);
    assert.equal(await page.getByRole('status').textContent(), '企业已绑定到您的账号。');

    await page.getByLabel('被授权人手机号（须已注册）').fill('13800000002');
    await page.getByLabel('税务').check();
    await page
      .getByLabel('授权截止日期（含当日）')
      .fill(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
    await page.getByRole('button', { name: '确认授权' }).click();
    assert.equal(await page.getByRole('status').textContent(), '授权已生效。');
    assert.equal(await page.locator('table.agents tbody td').first().textContent(), '138****0002');

    await page.getByRole('button', { name: '以该企业身份办理' }).click();
    await page.waitForURL(`${p.url}/me/companies?switched=1`);
    assert.equal(await page.locator('.acting').textContent(), `当前办理身份: ${company.name}`);
    await page.goto(`${p.url}/me/access`);
    assert.equal(
      await page.locator('.acting').textContent(),
      `当前办理身份: ${company.name}`,
      'every page shows whom the person acts for',
    );
    await context.close();
  });

  test('P7.1 a person links an external account on the security page and signs in with it', async () => {
    const person = await registerCitizen(p, '13800000003', '110105199001010029');
    const context = await signedInContext(person, 'en');
    const page = await context.newPage();
    await page.goto(`${p.url}/me/security`);
    await page.getByRole('button', { name: 'Link DevPay (local)' }).click();
    await page.getByRole('button', { name: 'Upstream user B' }).click();
    await page.waitForURL(`${p.url}/me/security?linked=1`);
    assert.equal(
      await page.getByRole('status').textContent(),
      'The account is linked. You can now sign in with it.',
    );
    assert.ok(await page.getByRole('button', { name: 'Unlink: DevPay (local)' }).isVisible());
    await context.close();

    const fresh = await browser.newContext({ locale: 'en' });
    const login = await fresh.newPage();
    await login.goto(`${p.url}/login`);
    await login.getByRole('link', { name: 'Sign in with DevPay (local)' }).click();
    await login.getByRole('button', { name: 'Upstream user B' }).click();
    // P7.3 a browser the account never used passes a second step, linked sign-in or not.
    await login.waitForURL(/\/login\/second-step/);
    await login.getByRole('button', { name: 'Send code' }).click();
    await login.getByRole('status').waitFor();
    await login.getByLabel('SMS code').fill((p.sms as LocalSmsGateway).lastCode(person.phone)!);
    await login.getByRole('button', { name: 'Continue' }).click();
    await login.waitForURL(`${p.url}/me/access`);
    assert.equal(await login.textContent('h1'), 'Who accessed my data');
    await fresh.close();
  });
});

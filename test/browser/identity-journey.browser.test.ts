/**
 * Invariant (P2.1, P7.3): the identity journey a citizen actually walks, in one chromium
 * browser: register with a confirmed phone, verify to L2 through the population registry,
 * sign out, sign in again (this browser is known: no second step), and see the signed-in
 * devices, all in Chinese.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { seededPeople } from '../../src/dev/partner-seed.ts';
import type { LocalSmsGateway } from '../../src/dev/sms.ts';
import { launchBrowser } from '../support/browser.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let browser: Browser;
const PHONE = '13700003333';
const PASSWORD = 'a journey password';

describe('identity journey in chromium', () => {
  before(async () => {
    p = await startTestPlatform();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await p.stop();
  });

  test('P2.1 P7.3 register, confirm the phone, verify to L2, sign out, sign in, see the session list', async () => {
    const person = seededPeople[2]!;
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));

    await page.goto(`${p.url}/register`);
    await page.getByLabel('手机号码').fill(PHONE);
    await page.getByRole('button', { name: '获取验证码' }).click();
    await page.getByRole('status').waitFor();
    await page.getByLabel('短信验证码').fill((p.sms as LocalSmsGateway).lastCode(PHONE)!);
    await page.getByRole('button', { name: '继续' }).click();
    await page.getByLabel('姓名（与身份证一致）').fill(person.name);
    await page.getByLabel('居民身份证号码').fill(person.idNumber);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '创建账号' }).click();
    await page.waitForURL(`${p.url}/me/access`);

    await page.goto(`${p.url}/me/verify`);
    assert.equal(await page.textContent('#current-level'), 'L1');
    const l2 = page.getByRole('region', { name: /^L2/ });
    await l2.getByRole('button').first().click();
    await page.waitForURL(`${p.url}/me/verify?done=2`);
    assert.equal(await page.textContent('#current-level'), 'L2');

    await page.goto(`${p.url}/me/security`);
    await page.locator('form.sign-out button').click();
    await page.goto(`${p.url}/me/security`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel('手机号码').fill(PHONE);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL(`${p.url}/me/security`);
    assert.equal(await page.textContent('h1'), '账号安全');
    const rows = page.locator('ul.devices li.device');
    assert.ok((await rows.count()) >= 1, 'the session list shows this device');
    assert.match((await rows.first().textContent()) ?? '', /本设备/);
    const level = await p.storage.db.query<{ assurance_level: number }>(
      'SELECT a.assurance_level FROM citizen_account a',
    );
    assert.deepEqual(
      level.rows.map((r) => r.assurance_level),
      [2],
    );
    assert.deepEqual(problems, [], `no console errors: ${problems.join(' | ')}`);
    await context.close();
  });
});

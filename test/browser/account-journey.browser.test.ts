/**
 * Invariant (P8.1.view, P8.1.correct, P8.1.export, P8.5.cancel): in chromium a person sees
 * their details, changes their phone, downloads their data, then closes their account after
 * seeing the services it affects; the department app they used receives the RISC
 * `account-purged` event and ends their session there; after closing, the same phone and ID
 * number register again.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDepartmentApp } from '../../department-app/app.ts';
import type { LocalSmsGateway } from '../../src/dev/sms.ts';
import { launchBrowser } from '../support/browser.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let browser: Browser;
let dept: Awaited<ReturnType<typeof startDepartmentApp>>;
const FIRST = '13700003331';
const SECOND = '13700003332';
const ID = '11010519491231002X';
const DAY = 86_400_000;
const sms = () => p.sms as LocalSmsGateway;

describe('my account from details to closing, in chromium', () => {
  before(async () => {
    p = await startTestPlatform({ CLOSURE_COOLING_OFF_DAYS: '7' });
    browser = await launchBrowser();
    const port = 30_000 + Math.floor(Math.random() * 20_000);
    const base = `http://localhost:${port}`;
    const { secret } = await p.registry.register(
      {
        clientId: 'journey-app',
        serviceSlug: 'transit-card',
        redirectUris: [`${base}/callback`],
        postLogoutRedirectUris: [`${base}/`],
        backchannelLogoutUri: `${base}/backchannel-logout`,
        riscPushEndpoint: `${base}/security-events`,
        policyUrl: `${base}/privacy`,
        dpaReference: 'DPA-JOURNEY-2026',
        fields: [{ field: 'name', purpose: 'service-provision', retentionDays: 365, required: true }],
      },
      { type: 'system', id: 'test' },
      { issueSecret: true },
    );
    dept = await startDepartmentApp({
      issuer: `${p.url}/oidc`,
      clientId: 'journey-app',
      clientSecret: secret!,
      port,
      title: 'Transit card',
      scope: 'openid name',
    });
  });
  after(async () => {
    await browser?.close();
    await dept?.close();
    await p.stop();
  });

  async function register(page: Page, phone: string) {
    await page.goto(`${p.url}/register`);
    await page.getByLabel('Mobile number').fill(phone);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByRole('status').waitFor();
    await page.getByLabel('SMS code').fill(sms().lastCode(phone)!);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Name (as on your ID card)').fill('张伟');
    await page.getByLabel('Resident ID number').fill(ID);
    await page.getByLabel('Password').fill('a browser password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${p.url}/me/access`);
  }

  test('P8.5.cancel details, a new phone, a download, then closing after seeing the services; the department app hears of it; the phone and ID number register again', async () => {
    const context = await browser.newContext({ locale: 'en-US', acceptDownloads: true });
    const page = await context.newPage();
    await register(page, FIRST);

    // My details.
    await page.goto(`${p.url}/me`);
    assert.equal(await page.locator('#account-name').textContent(), '张伟');
    assert.match((await page.locator('#account-phone').textContent()) ?? '', /3331/);

    // A new phone: a code to the new number, then one to the current number.
    await page.getByRole('link', { name: 'Change the mobile number' }).click();
    await page.getByLabel('New mobile number').fill(SECOND);
    await page.getByRole('button', { name: 'Send a code to the new number' }).click();
    await page.getByLabel('Code from the SMS to the new number').fill(sms().lastCode(SECOND)!);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Send a code to my current number' }).click();
    await page.getByLabel('Code from the SMS to your current number').fill(sms().lastCode(FIRST)!);
    await page.getByRole('button', { name: 'Replace my number' }).click();
    await page.getByText('Your mobile number was replaced').waitFor();

    // A copy of my data.
    await page.goto(`${p.url}/me/export`);
    await page.getByRole('button', { name: 'Prepare my archive' }).click();
    for (
      let i = 0;
      i < 10 && (await page.getByRole('link', { name: 'Download the JSON file' }).count()) === 0;
      i++
    ) {
      await p.jobs.runDue();
      await page.goto(`${p.url}/me/export`);
    }
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the JSON file' }).click(),
    ]);
    const archive = JSON.parse(await readFile((await download.path())!, 'utf8')) as object;
    assert.ok(JSON.stringify(archive).includes(SECOND), 'the archive holds the new number');

    // Signed in to the department app through Civitas.
    await page.goto(dept.url);
    await page.getByRole('link', { name: 'Sign in with Civitas' }).click();
    await page.getByRole('button', { name: 'Allow and continue' }).click();
    await page.waitForURL(`${dept.url}/`);
    await page.locator('#signed-in').waitFor();

    // Closing: the service is listed before anything is asked.
    await page.goto(`${p.url}/me`);
    await page.getByRole('link', { name: 'Close my account' }).click();
    await page.getByRole('heading', { name: 'Services that will lose you' }).waitFor();
    assert.ok(await page.locator('[data-client="journey-app"]').isVisible(), 'the department app is listed');
    await page.getByLabel(/I understand that my account and my data will be deleted/).check();
    await page.getByRole('button', { name: 'Close my account' }).click();
    if (await page.getByLabel('Password').count()) {
      await page.getByLabel('Password').fill('a browser password');
      await page
        .getByRole('button', { name: /Continue|Confirm/ })
        .first()
        .click();
    }
    await page.getByText(/Your account will close on/).waitFor();

    // The cooling-off period passes; the closing job and the push job run.
    const closed = await p.closure.runDue({ now: new Date(Date.now() + 8 * DAY) });
    assert.equal(closed.closed, 1);
    for (let i = 0; i < 10; i++) {
      await p.jobs.runDue();
      await page.goto(dept.url);
      if (await page.locator('#purged li').count()) break;
      await page.waitForTimeout(200);
    }
    assert.equal(await page.locator('#purged li').count(), 1, 'the department app received the event');
    assert.equal(await page.locator('#signed-in').count(), 0, 'and ended the person’s session there');

    // Gone at Civitas: the same phone and ID number open a new account.
    await p.storage.db.query(`UPDATE one_time_code SET created_at = created_at - interval '2 minutes'`);
    await context.clearCookies();
    await register(page, SECOND);
    await page.goto(`${p.url}/me`);
    assert.equal(await page.locator('#account-name').textContent(), '张伟');
    await context.close();
  });
});

/**
 * Invariant (P1.1 one sign-in for every service; P1.2/P2.3 the person sees what a service
 * gets and why; P5.1.1 only consented claims; "who accessed my data"): a department's own
 * app, integrated with openid-client, signs a person in through chromium, receives only
 * the fields the person allowed, its access shows on the person's page, a contact given for
 * delivery by post reaches the app's back end (P2.4) and that read shows too, and signing
 * out at the provider signs the person out of the department app too. Whichever sign-out
 * button the person presses and whichever logout channels a service registered, chromium
 * ends on the service's registered post-logout address (the portal's CSP `form-action`
 * must not strand it on the sign-out page).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startDepartmentApp } from '../../department-app/app.ts';
import type { LocalSmsGateway } from '../../src/dev/sms.ts';
import { launchBrowser } from '../support/browser.ts';
import { registerCitizen } from '../support/citizens.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let browser: Browser;
let dept: Awaited<ReturnType<typeof startDepartmentApp>>;
const PHONE = '13700002222';

describe('single sign-on into a department app in chromium', () => {
  before(async () => {
    p = await startTestPlatform();
    browser = await launchBrowser();
    // The app must know its own URL before registration: start it, then register.
    const port = 30_000 + Math.floor(Math.random() * 20_000);
    const base = `http://localhost:${port}`;
    const { secret } = await p.registry.register(
      {
        clientId: 'transit-app',
        serviceSlug: 'transit-card',
        redirectUris: [`${base}/callback`, `${base}/delivery/callback`],
        postLogoutRedirectUris: [`${base}/`],
        frontchannelLogoutUri: `${base}/frontchannel-logout`,
        backchannelLogoutUri: `${base}/backchannel-logout`,
        policyUrl: `${base}/privacy`,
        dpaReference: 'DPA-TRANSIT-2026',
        fields: [
          { field: 'name', purpose: 'service-provision', retentionDays: 365, required: true },
          { field: 'phone', purpose: 'service-provision', retentionDays: 30, required: false },
        ],
        offlineDelivery: true,
        grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
      },
      { type: 'system', id: 'test' },
      { issueSecret: true },
    );
    dept = await startDepartmentApp({
      issuer: `${p.url}/oidc`,
      clientId: 'transit-app',
      clientSecret: secret!,
      port,
      title: 'Transit card',
      scope: 'openid name phone',
      delivery: true,
    });
  });
  after(async () => {
    await browser?.close();
    await dept?.close();
    await p.stop();
  });

  test('P1.1 P2.4 register, sign in to the department app, release only the name, give a delivery contact, see both accesses, sign out everywhere', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));

    await page.goto(`${p.url}/register`);
    await page.getByLabel('Mobile number').fill(PHONE);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByRole('status').waitFor();
    await page.getByLabel('SMS code').fill((p.sms as LocalSmsGateway).lastCode(PHONE)!);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Name (as on your ID card)').fill('张伟');
    await page.getByLabel('Resident ID number').fill('11010519491231002X');
    await page.getByLabel('Password').fill('a browser password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${p.url}/me/access`);

    await page.goto(dept.url);
    await page.getByRole('link', { name: 'Sign in with Civitas' }).click();
    await page.getByRole('heading', { name: 'Share your data with this service?' }).waitFor();
    assert.match((await page.textContent('main')) ?? '', /Transit card|transit/i);
    assert.ok(
      await page.getByRole('link', { name: `${dept.url}/privacy` }).isVisible(),
      'the service’s own policy',
    );
    assert.equal(await page.getByRole('checkbox', { name: /Mobile number/ }).isChecked(), false);
    await page.getByRole('button', { name: 'Allow and continue' }).click();

    await page.waitForURL(`${dept.url}/`);
    await page.locator('#signed-in').waitFor();
    assert.equal(await page.locator('[data-claim="name"]').textContent(), '张伟');
    assert.equal(await page.locator('[data-claim="phone_number"]').count(), 0, 'the phone was not allowed');
    await page.getByRole('link', { name: 'Call the API with the access token' }).click();
    assert.match((await page.locator('#api-answer').textContent()) ?? '', /^200 .*"name":"张伟"/);

    // P2.4 delivery by post: the contact is given at Civitas for this one application.
    await page.getByRole('link', { name: 'Apply for a card, delivered by post' }).click();
    await page.getByRole('heading', { name: 'Delivery by post' }).waitFor();
    assert.match(
      (await page.textContent('main')) ?? '',
      /Only this department, and only for this application/,
    );
    await page.getByLabel('Recipient', { exact: true }).fill('张伟');
    await page.getByLabel('Recipient’s mobile number').fill('13700002223');
    await page.getByLabel('Postal address').fill('北京市朝阳区建国路1号');
    await page.getByRole('button', { name: 'Post it to this contact' }).click();
    await page.waitForURL(`${dept.url}/`);
    assert.match(
      (await page.locator('#delivery').textContent()) ?? '',
      /^Application APP-[0-9A-F]+ will be posted to 张伟, 北京市朝阳区建国路1号\.$/,
    );

    await page.goto(`${p.url}/me/access`);
    const access = (await page.textContent('main')) ?? '';
    assert.match(access, /Public Transport|Transport/);
    assert.match(access, /Delivery by post/, 'the department’s read of the contact is shown');
    await page.goto(`${p.url}/me/deliveries`);
    const mine = (await page.textContent('main')) ?? '';
    assert.match(mine, /Read by the department/);
    assert.match(mine, /北京市朝阳区建国路1号/);

    await page.goto(dept.url);
    await page.getByRole('link', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.waitForURL(`${dept.url}/`, { timeout: 10_000 });
    await page.getByRole('link', { name: 'Sign in with Civitas' }).waitFor();
    assert.equal(dept.sessions(), 0, 'the department app dropped its session');
    await page.goto(`${p.url}/me/access`);
    await page.waitForURL(/\/login\?next=/);
    assert.deepEqual(problems, [], `no console errors (CSP included): ${problems.join(' | ')}`);
    await context.close();
  });

  test('P1.1 sign-out returns to a service with no front-channel logout, whichever button the person presses', async () => {
    const port = 30_000 + Math.floor(Math.random() * 20_000);
    const base = `http://localhost:${port}`;
    const { secret } = await p.registry.register(
      {
        clientId: 'tax-app',
        serviceSlug: 'income-tax-return',
        redirectUris: [`${base}/callback`],
        postLogoutRedirectUris: [`${base}/`],
        policyUrl: `${base}/privacy`,
        dpaReference: 'DPA-TAX-2026',
        fields: [{ field: 'name', purpose: 'service-provision', retentionDays: 365, required: true }],
      },
      { type: 'system', id: 'test' },
      { issueSecret: true },
    );
    const tax = await startDepartmentApp({
      issuer: `${p.url}/oidc`,
      clientId: 'tax-app',
      clientSecret: secret!,
      port,
      title: 'Income tax',
      scope: 'openid name',
    });
    const context = await browser.newContext({ locale: 'en-US' });
    try {
      const person = await registerCitizen(p, '13700002299', '110105194912310054', { name: '李娜' });
      await context.addCookies(
        person.cookie.split('; ').map((pair) => {
          const [name, value] = pair.split('=') as [string, string];
          return { name, value, url: p.url };
        }),
      );
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));

      await page.goto(tax.url);
      await page.getByRole('link', { name: 'Sign in with Civitas' }).click();
      await page.getByRole('button', { name: 'Allow and continue' }).click();
      await page.waitForURL(`${tax.url}/`);
      await page.locator('#signed-in').waitFor();

      await page.getByRole('link', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Stay signed in' }).click();
      await page.waitForURL(`${tax.url}/`, { timeout: 10_000 });
      await page.getByRole('link', { name: 'Sign in with Civitas' }).click();
      await page.locator('#signed-in').waitFor();

      await page.getByRole('link', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign out everywhere' }).click();
      await page.waitForURL(`${tax.url}/`, { timeout: 10_000 });
      await page.getByRole('link', { name: 'Sign in with Civitas' }).waitFor();
      assert.deepEqual(problems, [], `no console errors (CSP included): ${problems.join(' | ')}`);
    } finally {
      await context.close();
      await tax.close();
    }
  });
});

/**
 * Invariant (P7.3, P2.2.1): a person adds a passkey on their security page in a real browser, and
 * it then serves as the second step of a risky sign-in and as a passwordless sign-in; the
 * server keeps only its public key. Chromium's CDP virtual authenticator plays the
 * security key; WebAuthn needs a host name, so the browser uses http://localhost. The
 * sign-in form reads the device's location only after the person ticks the box, rounded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { client, type Citizen } from '../support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let me: Citizen;
let base: string;

describe('passkeys in chromium', () => {
  before(async () => {
    p = await startTestPlatform();
    base = p.url.replace('127.0.0.1', 'localhost');
    browser = await launchBrowser();
    me = await client(p).register('13600000201', 201);
    context = await browser.newContext({ locale: 'en-US' });
    page = await context.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
      },
    });
    // The browser that registered: its session and device cookies.
    await context.addCookies(
      [me.session, me.device].map((c) => {
        const [name, value] = c.split('=') as [string, string];
        return { name, value, domain: 'localhost', path: '/' };
      }),
    );
  });
  after(async () => {
    await browser?.close();
    await p.stop();
  });

  test('P7.3 a person adds a passkey and is shown recovery codes once', async () => {
    await page.goto(`${base}/me/security`);
    await page.getByLabel('Name for this passkey').fill('Laptop key');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByRole('status').filter({ hasText: 'Passkey added.' }).waitFor();
    assert.equal(await page.locator('[data-codes] ol li').count(), 10, 'ten recovery codes, shown once');
    await page.getByRole('link', { name: 'I have saved them' }).click();
    await page.waitForURL(`${base}/me/security`);
    assert.ok(await page.getByText('Laptop key').isVisible());
    const { rows } = await p.storage.db.query<{ label: string; public_key: Buffer }>(
      'SELECT label, public_key FROM passkey WHERE subject_id = $1',
      [me.subjectId],
    );
    assert.deepEqual(
      rows.map((r) => r.label),
      ['Laptop key'],
    );
    // A CBOR map (COSE_Key: key type, algorithm, curve, coordinates): a public key only.
    assert.equal(rows[0]!.public_key[0]! >> 5, 5, 'a COSE public key, nothing secret');
  });

  test('P7.3 the passkey is the second step of a sign-in from a new browser', async () => {
    await context.clearCookies(); // a browser the account has never seen
    await page.goto(`${base}/login`);
    await page.getByLabel('Mobile number').fill(me.phone);
    await page.getByLabel('Password').fill('correct horse');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/login\/second-step/);
    assert.equal(await page.getByLabel('SMS code').count(), 0, 'with a passkey, no SMS code is offered');
    await page.screenshot({ path: 'test-results/second-step-en.png', fullPage: true });
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.waitForURL(`${base}/me/access`);
    await p.notify.drainOutbox(); // the alert's SMS goes from the outbox
    await page.goto(`${base}/me/security`);
    await page.screenshot({ path: 'test-results/account-security-en.png', fullPage: true });
    const alert = page.locator('table.alerts tbody tr').first();
    assert.match(
      await alert.innerText(),
      /you have not signed in from this browser before\s+Passkey\s+Sent$/,
    );
  });

  test('P7.3 a passkey signs in without a password', async () => {
    await context.clearCookies();
    await page.goto(`${base}/login`);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.waitForURL(`${base}/me/access`);
    const { rows } = await p.storage.db.query<{ detail: { method: string } }>(
      `SELECT detail FROM audit_entry WHERE subject_id = $1 AND action = 'identity.login' ORDER BY id DESC LIMIT 1`,
      [me.subjectId],
    );
    assert.equal(rows[0]!.detail.method, 'passkey');
  });

  test('P7.3 removing the only passkey says that unusual sign-ins go back to SMS codes', async () => {
    await page.goto(`${base}/me/security`);
    await page.getByRole('button', { name: 'Remove: Laptop key' }).click();
    await page.getByRole('button', { name: 'Yes, remove it' }).click();
    await page.waitForURL(`${base}/me/security?notice=removed-last`);
    assert.match(
      (await page.getByRole('status').first().textContent()) ?? '',
      /unusual sign-ins are confirmed by an SMS code to your phone/,
    );
    assert.equal(await page.getByText('No passkeys yet.').count(), 1);
  });

  test('P2.2.1 the sign-in form reads the device location only after the box is ticked, rounded to whole degrees', async () => {
    await context.grantPermissions(['geolocation'], { origin: base });
    await context.setGeolocation({ latitude: 39.9042, longitude: 116.4074 });
    await page.goto(`${base}/login`);
    await page.getByText('Add where you are signing in from (optional)').click();
    assert.equal(await page.locator('#place').inputValue(), '', 'nothing before the person asks');
    await page.getByLabel('Use this device’s location instead (rounded to about 100 km)').check();
    await page.getByText('Approximate location added.').waitFor();
    assert.equal(await page.locator('#place').inputValue(), 'geo:40,116');
    await page.getByLabel('Mobile number').fill(me.phone);
    await page.getByLabel('Password').fill('correct horse');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/me/access`);
    const { rows } = await p.storage.db.query<{ place_token: Buffer | null }>(
      'SELECT place_token FROM citizen_session WHERE subject_id = $1 ORDER BY created_at DESC LIMIT 1',
      [me.subjectId],
    );
    assert.equal(rows[0]!.place_token?.length, 16, 'only a keyed fingerprint of the place is kept');
  });
});

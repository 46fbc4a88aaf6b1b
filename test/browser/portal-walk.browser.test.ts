/**
 * Invariant: every portal page a person meets — anonymous pages, the register and sign-in
 * journeys, every page under /me signed in (verified to L3 where pages need it), companies,
 * linked accounts, delivery, an SSO consent screen and the logout page — in zh-CN, en and
 * cs, at 1280 and 390 px, scrolls no wider than the window, leads to no 404 or 500 from any
 * same-origin link or any form submitted empty or with a wrong value, shows no English
 * sentence or raw identifier in zh-CN or cs, ties every form error to its field (error
 * summary links, aria-invalid), and has no serious or critical axe-core violation.
 *
 * Every finding is collected before the test fails, each with page, language, width and
 * what was clicked. Findings known today and fixed in page code by others are listed in
 * EXPECTED below, one entry each: delete an entry when its fix merges (the run prints the
 * entries it no longer needs). Screenshots: artifacts/screenshots/<locale>-<width>-<page>.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import type { Browser } from 'playwright-core';
import { seededCompanies } from '../../src/dev/company-registry.ts';
import type { LocalSmsGateway } from '../../src/dev/sms.ts';
import { launchBrowser } from '../support/browser.ts';
import { relyingParty } from '../support/oidc.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { SCREENSHOTS, Walker, type Finding } from './walk/walker.ts';

interface Expected {
  page: string;
  check: string;
  /** Only in these languages (all when absent). */
  locales?: string[];
  /** A substring of the finding's detail, when one page has several findings of a check. */
  detail?: string;
  reason: string;
}

/**
 * Findings on today's main that page code must fix (issue 12); the walk cannot fix them
 * in test code. One entry per finding: page, check, reason (the issue's group).
 */
// Empty since issue 12's fixes merged (2026-12-02): a new finding fails the walk.
const EXPECTED: Expected[] = [];

const LOCALES = ['zh-CN', 'en', 'cs'] as const;
const PASSWORD = 'a walking test password';
// Representatives of active seeded companies, one per language, so each binds its own.
const COMPANIES = [seededCompanies[0]!, seededCompanies[3]!, seededCompanies[4]!];
const UPSTREAM = ['Upstream user A', 'Upstream user B', 'Upstream user C'];

let p: TestPlatform;
let browser: Browser;
const findings: Finding[] = [];
let looked = 0;

const matches = (e: Expected, f: Finding) =>
  e.page === f.page &&
  e.check === f.check &&
  (!e.locales || e.locales.includes(f.locale)) &&
  (!e.detail || f.detail.includes(e.detail));

const describeFinding = (f: Finding) =>
  `${f.page} [${f.locale}${f.width ? ` ${f.width}px` : ''}] ${f.check}: ${f.detail}${f.via ? ` — via ${f.via}` : ''}`;

async function walkLanguage(locale: (typeof LOCALES)[number], i: number): Promise<void> {
  const company = COMPANIES[i]!;
  const phone = `1390000010${i}`;
  const persona = { phone, password: PASSWORD };
  const sms = () => (p.sms as LocalSmsGateway).lastCode(phone)!;
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  const fresh = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  try {
    const w = await Walker.open(p.url, locale, context);
    const page = w.page;

    // Anonymous pages.
    for (const path of ['/', '/privacy', '/login', '/login/code', '/login/reset', '/register'])
      await w.visit(path);

    // A linked sign-in with an upstream account no one linked yet: the "not linked" page.
    await page.goto(`${p.url}/login/linked/devpay`);
    await page.getByRole('button', { name: UPSTREAM[i]! }).click();
    await page.waitForLoadState('load');
    await w.inspect('linked sign-in, not linked', 'link DevPay on /login');
    await w.followLinks('linked sign-in, not linked');

    // The register journey, through the page's own forms.
    await page.goto(`${p.url}/register`);
    await page.fill('#phone', phone);
    await w.submit('register: send code', 'form[action="/register/code"] button');
    await w.inspect('register step 2', 'register: send code');
    await w.followLinks('register step 2');
    await page.fill('#code', sms());
    await w.submit(
      'register: confirm the code',
      'form[action="/register/verify"] button[type=submit]:not([name=send])',
    );
    await w.inspect('register step 3', 'register: confirm the code');
    await page.fill('#name', company.representative.name);
    await page.fill('#idNumber', company.representative.idNumber);
    await page.fill('#password', PASSWORD);
    await w.submit('register: create account', 'form[action="/register"] button');
    assert.equal(new URL(page.url()).pathname, '/me/access', `registered in ${locale}`);
    w.persona = persona;

    // Level 1: the verification page with its forms.
    await w.visit('/me/verify');
    // The verification journey has its own tests: from here on the person is at L3. The
    // languages walk one after another, so the newest account is this person's.
    await p.storage.db.query(
      `UPDATE citizen_account SET assurance_level = 3
        WHERE subject_id = (SELECT subject_id FROM citizen_account ORDER BY created_at DESC LIMIT 1)`,
    );
    await w.visit('/me/verify', { name: '/me/verify (verified)', forms: false });

    // A company bound through the page, so its own page and the agents form exist.
    await page.goto(`${p.url}/me/companies`);
    await page.fill('input[name=creditCode]', company.creditCode);
    await w.submit('bind company', 'form[action="/me/companies"] button');
    const companyPage = new URL(page.url()).pathname;
    assert.match(companyPage, /^\/me\/companies\/[0-9a-f-]{36}$/, `company bound in ${locale}`);

    // A linked account, linked from the security page.
    await page.goto(`${p.url}/me/security`);
    await page.click('form[action^="/me/linked/"] button');
    await page.getByRole('button', { name: UPSTREAM[i]! }).click();
    await page.waitForURL(/\/me\/security\?linked=1$/);

    // The consent screen of an SSO flow (a demo service), answered "allow" by the walk.
    const demo = JSON.parse(readFileSync(join(p.config.dataDir, 'demo-clients.json'), 'utf8')) as {
      clients: { clientId: string; clientSecret: string }[];
    };
    const transit = demo.clients.find((c) => c.clientId === 'transit-card')!;
    const registered = (await p.registry.find('transit-card'))!;
    const [callback, deliveryCallback] = registered.redirectUris;
    const appUrl = new URL(callback!).origin;
    const rp = await relyingParty(p, transit.clientId, transit.clientSecret);
    const authorize = oidc.buildAuthorizationUrl(rp, {
      redirect_uri: callback!,
      scope: 'openid name phone',
      state: oidc.randomState(),
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    await page.goto(authorize.toString());
    await page.locator('form[action$="/consent"]').waitFor();
    await w.inspect('consent screen', 'Sign in with Civitas at transit-card');
    await w.followLinks('consent screen');
    await w.submit('consent: first button', 'form[action$="/consent"] button:not([type=button])');

    // Delivery by post: as a service sends the person, and without its parameters.
    await w.visit('/delivery', { name: '/delivery (no parameters)' });
    await w.visit(
      `/delivery?${new URLSearchParams({
        client_id: 'transit-card',
        application: `APP-WALK-${i}`,
        redirect_uri: deliveryCallback!,
        state: 'walk',
      })}`,
    );

    // The logout page of the provider, as a service sends the person there.
    await w.visit(
      `/oidc/session/end?${new URLSearchParams({
        client_id: 'transit-card',
        post_logout_redirect_uri: `${appUrl}/`,
      })}`,
      { name: 'logout page' },
    );

    // Signed in: every page under /me; the security page last, its forms sign out.
    for (const path of [
      '/me',
      '/me/password',
      '/me/phone',
      '/me/access',
      '/me/consents',
      '/me/services',
      '/me/activity',
      '/me/deliveries',
      '/me/companies',
      companyPage,
      '/me/email',
      '/me/push',
      '/me/inbox',
      '/me/notifications',
    ])
      await w.visit(path);
    await w.visit('/me/security');

    findings.push(...w.findings);
    looked += w.looked;

    // The sign-in journey on a browser the account never used: the second step.
    const s = await Walker.open(p.url, locale, fresh);
    await s.page.goto(`${p.url}/login`);
    await s.page.fill('#phone', phone);
    await s.page.fill('#password', PASSWORD);
    await s.submit('sign in with password', 'form[action^="/login"] button:not([type=button])');
    assert.match(s.page.url(), /\/login\/second-step/, `second step in ${locale}`);
    await s.visit(new URL(s.page.url()).pathname + new URL(s.page.url()).search, {
      skipForms: /^\/login\/second-step\/send$/,
    });
    await s.page.goto(`${p.url}/login/second-step`);
    await s.submit(
      'second step: send code',
      'form[action="/login/second-step/send"] button:not([type=button])',
    );
    await s.inspect('second step, code sent', 'second step: send code');
    await s.page.fill('input[name=code]', sms());
    await s.submit('second step: continue', 'form[action="/login/second-step"] button:not([type=button])');
    assert.equal(new URL(s.page.url()).pathname, '/me/access', `signed in again in ${locale}`);
    findings.push(...s.findings);
    looked += s.looked;
  } catch (err) {
    // A journey step that broke: where the browser stood, for whoever reads the failure.
    for (const [n, c] of [context, fresh].entries())
      for (const pg of c.pages()) {
        await pg.screenshot({ path: join(SCREENSHOTS, `broken-${locale}-${n}.png`), fullPage: true });
        (err as Error).message += `\n(${locale}: the browser was at ${pg.url()})`;
      }
    throw err;
  } finally {
    await context.close();
    await fresh.close();
  }
}

describe('the portal walked in chromium', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000', OIDC_RATE_LIMIT_PER_MINUTE: '1000' });
    // An announcement up, so the home page and the signed-in header are walked with one (the
    // walk's empty-form pass dismisses it on the first signed-in page, as a person might).
    await p.announce.publishNow({
      key: 'walk:service',
      kind: 'service',
      expiresAt: new Date(Date.now() + 86_400_000),
      by: { id: 'walk', type: 'system' },
      texts: {
        'zh-CN': { title: '公积金服务维护', text: '住房公积金服务将于周六 22:00 至 24:00 暂停。' },
        en: {
          title: 'Housing fund maintenance',
          text: 'The housing fund service pauses on Saturday 22:00–24:00.',
        },
        cs: {
          title: 'Údržba bytového fondu',
          text: 'Služba bytového fondu bude v sobotu 22:00–24:00 mimo provoz.',
        },
      },
    });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await p?.stop();
  });

  test('every portal page in zh-CN, en and cs at 1280 and 390 px passes the walk', async (t) => {
    // WALK_LOCALES=cs (comma-separated) walks fewer languages while working on a page.
    const only = process.env.WALK_LOCALES?.split(',');
    for (const [i, locale] of LOCALES.entries())
      if (!only || only.includes(locale)) await walkLanguage(locale, i);
    const unexpected = findings.filter((f) => !EXPECTED.some((e) => matches(e, f)));
    const unneeded = EXPECTED.filter((e) => !findings.some((f) => matches(e, f)));
    t.diagnostic(`${looked} page views checked; screenshots in ${SCREENSHOTS}/`);
    t.diagnostic(`${findings.length} findings, ${findings.length - unexpected.length} of them expected`);
    for (const e of unneeded)
      t.diagnostic(`expected failure no longer found, delete it: ${e.page} ${e.check}`);
    mkdirSync('artifacts', { recursive: true });
    writeFileSync(join('artifacts', 'walk-findings.json'), JSON.stringify(findings, null, 2));
    if (unexpected.length)
      assert.fail(
        `${unexpected.length} findings (all: artifacts/walk-findings.json):\n${unexpected.map(describeFinding).join('\n')}`,
      );
  });
});

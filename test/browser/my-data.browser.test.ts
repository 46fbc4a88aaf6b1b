/**
 * Invariant: a signed-in person sees, in their language, who accessed their data (newest
 * first, not their own reads, nothing under a legal restriction), and withdraws a consent
 * after one confirmation — after which the data is no longer released on it.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createSharingService } from '../../src/modules/sharing/index.ts';
import { staffActor, type Actor } from '../../src/modules/vault/index.ts';
import { launchBrowser } from '../support/browser.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { testShown } from '../support/policy.ts';

let p: TestPlatform;
let browser: Browser;
let person: string;
let token: string;
let surveyConsent: string;
mkdirSync('test-results', { recursive: true });

describe('my data pages in chromium', () => {
  before(async () => {
    p = await startTestPlatform();
    browser = await launchBrowser();
    person = await p.vault.createSubject('person');
    const self: Actor = { type: 'self', id: person, label: 'self' };
    await p.vault.write(
      person,
      { name: '陈静', phone: '13911112222' },
      { source: 'user', purpose: 'service-provision', actor: self },
    );
    await p.vault.read({
      subjectId: person,
      actor: self,
      purpose: 'service-provision',
      basis: { type: 'self' },
      fields: ['name'],
    });
    await p.vault.read({
      subjectId: person,
      actor: { type: 'department', id: 'tax', label: 'department:tax' },
      purpose: 'service-provision',
      basis: { type: 'necessity', service: 'income-tax-return' },
      fields: ['name', 'phone'],
    });
    const sharing = createSharingService({
      db: p.storage.db,
      audit: p.audit,
      vault: p.vault,
      consent: p.consent,
      notify: p.notify,
      residencyRegion: 'CN',
    });
    await sharing.disclose({
      subjectId: person,
      recipient: 'Public Security Bureau',
      fields: ['phone'],
      order: { authority: 'PSB', reference: 'order-1' },
      restrictedUntil: new Date(Date.now() + 3600_000),
      by: staffActor({ id: 'dpo', role: 'dpo' }),
    });
    surveyConsent = (
      await p.consent.give(
        {
          subjectId: person,
          kind: 'use',
          purpose: 'survey',
          categories: ['contact'],
          channel: 'portal',
          shown: await testShown(p.storage.db, 'invite me to surveys'),
        },
        { type: 'self', id: person },
      )
    ).id;
    token = await p.sessions.create(person);
  });
  after(async () => {
    await browser?.close();
    await p.stop();
  });

  const signedIn = async (locale: string) => {
    const context = await browser.newContext({ locale });
    await context.addCookies([{ name: 'civitas_session', value: token, url: p.url }]);
    return context;
  };

  test('P5.3.3 the person sees who accessed their data, in zh-CN, English and Czech', async () => {
    const expected = {
      'zh-CN': ['谁访问了我的信息', '税务局', '身份信息和联系方式', '提供服务', '办理您申请的服务所必需'],
      'en-US': [
        'Who accessed my data',
        'Tax Bureau',
        'Identity and Contact details',
        'Providing a service',
        'Needed for a service you asked for',
      ],
      'cs-CZ': [
        'Kdo přistupoval k mým údajům',
        'Finanční úřad',
        'Identifikační údaje a\u00a0Kontaktní údaje',
        'Poskytování služby',
        'Nutné pro službu',
      ],
    };
    for (const [locale, [title, who, data, purpose, basis]] of Object.entries(expected)) {
      const context = await signedIn(locale);
      const page = await context.newPage();
      await page.goto(`${p.url}/me/access`);
      assert.equal(await page.textContent('h1'), title);
      const rows = await page.locator('table.access tbody tr').allTextContents();
      assert.equal(rows.length, 1, 'one entry: not the own read, not the restricted disclosure');
      for (const text of [who!, data!, purpose!, basis!])
        assert.ok(rows[0]!.includes(text), `${locale}: ${text} in ${rows[0]}`);
      if (locale === 'en-US')
        await page.screenshot({ path: 'test-results/my-access-en.png', fullPage: true });
      await context.close();
    }
  });

  test('P8.5.withdraw P3.3 a consent is withdrawn after one confirmation; the page says what stops, and release stops at once', async () => {
    const context = await signedIn('en-US');
    const page = await context.newPage();
    await page.goto(`${p.url}/me/consents`);
    const card = page.locator('li.consent', { hasText: 'Surveys' });
    assert.ok(
      (await card.textContent())?.includes(
        'If you withdraw, this optional use stops. Every service you use keeps working.',
      ),
    );
    await page.screenshot({ path: 'test-results/my-consents-en.png', fullPage: true });
    await card.getByRole('button', { name: 'Withdraw' }).click();
    await page.getByRole('button', { name: 'Yes, withdraw it' }).click();
    await page.waitForURL(`${p.url}/me/consents?withdrawn=1`);
    assert.equal(
      await page.getByRole('status').textContent(),
      'Consent withdrawn. It no longer applies anywhere on the platform.',
    );
    assert.ok(
      (await page.locator('li.consent', { hasText: 'Surveys' }).textContent())?.includes('Withdrawn'),
    );
    await assert.rejects(
      p.vault.read({
        subjectId: person,
        actor: { type: 'system', id: 'surveys', label: 'system:surveys' },
        purpose: 'survey',
        basis: { type: 'consent', consentId: surveyConsent },
        fields: ['phone'],
      }),
      (err: Error & { code?: string }) => err.code === 'vault.consent_withdrawn',
    );
    await context.close();
  });

  test('P8.6 without a session the pages send the person to sign in; every rights page links to the contact channel', async () => {
    const res = await fetch(`${p.url}/me/access`, { redirect: 'manual' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/login?next=%2Fme%2Faccess');
    const html = await (
      await fetch(`${p.url}/me/consents`, {
        headers: { cookie: `civitas_session=${token}`, 'accept-language': 'en' },
      })
    ).text();
    assert.match(html, /Questions about your rights: call the 12345 hotline/);
  });

  test('P5.3.3 the same list is a JSON API for the signed-in person', async () => {
    const res = await fetch(`${p.url}/api/me/access-log`, {
      headers: { cookie: `civitas_session=${token}` },
    });
    const body = (await res.json()) as {
      entries: { actorLabel: string; operation: string; categories: string[] }[];
    };
    assert.deepEqual(
      body.entries.map((e) => [e.actorLabel, e.operation, e.categories]),
      [['department:tax', 'read', ['identity', 'contact']]],
    );
    const anonymous = await fetch(`${p.url}/api/me/access-log`);
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as { code: string }).code, 'http.unauthenticated');
  });

  test('a person cannot withdraw somebody else’s consent', async () => {
    const other = await p.vault.createSubject('person');
    const theirs = await p.consent.give(
      {
        subjectId: other,
        kind: 'use',
        purpose: 'survey',
        categories: ['contact'],
        channel: 'portal',
        shown: await testShown(p.storage.db, 'x'),
      },
      { type: 'self', id: other },
    );
    const res = await fetch(`${p.url}/me/consents/${theirs.id}/withdraw`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: `civitas_session=${token}`, accept: 'application/json' },
    });
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { code: string }).code, 'consent.unknown');
    assert.equal((await p.consent.of(other))[0]!.withdrawnAt, null);
  });
});

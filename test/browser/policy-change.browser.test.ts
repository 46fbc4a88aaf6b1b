/**
 * Invariant, in chromium (P9.version, P9.notice, P9.accept): the privacy policy reads well on
 * a phone (no sideways scrolling, every section reachable from its contents) in zh-CN, en and
 * cs; a material change is announced on the home page before it takes effect; after its
 * effective date a signed-in person is told on every page, reads the change, and is asked to
 * answer again only the consent whose purpose changed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { clock, manualTime, useTimeSource } from '../../src/kernel/clock.ts';
import { counts } from '../../src/modules/consent/index.ts';
import { idNumberFor } from '../support/citizen.ts';
import { registerCitizen } from '../support/citizens.ts';
import { launchBrowser } from '../support/browser.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { testShown } from '../support/policy.ts';

let p: TestPlatform;
let browser: Browser;
const DAY = 86_400_000;
const dpo = { id: 'dpo-journey', role: 'dpo' };
const titles = {
  'zh-CN': 'Civitas 隐私政策',
  en: 'Civitas privacy policy',
  cs: 'Zásady ochrany osobních údajů Civitas',
};

describe('a policy change in chromium', () => {
  before(async () => {
    p = await startTestPlatform();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await p.stop();
  });

  test('P9.version the privacy policy reads on a 390 px phone in every language, each section reachable from the contents', async () => {
    for (const locale of ['zh-CN', 'en', 'cs'] as const) {
      const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      await page.goto(`${p.url}/privacy`);
      assert.equal(await page.locator('main h1').textContent(), titles[locale]);
      const overflow = Number(
        await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
      );
      assert.ok(overflow <= 0, `${locale}: the page scrolls sideways by ${overflow} px`);
      const links = page.locator('nav.contents a');
      assert.equal(await links.count(), 10);
      await links.nth(5).click();
      assert.match(page.url(), /#P6$/);
      assert.ok(await page.locator('#P6 h2').isVisible());
      await context.close();
    }
  });

  const summaries = {
    'zh-CN': '我们开始使用页面统计来改进服务。',
    en: 'We start using page statistics to improve the services.',
    cs: 'Začínáme používat statistiky stránek ke zlepšení služeb.',
  };

  for (const [n, locale] of (['zh-CN', 'en', 'cs'] as const).entries()) {
    test(`P9.notice P9.accept ${locale}: a material change is announced, and after it takes effect the person answers again only the consent it changed`, async () => {
      const person = await registerCitizen(p, `1390000920${n}`, idNumberFor(9200 + n));
      const self = { type: 'self' as const, id: person.subjectId };
      const give = async (
        purpose: 'service-improvement' | 'personalisation',
        category: 'usage' | 'address',
        text: string,
      ) =>
        p.consent.give(
          {
            subjectId: person.subjectId,
            kind: 'use',
            purpose,
            categories: [category],
            channel: 'portal',
            shown: await testShown(p.storage.db, text),
          },
          self,
        );
      const statistics = await give('service-improvement', 'usage', 'use my page statistics');
      const personal = await give('personalisation', 'address', 'address for personalisation');

      const version = `2027-02-${n}`;
      const draft = await p.policyVersions.draft(dpo, version);
      const texts = Object.fromEntries(
        Object.entries(draft.draftTexts).map(([l, t]) => [
          l,
          t.replace(/\n## P5 \|/, '\nStatistics of page use now help improve the services (P4).\n\n## P5 |'),
        ]),
      );
      await p.policyVersions.save(dpo, version, {
        texts,
        material: true,
        changedSections: ['P4'],
        changedPurposes: ['service-improvement'],
        summary: summaries,
      });
      const effective = new Date(clock.date().getTime() + 31 * DAY);
      await p.policyVersions.schedule(dpo, version, effective);

      const context = await browser.newContext({ locale });
      const page = await context.newPage();
      await page.goto(`${p.url}/`);
      assert.equal(await page.getAttribute('html', 'lang'), locale);
      assert.ok(await page.getByText(summaries[locale]).first().isVisible(), 'announced on the home page');

      const restore = useTimeSource(manualTime(effective.getTime() + DAY));
      try {
        await context.addCookies(
          person.cookie.split('; ').map((kv) => {
            const at = kv.indexOf('=');
            return { name: kv.slice(0, at), value: kv.slice(at + 1), url: p.url };
          }),
        );
        await page.goto(`${p.url}/me`);
        const notice = page.locator('.policy-change');
        assert.ok(await notice.isVisible(), 'told on every page');
        await notice.getByRole('link').click();
        await page.waitForURL(`${p.url}/privacy/changes`);
        assert.ok(await page.getByText(summaries[locale]).first().isVisible());
        // Only the consent whose purpose changed is asked again.
        const asked = page.locator('form[action^="/privacy/changes/consents/"]');
        assert.equal(await asked.count(), 1);
        assert.equal(await asked.getAttribute('action'), `/privacy/changes/consents/${statistics.id}`);
        await page.locator('form[action="/privacy/changes/accept"] button').click();
        await page.waitForURL(/done=accepted/);
        await page
          .locator(`form[action="/privacy/changes/consents/${statistics.id}"] button[value="agree"]`)
          .click();
        await page.waitForURL(/done=agreed/);
        assert.equal(await page.locator('form[action^="/privacy/changes/consents/"]').count(), 0);
        await page.goto(`${p.url}/me`);
        assert.equal(await page.locator('.policy-change').count(), 0, 'asked once');
        const mine = await p.consent.of(person.subjectId);
        assert.ok(
          mine.some((c) => c.purpose === 'service-improvement' && c.id !== statistics.id && counts(c)),
        );
        assert.ok(counts(mine.find((c) => c.id === personal.id)!), 'the untouched consent stood all along');
      } finally {
        restore();
        await context.close();
      }
    });
  }
});

/**
 * Invariant (P9.version, P9.notice, P9.accept): the privacy policy a person reads is a
 * published version, its exact text downloadable with its hash, every version listed; a
 * material change is refused unless announced long enough before it takes effect, and when
 * scheduled is on the home page and in every person's inbox; after its effective date a
 * signed-in person is asked once to acknowledge it, and only the consents whose purpose it
 * changed stop counting until answered again.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { clock, manualTime, useTimeSource } from '../../../kernel/clock.ts';
import { idNumberFor } from '../../../../test/support/citizen.ts';
import { registerCitizen, type Citizen } from '../../../../test/support/citizens.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { testShown } from '../../../../test/support/policy.ts';
import { counts } from '../../../modules/consent/index.ts';
import { bundledVersions } from '../../../modules/policy/index.ts';

let p: TestPlatform;
let person: Citizen;
const DAY = 86_400_000;
const dpo = { id: 'dpo-policy', role: 'dpo' };
const page = (path: string, opts: { cookie?: string; lang?: string } = {}) =>
  fetch(`${p.url}${path}`, {
    headers: {
      ...(opts.cookie ? { cookie: opts.cookie } : {}),
      'accept-language': opts.lang ?? 'en',
    },
    redirect: 'manual',
  });
const post = (path: string, cookie: string, body: Record<string, string> = {}) =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: p.url },
    body: new URLSearchParams(body).toString(),
    redirect: 'manual',
  });

describe('the privacy policy and its versions', () => {
  before(async () => {
    p = await startTestPlatform();
    person = await registerCitizen(p, '13900009101', idNumberFor(9101));
  });
  after(() => p.stop());

  test('P9.version the policy page is the published version in the reader’s language, each section anchored, its exact text downloadable with its hash', async () => {
    const [bundled] = bundledVersions();
    for (const lang of ['zh-CN', 'en', 'cs'] as const) {
      const html = await (await page('/privacy', { lang })).text();
      assert.match(html, new RegExp(`<html lang="${lang}"`));
      for (let n = 1; n <= 10; n++)
        assert.match(html, new RegExp(`<section id="P${n}"`), `section P${n} (${lang})`);
      assert.match(html, new RegExp(`href="/privacy/versions/${bundled!.version}/${lang}.txt"`));
      const res = await page(`/privacy/versions/${bundled!.version}/${lang}.txt`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain; charset=utf-8/);
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.equal(bytes.toString('utf8'), bundled!.texts[lang], 'the published text, byte for byte');
      const digest = createHash('sha256').update(bytes).digest('base64');
      assert.equal(res.headers.get('repr-digest'), `sha-256=:${digest}:`);
    }
    // The live facts a section describes: the retention schedule, the cookie list, the purposes.
    const en = await (await page('/privacy')).text();
    assert.match(en, /id="retention-schedule"/);
    assert.match(en, /href="\/cookies"/);
    assert.match(en, /Improving services|service improvement/i);
    const versions = await (await page('/privacy/versions')).text();
    const hash = createHash('sha256').update(bundled!.texts.en!, 'utf8').digest('hex');
    assert.match(versions, new RegExp(`sha256:${hash}`));
    assert.equal((await page('/privacy/versions/1999-01/en.txt')).status, 404);
    assert.equal((await page(`/privacy/versions/${bundled!.version}/xx.txt`)).status, 404);
  });

  test('P9.notice a material change is refused without its summary or with too short a notice; scheduled, it is on the home page and in every person’s inbox', async () => {
    const v = p.policyVersions;
    await assert.rejects(v.draft({ id: 'support-1', role: 'support' }, '2027-01'), {
      code: 'policy.forbidden',
    });
    const draft = await v.draft(dpo, '2027-01');
    assert.equal(draft.state, 'draft');
    assert.equal(
      draft.draftTexts.en,
      bundledVersions()[0]!.texts.en,
      'a draft starts as the version in effect',
    );
    const texts = Object.fromEntries(
      Object.entries(draft.draftTexts).map(([l, text]) => [
        l,
        text.replace(/\n## P5 \|/, '\nStatistics of page use now help improve the services (P4).\n\n## P5 |'),
      ]),
    );
    await v.save(dpo, '2027-01', {
      texts,
      material: true,
      changedSections: ['P4'],
      changedPurposes: ['service-improvement'],
      summary: {},
    });
    const diff = await v.diff('2027-01', 'en');
    assert.deepEqual(
      diff.filter((c) => c.added).map((c) => c.value.trim()),
      ['Statistics of page use now help improve the services (P4).'],
    );
    const now = clock.date();
    await assert.rejects(
      v.schedule(dpo, '2027-01', new Date(now.getTime() + 40 * DAY)),
      (err: Error & { code?: string; detail?: string }) =>
        err.code === 'policy.invalid_version' && /summary\.zh-CN: missing/.test(err.detail ?? ''),
    );
    await v.save(dpo, '2027-01', {
      texts,
      material: true,
      changedSections: ['P4'],
      changedPurposes: ['service-improvement'],
      summary: {
        'zh-CN': '我们开始使用页面统计来改进服务。',
        en: 'We start using page statistics to improve the services.',
        cs: 'Začínáme používat statistiky stránek ke zlepšení služeb.',
      },
    });
    await assert.rejects(v.schedule(dpo, '2027-01', new Date(now.getTime() + 10 * DAY)), {
      code: 'policy.notice_too_short',
    });
    const effective = new Date(now.getTime() + 31 * DAY);
    const scheduled = await v.schedule(dpo, '2027-01', effective);
    assert.equal(scheduled.state, 'scheduled');
    await assert.rejects(
      v.save(dpo, '2027-01', {
        texts,
        material: false,
        changedSections: [],
        changedPurposes: [],
        summary: {},
      }),
      {
        code: 'policy.version_settled',
      },
    );

    // Not in effect yet: the page still shows the version in effect; the versions list shows both.
    assert.doesNotMatch(await (await page('/privacy')).text(), /Statistics of page use now help/);
    assert.match(await (await page('/privacy/versions')).text(), /Announced, not yet in effect/);
    // The home page announces it, signed out too.
    assert.match(await (await page('/')).text(), /We start using page statistics to improve the services\./);
    // Every person is told through the notification channels (the job `policy.notice`).
    await p.jobs.runDue();
    const inbox = await p.notify.inbox(person.subjectId, 'en');
    assert.ok(
      inbox.some((m) => /Version 2027-01 of the Civitas privacy policy takes effect/.test(m.text)),
      JSON.stringify(inbox.map((m) => m.title)),
    );
  });

  test('P9.accept after the effective date the person is asked once; only the consent whose purpose changed stops counting until answered', async () => {
    const self = { type: 'self' as const, id: person.subjectId };
    const before = new Date(clock.date().getTime() - 60_000);
    const statistics = await p.consent.give(
      {
        subjectId: person.subjectId,
        kind: 'use',
        purpose: 'service-improvement',
        categories: ['usage'],
        channel: 'portal',
        shown: await testShown(p.storage.db, 'use my page statistics'),
      },
      self,
    );
    const personal = await p.consent.give(
      {
        subjectId: person.subjectId,
        kind: 'use',
        purpose: 'personalisation',
        categories: ['address'],
        channel: 'portal',
        shown: await testShown(p.storage.db, 'address for personalisation'),
      },
      self,
    );
    assert.ok(statistics.givenAt > before);
    const effective = (await p.policyVersions.get('2027-01'))!.effectiveFrom!;
    // Before the effective date: nothing to acknowledge, every consent counts.
    assert.equal(await p.policyVersions.pending(person.subjectId), undefined);
    assert.ok((await p.consent.of(person.subjectId)).every((c) => counts(c)));

    const restore = useTimeSource(manualTime(effective.getTime() + DAY));
    try {
      const home = await (await page('/me', { cookie: person.cookie })).text();
      assert.match(home, /Our privacy policy changed on \d{4}-\d\d-\d\d\./);
      const changes = await (await page('/privacy/changes', { cookie: person.cookie })).text();
      assert.match(changes, /We start using page statistics to improve the services\./);
      assert.match(changes, /These consents need your answer again/);
      const mine = await p.consent.of(person.subjectId);
      assert.equal(counts(mine.find((c) => c.id === statistics.id)!), false, 'the changed purpose waits');
      assert.equal(counts(mine.find((c) => c.id === personal.id)!), true, 'the other stands');
      // The page shows the new version now.
      assert.match(
        await (await page('/privacy')).text(),
        /Statistics of page use now help improve the services/,
      );

      assert.equal((await post('/privacy/changes/accept', person.cookie)).status, 303);
      assert.equal(await p.policyVersions.pending(person.subjectId), undefined, 'asked once');
      assert.doesNotMatch(
        await (await page('/me', { cookie: person.cookie })).text(),
        /Our privacy policy changed on/,
      );
      const { rows } = await p.storage.db.query<{ version: string; how: string }>(
        `SELECT version, how FROM policy_acceptance WHERE subject_id = $1`,
        [person.subjectId],
      );
      assert.deepEqual(rows, [{ version: '2027-01', how: 'acknowledged' }]);

      // Answering again: a new consent under the policy in effect, which counts.
      assert.equal(
        (await post(`/privacy/changes/consents/${statistics.id}`, person.cookie, { answer: 'agree' })).status,
        303,
      );
      const after = await p.consent.of(person.subjectId);
      const again = after.find((c) => c.purpose === 'service-improvement' && c.id !== statistics.id);
      assert.ok(again && counts(again), 'the new answer counts');
      assert.doesNotMatch(
        await (await page('/privacy/changes', { cookie: person.cookie })).text(),
        /These consents need your answer again/,
      );
      // A consent that awaits no answer is not answered here.
      assert.equal(
        (await post(`/privacy/changes/consents/${personal.id}`, person.cookie, { answer: 'withdraw' }))
          .status,
        303,
      );
      assert.equal(counts((await p.consent.of(person.subjectId)).find((c) => c.id === personal.id)!), true);
    } finally {
      restore();
    }
  });

  test('P9.accept P1.2 a service that changes its own privacy terms has its consents asked again; the consents to other services stand', async () => {
    const who = await registerCitizen(p, '13900009102', idNumberFor(9102));
    const input = (clientId: string, policyUrl: string) => ({
      clientId,
      serviceSlug: 'transit-card',
      redirectUris: ['https://transit.example/callback'],
      policyUrl,
      dpaReference: 'DPA-T-1',
      fields: [
        { field: 'name' as const, purpose: 'service-provision' as const, retentionDays: 90, required: true },
      ],
    });
    const system = { type: 'system' as const, id: 'test' };
    await p.registry.register(input('terms-changing', 'https://transit.example/privacy'), system);
    await p.registry.register(input('terms-steady', 'https://steady.example/privacy'), system);
    const to = async (clientId: string) =>
      p.consent.give(
        {
          subjectId: who.subjectId,
          kind: 'use',
          purpose: 'service-provision',
          categories: ['identity'],
          recipient: { type: 'department', id: clientId },
          channel: 'sso-consent-screen',
          shown: await testShown(p.storage.db, `release my name to ${clientId}`),
        },
        { type: 'self', id: who.subjectId },
      );
    const changing = await to('terms-changing');
    const steady = await to('terms-steady');
    // The same URL again is no new version; another URL is.
    await p.registry.register(input('terms-steady', 'https://steady.example/privacy'), system);
    const restore = useTimeSource(manualTime(clock.date().getTime() + 60_000));
    try {
      await p.registry.register(input('terms-changing', 'https://transit.example/privacy-2027'), system);
      // The cached list of changes is read again after 30 s.
      const later = useTimeSource(manualTime(clock.date().getTime() + 120_000));
      try {
        const realNow = Date.now;
        Date.now = () => realNow() + 31_000;
        try {
          const mine = await p.consent.of(who.subjectId);
          const a = mine.find((c) => c.id === changing.id)!;
          assert.equal(counts(a), false);
          assert.deepEqual(a.awaitingAnswer, { version: 'service:terms-changing' });
          assert.equal(counts(mine.find((c) => c.id === steady.id)!), true);
        } finally {
          Date.now = realNow;
        }
      } finally {
        later();
      }
    } finally {
      restore();
    }
  });
});

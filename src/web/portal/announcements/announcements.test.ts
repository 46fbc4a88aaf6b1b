/**
 * Invariant (P7.2i, the announcement part): a published announcement is on the portal home
 * page for everybody, signed out too (without a dismiss button), and in the header of every
 * signed-in page with one, in the page's language; dismissing it (a POST, refused cross-site,
 * working without JavaScript) hides it for that person only and returns to the page; it
 * disappears when it expires, with no job run; a drill never shows to anybody on the portal.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { client, type Citizen } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { manualTime, useTimeSource } from '../../../kernel/clock.ts';

const DAY = 86_400_000;
let p: TestPlatform;
let me: Citizen;
let other: Citizen;

const cookie = (c: Citizen) => `${c.session}; ${c.device}`;
const page = async (path: string, lang: string, c?: Citizen) =>
  (
    await fetch(`${p.url}${path}`, {
      headers: { cookie: `${c ? `${cookie(c)}; ` : ''}civitas_lang=${lang}` },
    })
  ).text();
const dismiss = (id: string, c: Citizen, next: string, site = 'same-origin') =>
  fetch(`${p.url}/announcements/${id}/dismiss?next=${encodeURIComponent(next)}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-site': site,
      cookie: cookie(c),
    },
    body: '',
  });

const publish = (tag: string, over: { expiresAt?: Date; drill?: boolean } = {}) =>
  p.announce.publishNow({
    key: `test:${randomUUID()}`,
    kind: 'service',
    texts: {
      'zh-CN': { title: `系统维护通知${tag}`, text: `本周六凌晨系统维护${tag}。` },
      en: { title: `Planned maintenance ${tag}`, text: `Maintenance on Saturday night ${tag}.` },
      cs: { title: `Plánovaná údržba ${tag}`, text: `Údržba v sobotu v noci ${tag}.` },
    },
    expiresAt: over.expiresAt ?? new Date(Date.now() + 3 * DAY),
    drill: over.drill,
    by: { id: 'admin-test', role: 'administrator' },
  });

before(async () => {
  p = await startTestPlatform();
  me = await client(p).register('13700000831', 831);
  other = await client(p).register('13700000832', 832);
});
after(() => p?.stop());

describe('announcements on the portal', () => {
  test('P7.2i.notify: the home page shows it to a visitor in zh-CN, en and cs, with no dismiss button', async () => {
    const { id } = await publish('甲');
    const en = await page('/', 'en');
    assert.match(en, /<strong>Planned maintenance 甲<\/strong>/);
    assert.match(en, /Maintenance on Saturday night 甲\./);
    assert.match(en, /Service update/);
    assert.ok(!en.includes(`/announcements/${id}/dismiss`));
    assert.match(await page('/', 'zh-CN'), /<strong>系统维护通知甲<\/strong>/);
    assert.match(await page('/', 'cs'), /<strong>Plánovaná údržba 甲<\/strong>/);
    // Signed out, other pages do not carry it (only the home page is the public notice board).
    assert.ok(!(await page('/privacy', 'en')).includes('Planned maintenance 甲'));
  });

  test('P7.2i.notify: every signed-in page’s header shows it with a dismiss form; dismissing hides it for that person only and returns to the page', async () => {
    const { id } = await publish('乙');
    for (const path of ['/', '/me/security', '/me/inbox', '/me/notifications']) {
      const html = await page(path, 'en', me);
      assert.match(html, /<strong>Planned maintenance 乙<\/strong>/, path);
      assert.ok(
        html.includes(
          `<form method="post" action="/announcements/${id}/dismiss?next=${encodeURIComponent(path)}">`,
        ),
        path,
      );
    }
    const res = await dismiss(id, me, '/me/security');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/me/security');
    assert.ok(!(await page('/me/security', 'en', me)).includes('Planned maintenance 乙'));
    assert.ok(!(await page('/', 'en', me)).includes('Planned maintenance 乙'));
    assert.match(await page('/me/security', 'cs', other), /<strong>Plánovaná údržba 乙<\/strong>/);
    assert.match(await page('/', 'en'), /Planned maintenance 乙/, 'still on the public home page');
  });

  test('a dismissal sent from another site is refused and changes nothing; a next off the portal returns home', async () => {
    const { id } = await publish('丙');
    const cross = await dismiss(id, other, '/me/security', 'cross-site');
    assert.equal(cross.status, 403);
    assert.match(await page('/me/security', 'en', other), /Planned maintenance 丙/);
    const away = await dismiss(id, other, 'https://evil.example/');
    assert.equal(away.headers.get('location'), '/');
    const unknown = await dismiss(randomUUID(), other, '/me/inbox');
    assert.equal(unknown.status, 303);
  });

  test('P7.2i.notify: an expired announcement is gone from the home page, with no job run', async () => {
    const start = Date.now();
    await publish('丁', { expiresAt: new Date(start + DAY) });
    assert.match(await page('/', 'en'), /Planned maintenance 丁/);
    const restore = useTimeSource(manualTime(start + DAY + 1000));
    try {
      assert.ok(!(await page('/', 'en')).includes('Planned maintenance 丁'));
    } finally {
      restore();
    }
  });

  test('P7.2i.notify: a drill is never shown to a visitor or a signed-in person', async () => {
    await publish('戊', { drill: true });
    assert.ok(!(await page('/', 'en')).includes('Planned maintenance 戊'));
    assert.ok(!(await page('/me/security', 'en', me)).includes('Planned maintenance 戊'));
    assert.ok(!(await page('/', 'zh-CN', other)).includes('系统维护通知戊'));
  });
});

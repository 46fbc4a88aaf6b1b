/**
 * Invariant: /me/inbox shows the signed-in person their own messages, newest first, read or
 * unread, in the language they read in, twenty a page with older pages by `before`; opening
 * a message (a POST) marks it read, "mark all as read" marks every one; another person's
 * message id changes nothing; every signed-in page's header shows the unread count, linked
 * to the inbox. The JSON twin answers the same, and refuses a cross-site post.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client, type Citizen } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';

let p: TestPlatform;
let me: Citizen;
let other: Citizen;

const cookie = (c: Citizen) => `${c.session}; ${c.device}`;
const page = async (path: string, c: Citizen, lang = 'en') =>
  (await fetch(`${p.url}${path}`, { headers: { cookie: `${cookie(c)}; civitas_lang=${lang}` } })).text();
const post = (path: string, body: Record<string, string>, c: Citizen, site = 'same-origin') =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-site': site,
      cookie: `${cookie(c)}; civitas_lang=en`,
    },
    body: new URLSearchParams(body).toString(),
  });
const api = (path: string, c: Citizen, init: { method?: string; body?: unknown; site?: string } = {}) =>
  fetch(`${p.url}${path}`, {
    method: init.method ?? 'GET',
    redirect: 'manual',
    headers: {
      cookie: cookie(c),
      'accept-language': 'en',
      'sec-fetch-site': init.site ?? 'same-origin',
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

interface InboxJson {
  entries: { id: string; title: string; text: string; read: boolean; at: string }[];
  unread: number;
  older?: string;
}
const inboxOf = async (c: Citizen, q = '') => (await (await api(`/api/me/inbox${q}`, c)).json()) as InboxJson;

/** Queues a service update to `c`, one by one (each its own time). */
const news = async (c: Citizen, service: string) =>
  p.notify.enqueue(p.storage.db, {
    subjectId: c.subjectId,
    template: 'service-update',
    params: { service },
    locale: 'en',
  });

before(async () => {
  p = await startTestPlatform();
  me = await client(p).register('13700000811', 811);
  other = await client(p).register('13700000812', 812);
});
after(() => p?.stop());

describe('the inbox page', () => {
  test('signed out: the page sends to sign-in, the API answers 401 problem+json', async () => {
    const res = await fetch(`${p.url}/me/inbox`, { redirect: 'manual' });
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location') ?? '', /^\/login\?next=%2Fme%2Finbox/);
    const json = await fetch(`${p.url}/api/me/inbox`);
    assert.equal(json.status, 401);
    assert.match(json.headers.get('content-type') ?? '', /application\/problem\+json/);
  });

  test('newest first, unread marked, in the reader’s language; the header of every signed-in page shows the unread count', async () => {
    const before = (await inboxOf(me)).unread;
    await news(me, '公交卡');
    await news(me, '社保查询');
    const en = await page('/me/inbox', me, 'en');
    const first = en.indexOf('News from 社保查询');
    const second = en.indexOf('News from 公交卡');
    assert.ok(first > 0 && second > first, 'the newest message comes first');
    assert.match(en, /Unread<\/span> · News from 社保查询/);
    const zh = await page('/me/inbox', me, 'zh-CN');
    assert.match(zh, /未读<\/span> · 社保查询有新消息/);
    const cs = await page('/me/inbox', me, 'cs');
    assert.match(cs, /Nepřečteno<\/span> · Novinky ze služby 社保查询/);
    const n = before + 2;
    const header = await page('/me/security', me, 'en');
    assert.match(
      header,
      new RegExp(`<a href="/me/inbox">Messages <span class="unread">${n} unread</span></a>`),
    );
    const czech = await page('/me/security', me, 'cs');
    assert.match(czech, /<a href="\/me\/inbox">Zprávy <span class="unread">\d+ nepřečt/);
  });

  test('opening a message marks it read and shows its text; another person’s id changes nothing', async () => {
    const id = await news(me, '不动产登记');
    const theirs = await post('/me/inbox/read', { id }, other);
    assert.equal(theirs.status, 303);
    assert.equal((await inboxOf(me)).entries.find((e) => e.id === id)?.read, false);
    const viaApi = await api('/api/me/inbox/read', other, { method: 'POST', body: { id } });
    assert.deepEqual(((await viaApi.json()) as { marked: number }).marked, 0);
    assert.equal((await inboxOf(me)).entries.find((e) => e.id === id)?.read, false);

    const unread = (await inboxOf(me)).unread;
    const opened = await post('/me/inbox/read', { id }, me);
    assert.equal(opened.status, 303);
    assert.equal(opened.headers.get('location'), `/me/inbox?open=${id}#m-${id}`);
    const html = await page(opened.headers.get('location')!, me);
    assert.match(html, new RegExp(`id="m-${id}" aria-current="true"`));
    assert.match(html, /Read<\/span> · News from 不动产登记/);
    assert.match(html, /不动产登记 has news about a service you use/);
    assert.equal((await inboxOf(me)).unread, unread - 1);
  });

  test('“mark all as read” marks every message; the header then shows no count', async () => {
    await news(me, '公积金');
    const res = await post('/me/inbox/read', { id: 'all' }, me);
    assert.equal(res.headers.get('location'), '/me/inbox?notice=all-read');
    const html = await page('/me/inbox?notice=all-read', me);
    assert.match(html, /All your messages are marked as read/);
    assert.match(html, /<a href="\/me\/inbox">Messages<\/a>/);
    assert.equal((await inboxOf(me)).unread, 0);
  });

  test('twenty a page; the older page continues exactly where the first ended', async () => {
    const c = await client(p).register('13700000813', 813);
    for (let i = 0; i < 23; i++) await news(c, `服务${i}`);
    const all = (await inboxOf(c, '?limit=100')).entries.map((e) => e.id);
    const first = await inboxOf(c);
    assert.equal(first.entries.length, 20);
    assert.ok(first.older);
    const html = await page('/me/inbox', c);
    assert.match(html, /href="\/me\/inbox\?before=[^"]+">Older messages</);
    const rest = await inboxOf(c, `?before=${encodeURIComponent(first.older)}`);
    assert.deepEqual(
      [...first.entries, ...rest.entries].map((e) => e.id),
      all,
    );
    assert.equal(rest.older, undefined);
    const older = await page(`/me/inbox?before=${encodeURIComponent(first.older)}`, c);
    assert.match(older, /Back to the newest messages/);
  });

  test('the JSON twin refuses a cross-site post and a body that names no message', async () => {
    const cross = await api('/api/me/inbox/read', me, {
      method: 'POST',
      body: { id: 'all' },
      site: 'cross-site',
    });
    assert.equal(cross.status, 403);
    assert.equal(((await cross.json()) as { code: string }).code, 'http.cross_site');
    const bad = await api('/api/me/inbox/read', me, { method: 'POST', body: { id: 'x' } });
    assert.equal(bad.status, 400);
    const page = await post('/me/inbox/read', { id: 'all' }, me, 'cross-site');
    assert.equal(page.status, 403);
  });
});

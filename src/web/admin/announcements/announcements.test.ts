/**
 * Invariant: the console's announcements page lets an administrator (and the DPO, and a
 * security officer where that role exists) publish a service or policy announcement in
 * zh-CN, en and cs with an expiry, which then shows on the portal home page, and withdraw
 * it, which takes it down; posting the same form twice publishes once; a refusal keeps what
 * was typed; any other role gets a readable 403 page and changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { signInStaff } from '../../../../test/support/staff.ts';

let p: TestPlatform;
let admin: string;
let support: string;

const form = (path: string, body: Record<string, string>, cookie: string) =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-site': 'same-origin',
      cookie,
      'accept-language': 'en',
    },
    body: new URLSearchParams(body).toString(),
  });
const get = async (path: string, cookie = '', lang = 'en') => {
  const res = await fetch(`${p.url}${path}`, { headers: { cookie, 'accept-language': lang } });
  return { status: res.status, html: await res.text() };
};

async function staffCookie(role: 'support' | 'administrator', email: string) {
  await p.staff.create(
    { email, displayName: role, role, password: 'staff password 123' },
    { type: 'system', id: 'test' },
  );
  return signInStaff(p.url, email, 'staff password 123');
}

const tomorrow = () => new Date(Date.now() + 2 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
const filled = (key: string, over: Record<string, string> = {}) => ({
  key,
  kind: 'policy',
  'title-zh-CN': '隐私政策即将更新',
  'text-zh-CN': '新版隐私政策将于下月生效。',
  'title-en': 'The privacy policy is changing',
  'text-en': 'A new privacy policy takes effect next month.',
  'title-cs': 'Zásady ochrany soukromí se mění',
  'text-cs': 'Nové zásady vstoupí v platnost příští měsíc.',
  expires: tomorrow(),
  ...over,
});
const keyOf = (html: string) => /name="key" value="([^"]+)"/.exec(html)?.[1] ?? '';

before(async () => {
  p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
  admin = await staffCookie('administrator', 'admin-announce@civitas.example');
  support = await staffCookie('support', 'support-announce@civitas.example');
});
after(() => p?.stop());

describe('the console announcements page', () => {
  test('P7.2i.notify: an administrator publishes in three languages; it shows on the home page; the same form posted twice publishes once; withdrawing takes it down', async () => {
    const shown = await get('/admin/announcements', admin);
    assert.equal(shown.status, 200);
    assert.match(shown.html, /Publish an announcement/);
    const key = keyOf(shown.html);
    assert.match(key, /^console:/);
    const res = await form('/admin/announcements', filled(key), admin);
    assert.equal(res.status, 303, await res.clone().text());
    assert.equal(res.headers.get('location'), '/admin/announcements?notice=published');
    const twice = await form('/admin/announcements', filled(key), admin);
    assert.equal(twice.status, 303);
    const listed = await get('/admin/announcements?notice=published', admin);
    assert.match(listed.html, /The announcement is published/);
    assert.equal((listed.html.match(/<strong>The privacy policy is changing<\/strong>/g) ?? []).length, 1);
    assert.match((await get('/', '', 'zh-CN')).html, /<strong>隐私政策即将更新<\/strong>/);
    assert.match((await get('/', '', 'cs')).html, /<strong>Zásady ochrany soukromí se mění<\/strong>/);

    const id = /action="\/admin\/announcements\/([0-9a-f-]{36})\/withdraw"/.exec(listed.html)?.[1];
    assert.ok(id);
    const gone = await form(`/admin/announcements/${id}/withdraw`, {}, admin);
    assert.equal(gone.headers.get('location'), '/admin/announcements?notice=withdrawn');
    assert.ok(!(await get('/', '', 'en')).html.includes('The privacy policy is changing'));
    const after = await get('/admin/announcements', admin);
    assert.match(after.html, /Status: withdrawn/);
    const again = await form(`/admin/announcements/${id}/withdraw`, {}, admin);
    assert.equal(again.status, 409);
    assert.match(await again.text(), /This announcement was already withdrawn/);
  });

  test('a form missing a language or with a past expiry is refused readably, keeping what was typed', async () => {
    const key = keyOf((await get('/admin/announcements', admin)).html);
    const res = await form(
      '/admin/announcements',
      filled(key, { 'title-cs': '', expires: tomorrow() }),
      admin,
    );
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /needs a title and a text in every language/);
    assert.match(html, /value="The privacy policy is changing"/);
    assert.ok(html.includes(`value="${key}"`), 'the same key: a corrected post still publishes once');
    const past = await form('/admin/announcements', filled(key, { expires: '2020-01-01' }), admin);
    assert.equal(past.status, 400);
  });

  test('a support agent is refused the page and the posts with a readable 403, changing nothing', async () => {
    const before = (await p.announce.list('en')).length;
    const page = await get('/admin/announcements', support);
    assert.equal(page.status, 403);
    assert.match(
      page.html,
      /Only administrators, the data protection officer and security officers publish announcements/,
    );
    const post = await form(
      '/admin/announcements',
      filled('console:00000000-0000-4000-8000-000000000000'),
      support,
    );
    assert.equal(post.status, 403);
    assert.equal((await p.announce.list('en')).length, before);
  });

  test('signed out, the page sends to the staff sign-in', async () => {
    const res = await fetch(`${p.url}/admin/announcements`, { redirect: 'manual' });
    assert.equal(res.status, 303);
  });
});

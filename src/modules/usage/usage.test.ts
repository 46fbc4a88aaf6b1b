/**
 * Invariant: usage events exist only with analytics consent, hold no IP address or browser
 * detail, and are personal data like any other (P3.4): declared, exported, erased with the
 * account and purged 90 days after they happened; the console shows only daily counts (P4).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { registerCitizen } from '../../../test/support/citizens.ts';
import { idNumberFor } from '../../../test/support/citizen.ts';
import { getConsolePage, signInStaff } from '../../../test/support/staff.ts';
import { formatChoice } from '../../web/http/cookie-choice.ts';
import { subjectData } from '../inventory/index.ts';

let p: TestPlatform;
const DAY = 86_400_000;
const choice = (analytics: boolean) =>
  `civitas_cookie_choice=${formatChoice({ analytics, personalisation: false, at: Date.now() })}`;
const get = (path: string, cookie: string) =>
  fetch(`${p.url}${path}`, { headers: { cookie }, redirect: 'manual' });
const analyticsOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith('civitas_analytics='))
    ?.split(';')[0];
const eventsOf = async (where: string, params: unknown[]) =>
  (
    await p.storage.db.query<{ visitor_id: string; subject_id: string | null; kind: string; name: string }>(
      `SELECT visitor_id, subject_id, kind, name FROM usage_event WHERE ${where} ORDER BY id`,
      params,
    )
  ).rows;

describe('usage statistics', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
  });
  after(() => p.stop());

  test('P3.2.optional P3.4 nothing is recorded without analytics consent; with it, the route pattern under a random id', async () => {
    await get('/privacy', choice(false));
    await get('/privacy', '');
    await p.usage.flush();
    assert.equal((await p.storage.db.query('SELECT 1 FROM usage_event')).rowCount, 0);

    const first = await get('/privacy?utm=x', choice(true));
    const visitor = analyticsOf(first)!;
    assert.match(visitor, /^civitas_analytics=[0-9a-f-]{36}$/);
    await get('/cookies', `${choice(true)}; ${visitor}`);
    await p.usage.flush();
    const rows = await eventsOf('visitor_id = $1', [visitor.split('=')[1]]);
    assert.deepEqual(
      rows.map((r) => [r.kind, r.name, r.subject_id]),
      [
        ['page', '/privacy', null],
        ['page', '/cookies', null],
      ],
    );
    // No column could hold an address or a browser's details.
    const columns = (
      await p.storage.db.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'usage_event'`,
      )
    ).rows.map((r) => r.column_name);
    assert.deepEqual(columns.sort(), ['id', 'kind', 'name', 'occurred_at', 'subject_id', 'visitor_id']);
  });

  test('P3.4 the raw events are declared personal data: category, 90 days after occurred_at, exported, erased', () => {
    const t = subjectData
      .flatMap((o) => Object.entries(o.tables))
      .find(([name]) => name === 'usage_event')?.[1];
    assert.ok(t && 'columns' in t);
    assert.deepEqual(t.erase, { delete: 'rows' });
    assert.ok(Array.isArray(t.retention));
    assert.deepEqual((t.retention as { days: number; at?: string }[])[0], {
      days: 90,
      after: 'given',
      at: 'occurred_at',
    });
    assert.ok('en' in t.export);
    assert.equal(t.columns.visitor_id?.category, 'usage');
  });

  test('P3.4 a signed-in person’s events are in their export, erased with the account, and purged after 90 days', async () => {
    const c = await registerCitizen(p, '13700000201', idNumberFor(201));
    const jar = `${c.cookie}; ${choice(true)}`;
    const first = await get('/me', jar);
    const visitor = analyticsOf(first)!;
    await get('/me/consents', `${jar}; ${visitor}`);
    await p.usage.flush();
    const mine = await eventsOf('subject_id = $1', [c.subjectId]);
    assert.deepEqual(
      mine.map((r) => r.name),
      ['/me', '/me/consents'],
    );

    // Exported.
    const jobId = await p.exports.request(c.subjectId, 'en');
    await p.exports.prepare(jobId);
    const archive = (await p.exports.download(c.subjectId, jobId, 'json')).body.toString('utf8');
    assert.match(archive, /Usage statistics records/);
    assert.match(archive, /\/me\/consents/);

    // Purged 90 days after: an old event goes, a recent one stays.
    await p.storage.db.query(
      `INSERT INTO usage_event (visitor_id, subject_id, kind, name, occurred_at)
       VALUES ($1, NULL, 'page', '/old', now() - interval '91 days')`,
      ['00000000-0000-4000-8000-000000000001'],
    );
    await p.retention.run();
    assert.equal((await eventsOf(`name = '/old'`, [])).length, 0);
    assert.equal((await eventsOf('subject_id = $1', [c.subjectId])).length, 2);

    // Erased with the account.
    await p.closure.request(c.subjectId, { locale: 'en' });
    await p.closure.runDue({ now: new Date(Date.now() + 30 * DAY) });
    assert.equal((await eventsOf('subject_id = $1', [c.subjectId])).length, 0);
  });

  test('P4 the daily job aggregates counts, and the console shows them to staff only', async () => {
    const v = '00000000-0000-4000-8000-0000000000aa';
    for (const name of ['/', '/', '/privacy']) p.usage.record({ visitorId: v, kind: 'page', name });
    p.usage.record({ visitorId: v, kind: 'service', name: 'housing-fund-account' });
    await p.usage.aggregate();
    const daily = (
      await p.storage.db.query<{ name: string; events: number; visitors: number }>(
        `SELECT name, events, visitors FROM usage_daily WHERE name IN ('/', 'housing-fund-account') ORDER BY name`,
      )
    ).rows;
    assert.equal(daily.find((r) => r.name === '/')!.events >= 2, true);
    assert.equal(daily.find((r) => r.name === 'housing-fund-account')!.events, 1);

    assert.equal((await get('/admin/usage', '')).status, 303);
    await p.staff.create(
      {
        email: 'admin-usage@civitas.example',
        displayName: 'admin',
        role: 'administrator',
        password: 'staff password 123',
      },
      { type: 'system', id: 'test' },
    );
    const staff = await signInStaff(p.url, 'admin-usage@civitas.example', 'staff password 123');
    const page = await getConsolePage(p.url, '/admin/usage', staff);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Usage statistics/);
    assert.match(html, /data-name="housing-fund-account"/);
    assert.doesNotMatch(html, new RegExp(v));
  });
});

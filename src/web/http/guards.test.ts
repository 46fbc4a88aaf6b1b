/**
 * Invariant: one table says which guards run on which route, and it is the truth. Every
 * route the platform registers is in it (a route missing from it stops the start) and
 * every entry is a registered route; every state-changing route of a signed-in area
 * refuses cross-site requests and needs a sign-in; a page and its JSON twin count in one
 * rate-limit bucket.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { startTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import type { StaffService } from '../../modules/staff/index.ts';
import type { Limiter } from '../../shared/limits.ts';
import type { HttpPolicy } from './cookies.ts';
import { installGuards, registeredRoutes } from './guards.ts';
import { bucketOf, routeGuards, twins, type Guard, type RouteKey } from './guards.table.ts';

const entries = Object.entries(routeGuards) as [RouteKey, readonly Guard[]][];
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Where a person or a staff member must be signed in, but for the steps that sign them in. */
const SIGNED_IN = [
  /^\/me\//,
  /^\/api\/me\//,
  /^\/api\/companies/,
  /^\/delivery/,
  /^\/api\/staff\//,
  /^\/admin/,
];
const SIGNS_IN = new Set([
  'POST /admin/login',
  'POST /admin/login/code',
  'POST /admin/enrol',
  'POST /admin/logout',
]);

test('a route missing from the guard table stops the start, naming it', async () => {
  const app = Fastify();
  installGuards(app, {
    limiter: {} as Limiter,
    perMinute: 5,
    staff: {} as StaffService,
    http: { cookieName: () => 'staff' } as unknown as HttpPolicy,
  });
  app.get('/privacy', async () => 'listed');
  assert.throws(
    () => app.post('/me/new-thing', async () => 'not listed'),
    /POST \/me\/new-thing is not in the guard table \(src\/web\/http\/guards\.table\.ts\)/,
  );
  await app.close();
});

test('each entry names known guards once, public alone, attempt limits on POSTs only', () => {
  for (const [key, guards] of entries) {
    assert.equal(new Set(guards).size, guards.length, `${key} names a guard twice`);
    if (guards.includes('public')) assert.deepEqual(guards, ['public'], `${key}: public stands alone`);
    if (guards.some((g) => g.startsWith('limit:')))
      assert.ok(key.startsWith('POST '), `${key}: only attempts count, views never do`);
  }
});

describe('the table and the running platform', () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform({ LOG_LEVEL: 'silent' });
  });
  after(() => p.stop());

  test('every registered route is in the table, and every entry is a registered route', () => {
    const routes = registeredRoutes(p.app);
    assert.ok(routes.size > 90, `the platform registered ${routes.size} routes`);
    const keys = new Set<string>(Object.keys(routeGuards));
    for (const r of routes) {
      const [method, url] = r.split(' ') as [string, string];
      const key = `${method === 'HEAD' ? 'GET' : method} ${url}`;
      assert.ok(keys.has(key) || keys.has(`* ${url}`), `${r} is registered but not in the table`);
    }
    for (const key of keys) {
      const [method, url] = key.split(' ') as [string, string];
      const found = method === '*' ? [...routes].some((r) => r.endsWith(` ${url}`)) : routes.has(key);
      assert.ok(found, `${key} is in the table but no longer registered: remove it`);
    }
  });

  test('P7.3 a signed-out page request is sent to sign-in and the API answers 401, as the table says', async () => {
    const page = await fetch(`${p.url}/me/consents`, { redirect: 'manual' });
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), '/login?next=%2Fme%2Fconsents');
    const api = await fetch(`${p.url}/api/staff/relying-parties`);
    assert.equal(api.status, 401);
    assert.equal(((await api.json()) as { code: string }).code, 'http.unauthenticated');
    const crossSite = await fetch(`${p.url}/me/sessions/end-others`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
      redirect: 'manual',
    });
    assert.equal(crossSite.status, 403, 'cross-site refusal runs before the sign-in check');
  });
});

test('P7.2 P7.3 every state-changing route of a signed-in area refuses cross-site requests and needs a sign-in', () => {
  const checked: string[] = [];
  for (const [key, guards] of entries) {
    const [method, url] = key.split(' ') as [string, string];
    if (!STATE_CHANGING.has(method) || !SIGNED_IN.some((a) => a.test(url)) || SIGNS_IN.has(key)) continue;
    checked.push(key);
    assert.ok(guards.includes('cross-site'), `${key} does not refuse cross-site requests`);
    assert.ok(guards.includes('citizen') || guards.includes('staff'), `${key} needs no sign-in`);
    const staffArea = url.startsWith('/admin') || url.startsWith('/api/staff/');
    assert.ok(guards.includes(staffArea ? 'staff' : 'citizen'), `${key} asks for the wrong sign-in`);
  }
  assert.ok(checked.length > 40, `${checked.length} routes checked`);
});

test('P7.3 every page that has a JSON twin shares its rate-limit bucket with it', () => {
  for (const t of twins) {
    assert.ok(
      !t.page.includes(' /api/') && t.api.includes(' /api/'),
      `${t.page} / ${t.api}: a page and an API`,
    );
    assert.equal(
      bucketOf(t.page, t.send),
      bucketOf(t.api),
      `${t.page}${t.send ? ' (send=1)' : ''} and ${t.api} count in different buckets`,
    );
  }
  // A limited page without a declared twin would escape this check: none may.
  for (const [key, guards] of entries) {
    const limited = guards.some((g) => g.startsWith('limit:') && !g.startsWith('limit:staff-'));
    if (limited && !key.includes(' /api/'))
      assert.ok(
        twins.some((t) => t.page === key),
        `${key} counts attempts but names no JSON twin`,
      );
  }
});

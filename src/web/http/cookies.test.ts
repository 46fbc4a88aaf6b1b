/**
 * Invariant: every cookie keeps its name and flags (one list of cookies, ADR 0018), and the
 * registry's `set` is the one gate of consent (ADR 0045): a cookie whose category the
 * request's choice does not consent to never reaches the Set-Cookie header.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import cookiePlugin from '@fastify/cookie';
import Fastify from 'fastify';
import {
  cookie,
  cookieCategories,
  cookieName,
  cookies,
  httpPolicy,
  optionalCategories,
  permitCookies,
  type CookieId,
  type OptionalCategory,
} from './cookies.ts';

test('the registry names every cookie with __Host- in production, bare in development', () => {
  assert.equal(cookieName('session', true), '__Host-civitas_session');
  assert.equal(cookieName('session', false), 'civitas_session');
  assert.equal(cookieName('device', true), '__Host-civitas_device');
  assert.equal(cookieName('device', false), 'civitas_device');
  assert.equal(cookieName('staff', true), '__Host-civitas_staff');
  assert.equal(cookieName('lang', true), 'civitas_lang');
  assert.equal(cookieName('choice', true), '__Host-civitas_cookie_choice');
  assert.equal(cookieName('analytics', false), 'civitas_analytics');
  assert.equal(cookieName('recent', false), 'civitas_recent');
});

test('P3.2.necessary every cookie is declared with a purpose, a category, a lifetime and first-party', () => {
  for (const [id, c] of Object.entries(cookies)) {
    assert.ok(c.purpose.length > 10, id);
    assert.ok((cookieCategories as readonly string[]).includes(c.category), id);
    assert.equal(c.firstParty, true, id);
    assert.ok(c.maxAgeSeconds === 'session' || c.maxAgeSeconds > 0, id);
  }
  // The features need these, in these categories.
  assert.equal(cookies.choice.category, 'necessary');
  assert.equal(cookies.analytics.category, 'analytics');
  assert.equal(cookies.recent.category, 'personalisation');
  // Every optional category a person can choose has a cookie; preferences has none (and no choice).
  for (const k of optionalCategories)
    assert.ok(
      Object.values(cookies).some((c) => c.category === k),
      k,
    );
});

/** Sets `id` under a request that consents to `consented` (undefined: choice never resolved). */
async function setCookieHeaders(id: CookieId, consented: OptionalCategory[] | undefined): Promise<string[]> {
  const app = Fastify();
  await app.register(cookiePlugin);
  app.get('/', async (req, reply) => {
    if (consented) permitCookies(req, consented);
    const set = cookie(id, false).set(reply, 'value');
    return { set };
  });
  const res = await app.inject({ method: 'GET', url: '/' });
  await app.close();
  const header = res.headers['set-cookie'];
  return header === undefined ? [] : [header].flat();
}

test('P3.2.optional P3.2.necessary every declared cookie reaches Set-Cookie only when its category is consented or necessary', async () => {
  const choices: (OptionalCategory[] | undefined)[] = [
    undefined,
    [],
    ['analytics'],
    ['personalisation'],
    ['analytics', 'personalisation'],
  ];
  for (const id of Object.keys(cookies) as CookieId[]) {
    const c = cookies[id];
    for (const consented of choices) {
      const headers = await setCookieHeaders(id, consented);
      const allowed =
        c.category === 'necessary' || (consented ?? []).includes(c.category as OptionalCategory);
      const label = `${id} (${c.category}) with consent to [${consented?.join(', ') ?? 'unresolved'}]`;
      if (allowed) {
        assert.equal(headers.length, 1, label);
        assert.ok(headers[0]!.startsWith(`${cookieName(id, false)}=value;`), label);
      } else {
        assert.deepEqual(headers, [], label);
      }
    }
  }
});

test('the HTTP policy asks for secure cookies in production only', () => {
  assert.equal(httpPolicy({ mode: 'production', trustProxy: false } as never).secureCookies, true);
  assert.equal(httpPolicy({ mode: 'development', trustProxy: false } as never).secureCookies, false);
});

/**
 * Invariant (P7.2i.notify): a person turns push on in a browser through the push page's API,
 * signed in, from the portal itself, with a subscription the module accepts; anything else
 * is refused as problem+json; the page says whether this browser is on and explains that
 * push needs JavaScript; the service worker is served as JavaScript under a CSP that allows it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client, type Citizen } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { startPushEndpoint, type PushEndpoint } from '../../../../test/support/push-endpoint.ts';

let p: TestPlatform;
let push: PushEndpoint;
let me: Citizen;

before(async () => {
  push = await startPushEndpoint();
  p = await startTestPlatform();
  me = await client(p).register('13700000731', 731);
});
after(async () => {
  await p?.stop();
  await push?.close();
});

const cookie = () => `${me.session}; ${me.device}`;
const api = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin', ...headers },
    body: JSON.stringify(body),
  });

describe('the push page and its API', () => {
  test('signed out: the page sends to sign-in, the API answers 401 problem+json', async () => {
    const page = await fetch(`${p.url}/me/push`, { redirect: 'manual' });
    assert.equal(page.status, 303);
    const res = await api('/api/me/push/subscription', push.subscription());
    assert.equal(res.status, 401);
    assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  });

  test('a cross-site post is refused (403)', async () => {
    const res = await api('/api/me/push/subscription', push.subscription(), {
      cookie: cookie(),
      'sec-fetch-site': 'cross-site',
    });
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { code: string }).code, 'http.cross_site');
  });

  test('a body that is not a subscription, or one to a host that is not a push service, is refused', async () => {
    const bad = await api('/api/me/push/subscription', { endpoint: 'x' }, { cookie: cookie() });
    assert.equal(bad.status, 400);
    assert.match(bad.headers.get('content-type') ?? '', /application\/problem\+json/);
    const host = await api(
      '/api/me/push/subscription',
      { ...push.subscription(), endpoint: 'https://169.254.169.254/latest' },
      { cookie: cookie() },
    );
    assert.equal(host.status, 422);
    assert.equal(((await host.json()) as { code: string }).code, 'notify.push_service_refused');
  });

  test('P7.2i.notify: turning push on and off in this browser; the page says which, in the person’s language', async () => {
    const off = await (
      await fetch(`${p.url}/me/push`, { headers: { cookie: cookie(), 'accept-language': 'en' } })
    ).text();
    assert.match(off, /Push notifications are off in this browser/);
    assert.match(off, /<noscript><p class="muted">Push notifications need JavaScript/);
    assert.match(off, /<script src="\/static\/push.js" defer=""><\/script>/);
    const on = await api('/api/me/push/subscription', push.subscription(), { cookie: cookie() });
    assert.equal(on.status, 200);
    const page = await (
      await fetch(`${p.url}/me/push`, { headers: { cookie: cookie(), 'accept-language': 'cs' } })
    ).text();
    assert.match(page, /Oznámení push jsou v tomto prohlížeči zapnutá/);
    const removed = await api('/api/me/push/subscription/remove', {}, { cookie: cookie() });
    assert.deepEqual(await removed.json(), { removed: true });
  });

  test('the service worker is served as JavaScript under a CSP that allows workers from the portal', async () => {
    const res = await fetch(`${p.url}/static/sw.js`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /javascript/);
    assert.match(res.headers.get('content-security-policy') ?? '', /worker-src 'self'/);
    assert.match(await res.text(), /showNotification/);
  });
});

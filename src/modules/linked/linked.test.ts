/**
 * Invariant (P7.1): a person links an external account only through a full upstream
 * OpenID Connect sign-in made while signed in; the link is shown on their security page
 * and can be removed; a linked upstream identity signs in exactly that account; an
 * unlinked one is refused and never creates an account; a callback whose state or nonce
 * does not match a flow started in this browser is refused. Everything runs over real
 * HTTP: openid-client against the local development provider.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { registerCitizen, type Citizen } from '../../../test/support/citizens.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';

let p: TestPlatform;
let person: Citizen;

const cookieOf = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1);

const get = (url: string, cookie?: string) =>
  fetch(url, { redirect: 'manual', headers: { 'accept-language': 'en', ...(cookie ? { cookie } : {}) } });

/** Plays the tester on the upstream's page: picks a seeded user, returns the callback URL. */
async function pickUpstreamUser(authorizeUrl: string, user: string): Promise<string> {
  const page = await get(authorizeUrl);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /Choose the upstream account/);
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g))
    form.set(m[1]!, m[2]!.replaceAll('&amp;', '&'));
  form.set('user', user);
  const picked = await fetch(new URL('/authorize', authorizeUrl), {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  assert.equal(picked.status, 303);
  return picked.headers.get('location')!;
}

/** Starts an upstream sign-in (login, or link with a session cookie): the upstream URL and the state cookie. */
async function start(mode: 'login' | 'link', cookie?: string) {
  const res =
    mode === 'login'
      ? await get(`${p.url}/login/linked/devpay`)
      : await fetch(`${p.url}/me/linked/devpay`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: cookie! },
        });
  const state = cookieOf(res, 'civitas_linked_state')!;
  if (mode === 'login') {
    assert.equal(res.status, 303, await res.clone().text());
    return { upstream: res.headers.get('location')!, state };
  }
  // Linking answers a page that moves on by a Refresh header (a redirect would break the CSP).
  assert.equal(res.status, 200, await res.clone().text());
  const upstream = /^0; url=(.+)$/.exec(res.headers.get('refresh') ?? '')?.[1];
  assert.ok(upstream);
  return { upstream, state };
}

async function linkAs(c: Citizen, user: string) {
  const s = await start('link', c.cookie);
  const callback = await pickUpstreamUser(s.upstream, user);
  return get(callback, `${c.cookie}; ${s.state}`);
}

/** A linked sign-in; `device` is the browser's device cookie (absent: a browser never seen). */
async function loginAs(user: string, device?: string) {
  const s = await start('login');
  return get(await pickUpstreamUser(s.upstream, user), [s.state, device].filter(Boolean).join('; '));
}
const deviceOf = (cookie: string) => cookie.split('; ').find((c) => c.startsWith('civitas_device='));

describe('linked accounts', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    person = await registerCitizen(p, '13900000001', '110105199001010029');
  });
  after(() => p.stop());

  test('P7.1 a person links an external account, signs in with it, and unlinks it', async () => {
    const linked = await linkAs(person, 'devpay-user-0001');
    assert.equal(linked.status, 303, await linked.clone().text());
    assert.equal(linked.headers.get('location'), '/me/security?linked=1');

    // The link is visible on the security page, with an Unlink button and no upstream identifier.
    const security = await (await get(`${p.url}/me/security?linked=1`, person.cookie)).text();
    assert.match(security, /<h2 id="linked-title">Linked accounts<\/h2>/);
    assert.match(security, /The account is linked\. You can now sign in with it\./);
    assert.match(security, /<td[^>]*>DevPay \(local\)<\/td>/);
    assert.ok(!security.includes('devpay-user-0001'), 'the upstream subject is not shown');
    const linkId = /action="\/me\/linked\/([0-9a-f-]{36})\/unlink"/.exec(security)?.[1];
    assert.ok(linkId, 'an Unlink button');
    const stored = await p.storage.db.query<{ sub_hash: Buffer }>('SELECT sub_hash FROM linked_account');
    assert.equal(stored.rows.length, 1);
    assert.ok(
      !stored.rows[0]!.sub_hash.toString('latin1').includes('devpay-user'),
      'only a keyed hash is kept',
    );

    // The login page offers the provider; the upstream identity signs in this account.
    assert.match(await (await get(`${p.url}/login`)).text(), /Sign in with DevPay \(local\)/);
    // P7.3 from a browser the account never used, a linked sign-in passes a second step too.
    const stranger = await loginAs('devpay-user-0001');
    assert.equal(stranger.headers.get('location'), '/login/second-step');
    assert.equal(cookieOf(stranger, 'civitas_session'), undefined);
    const login = await loginAs('devpay-user-0001', deviceOf(person.cookie));
    assert.equal(login.status, 303, await login.clone().text());
    assert.equal(login.headers.get('location'), '/me/access');
    const session = cookieOf(login, 'civitas_session')!;
    assert.equal((await get(`${p.url}/me/access`, session)).status, 200);
    const audit = await p.storage.db.query<{ action: string; detail: Record<string, string> }>(
      `SELECT action, detail FROM audit_entry WHERE subject_id = $1 AND action IN ('linked.linked', 'identity.login', 'linked.unlinked') ORDER BY id`,
      [person.subjectId],
    );
    assert.deepEqual(
      audit.rows.map((r) => [r.action, r.detail.method ?? r.detail.provider]),
      [
        ['identity.login', 'registration'],
        ['linked.linked', 'devpay'],
        ['identity.login', 'linked:devpay'],
      ],
    );

    // Unlinking asks first (what happens, in plain words); the first press changes nothing.
    const ask = await fetch(`${p.url}/me/linked/${linkId}/unlink`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: person.cookie, 'accept-language': 'en' },
    });
    assert.equal(ask.status, 200);
    const asked = await ask.text();
    assert.match(asked, /<h1>Disconnect this account\?<\/h1>/);
    assert.match(asked, /<strong data-confirm-subject="true">DevPay \(local\)<\/strong>/);
    assert.match(asked, /name="confirm" value="1"/);
    const still = await p.storage.db.query('SELECT 1 FROM linked_account WHERE id = $1', [linkId]);
    assert.equal(still.rows.length, 1, 'still linked');

    // Unlinking removes the link at once: the same upstream identity no longer signs in.
    const unlink = await fetch(`${p.url}/me/linked/${linkId}/unlink`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: person.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'confirm=1',
    });
    assert.equal(unlink.headers.get('location'), '/me/security?unlinked=1');
    const after = await (await get(`${p.url}/me/security?unlinked=1`, person.cookie)).text();
    assert.match(after, /No account is linked\./);
    assert.match(after, /Link DevPay \(local\)/);
    const refused = await loginAs('devpay-user-0001');
    assert.equal(refused.status, 403);
    const unlinkedAudit = await p.storage.db.query(
      `SELECT 1 FROM audit_entry WHERE action = 'linked.unlinked' AND subject_id = $1`,
      [person.subjectId],
    );
    assert.equal(unlinkedAudit.rowCount, 1);
  });

  test('P7.1 an upstream identity linked to no account is refused with a way to link it, and no account is made', async () => {
    const accounts = await p.storage.db.query('SELECT count(*)::int AS n FROM citizen_account');
    const res = await loginAs('devpay-user-0002');
    assert.equal(res.status, 403);
    assert.equal(cookieOf(res, 'civitas_session'), undefined, 'nobody is signed in');
    const html = await res.text();
    assert.match(html, /<h1>This account is not linked to Civitas<\/h1>/);
    assert.match(html, /open the security page, find “Linked accounts” and choose “Link”/);
    const after = await p.storage.db.query('SELECT count(*)::int AS n FROM citizen_account');
    assert.deepEqual(after.rows, accounts.rows);
  });

  test('P7.1 one upstream identity links to at most one account', async () => {
    assert.equal((await linkAs(person, 'devpay-user-0003')).status, 303);
    const other = await registerCitizen(p, '13900000002', '110105199512120035');
    const res = await linkAs(other, 'devpay-user-0003');
    assert.equal(res.status, 409);
    assert.match(await res.text(), /already linked to another Civitas account/);
  });

  test('P7.1 a callback whose state or nonce does not match the flow started in this browser is refused', async () => {
    // State: the browser's cookie must hold the state the callback carries.
    const a = await start('login');
    const b = await start('login');
    const callbackA = await pickUpstreamUser(a.upstream, 'devpay-user-0003');
    const swapped = await get(callbackA, b.state);
    assert.equal(swapped.status, 400);
    assert.match(await swapped.text(), /does not match a sign-in started here/);
    const noCookie = await get(callbackA);
    assert.equal(noCookie.status, 400);

    // Nonce: the ID token must carry the nonce of this flow (checked by openid-client).
    const c = await start('login');
    const callbackC = await pickUpstreamUser(c.upstream, 'devpay-user-0003');
    await p.storage.db.query(`UPDATE linked_flow SET nonce = 'not-the-nonce-sent-upstream'`);
    const wrongNonce = await get(callbackC, c.state);
    assert.equal(wrongNonce.status, 400, await wrongNonce.clone().text());
    assert.match(await wrongNonce.text(), /does not match a sign-in started here/);
    assert.equal(cookieOf(wrongNonce, 'civitas_session'), undefined);

    // A flow is used once: replaying a completed callback is refused.
    const d = await start('login');
    const callbackD = await pickUpstreamUser(d.upstream, 'devpay-user-0003');
    assert.equal((await get(callbackD, d.state)).status, 303);
    assert.equal((await get(callbackD, d.state)).status, 400);
  });
});

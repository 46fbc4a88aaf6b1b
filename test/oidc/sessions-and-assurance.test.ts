/**
 * Invariant (P1.1 single sign-on and single logout, P2.1 assurance levels, P7.3 sessions):
 * a provider session lives only as long as the portal session it was opened from, and says
 * what is true now. Signing out of the portal, signing out other devices, a password reset
 * or a lowered assurance level each stop the browser from getting codes silently; a password
 * reset, "sign out everywhere" and a lowered level also stop every refresh token and userinfo
 * call, and services hear of ended sessions by back channel. `acr` is the account's current
 * level, `auth_time` the real sign-in time, `amr` the real methods; `prompt=login` and
 * `max_age` get a fresh sign-in. Every RP-initiated logout returns the browser to the
 * service's registered address, and no other site can sign a person out.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import type { LocalSmsGateway } from '../../src/dev/sms.ts';
import { registerCitizen, type Citizen } from '../support/citizens.ts';
import { authorize, CookieJar, follow, form, relyingParty, signIn } from '../support/oidc.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let rpServer: Server;
let rpUrl: string;
const received: { path: string; body: string }[] = [];
/** How many back-channel calls the service refuses (503) before it takes one. */
let backchannelDown = 0;
let n = 0;
/** A possible ID number (GB 11643 check character) of its own for every call. */
const idNumber = (k: number) => {
  const body = `11010519900101${String(k).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * w[i]!, 0);
  return body + '10X98765432'[sum % 11]!;
};
/** An authenticator app (RFC 6238, SHA-1, 6 digits), independent of the code under test. */
function authenticator(base32: string, atMs = Date.now()): string {
  let bits = '';
  for (const ch of base32)
    bits += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const o = mac[19]! & 0xf;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}
/** A new person (a phone and an ID number of their own). */
const person = (opts: { level?: number } = {}) => {
  n += 1;
  return registerCitizen(p, `1371235${String(n).padStart(4, '0')}`, idNumber(n), opts);
};

describe('sessions and assurance in single sign-on', () => {
  let rp: client.Configuration;
  let level3: client.Configuration;
  let cb: string;
  let bye: string;

  before(async () => {
    rpServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/backchannel' && backchannelDown > 0) {
          backchannelDown -= 1;
          res.statusCode = 503;
          return res.end('down');
        }
        received.push({ path: req.url ?? '', body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => rpServer.listen(0, r));
    rpUrl = `http://localhost:${(rpServer.address() as AddressInfo).port}`;
    cb = `${rpUrl}/cb`;
    bye = `${rpUrl}/bye`;
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    const register = async (clientId: string, serviceSlug: string, assuranceLevel: number) =>
      (
        await p.registry.register(
          {
            clientId,
            serviceSlug,
            redirectUris: [cb],
            postLogoutRedirectUris: [bye],
            backchannelLogoutUri: `${rpUrl}/backchannel`,
            policyUrl: `https://${clientId}.example/privacy`,
            dpaReference: `DPA-${clientId}`,
            fields: [{ field: 'name', purpose: 'service-provision', retentionDays: 90, required: true }],
            grantTypes: ['authorization_code', 'refresh_token'],
            assuranceLevel,
          },
          { type: 'system', id: 'test' },
          { issueSecret: true },
        )
      ).secret;
    rp = await relyingParty(p, 'pension-web', await register('pension-web', 'pension-certification', 1));
    level3 = await relyingParty(p, 'permit-web', await register('permit-web', 'residence-permit', 3));
  });
  after(async () => {
    await p.stop();
    rpServer.close();
  });

  /** An authorization from the browser holding `jar`, with extra request parameters. */
  async function authorizeWith(c: client.Configuration, jar: CookieJar, extra: Record<string, string> = {}) {
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(c, {
      redirect_uri: cb,
      scope: 'openid name',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...extra,
    });
    const hop = await follow(p, jar, url.toString());
    return { hop, verifier };
  }
  const exchange = (c: client.Configuration, hop: { url: string }, verifier: string) =>
    client.authorizationCodeGrant(c, new URL(hop.url), { pkceCodeVerifier: verifier });

  const post = (path: string, cookie: string, body?: unknown) =>
    fetch(`${p.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  /** Userinfo and refresh of a department that signed the person in: both must fail. */
  async function releasesNothing(c: client.Configuration, tokens: client.TokenEndpointResponse) {
    const sub = (tokens as unknown as { claims(): { sub: string } }).claims().sub;
    await assert.rejects(client.fetchUserInfo(c, tokens.access_token, sub), 'userinfo answers no more');
    await assert.rejects(client.refreshTokenGrant(c, tokens.refresh_token!), 'the refresh token is dead');
  }

  const sessionCreatedAt = async (who: Citizen) =>
    (
      await p.storage.db.query<{ created_at: Date }>(
        'SELECT created_at FROM citizen_session WHERE subject_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1',
        [who.subjectId],
      )
    ).rows[0]!.created_at;

  test('P2.1 a corrected ID number lowers the level at once: a level step again, acr of the new level, and userinfo and refresh release nothing', async () => {
    const me = await person({ level: 4 });
    const first = await signIn(p, level3, me.cookie, { redirectUri: cb });
    assert.equal(first.tokens.claims()!.acr, 'urn:civitas:loa:4');
    const low = await signIn(p, rp, first.jar.header(), { redirectUri: cb });
    assert.equal(low.tokens.claims()!.acr, 'urn:civitas:loa:4', 'an L1 service sees the L4 person as L4');

    const corrected = await post('/api/me/verification/correction', me.cookie, {
      idNumber: idNumber(900),
    });
    assert.equal(corrected.status, 200, await corrected.text());

    const again = await authorize(p, level3, first.jar.header(), { redirectUri: cb });
    assert.equal(again.hop.status, 403, 'no code: the person must verify again');
    assert.match(again.hop.body!, /L1 → L3/);
    const l1 = await signIn(p, rp, first.jar.header(), { redirectUri: cb });
    assert.equal(l1.tokens.claims()!.acr, 'urn:civitas:loa:1', 'acr is the level now, not at sign-in');
    await releasesNothing(level3, first.tokens);
    await releasesNothing(rp, low.tokens);
  });

  test('P7.3 signing out of the portal ends the provider session: the same browser must sign in again, and the service is told', async () => {
    const me = await person();
    const a = await signIn(p, rp, me.cookie, { redirectUri: cb });
    received.length = 0;
    const out = await post('/logout', a.jar.header());
    assert.equal(out.status, 303);
    a.jar.take(out);

    const again = await authorize(p, rp, a.jar.header(), { redirectUri: cb });
    assert.match(again.hop.url, /\/login\?next=/, 'no code without a sign-in');
    const back = received.find((r) => r.path === '/backchannel');
    assert.ok(back, 'the service heard by back channel');
  });

  test('P1.1 a service that is down when the person signs out is told again by a job, with back-off', async () => {
    const me = await person();
    const a = await signIn(p, rp, me.cookie, { redirectUri: cb });
    const sid = a.tokens.claims()!.sid as string;
    received.length = 0;
    backchannelDown = 2;
    const out = await post('/logout', a.jar.header());
    assert.equal(out.status, 303, 'the sign-out does not wait for the service');

    // The first call (after the sign-out commits) and the job's first run are refused; the
    // run after its back-off gets through. The platform's own job runner runs them; the test
    // only skips the back-off's wait.
    const owed = async () =>
      (
        await p.storage.db.query<{ attempts: number }>(
          `SELECT attempts FROM job WHERE name = 'oidc.backchannel-logout' AND payload->>'sid' = $1`,
          [sid],
        )
      ).rows[0];
    const until = async (what: string, ok: () => Promise<boolean>) => {
      for (let i = 0; i < 500 && !(await ok()); i += 1) await sleep(20);
      assert.ok(await ok(), what);
    };
    const skipBackoff = () =>
      p.storage.db.query(`UPDATE job SET run_at = now() WHERE name = 'oidc.backchannel-logout'`);
    await until('the refused call became a job', async () => (await owed()) !== undefined);
    await skipBackoff();
    await until('the job ran once and was refused', async () => ((await owed())?.attempts ?? 0) >= 1);
    assert.equal(received.filter((r) => r.path === '/backchannel').length, 0, 'nothing delivered yet');
    await skipBackoff();
    await until('delivered, so no longer owed', async () => (await owed()) === undefined);
    const back = received.find((r) => r.path === '/backchannel');
    assert.ok(back, 'the service heard in the end');
    const token = new URLSearchParams(back.body).get('logout_token')!;
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sid?: string };
    assert.equal(claims.sid, sid, 'for the session that ended');
  });

  test('P7.3 "sign out other devices" ends the provider sessions of those devices', async () => {
    const me = await person();
    const other = `civitas_session=${await p.sessions.create(me.subjectId)}`;
    const there = await signIn(p, rp, other, { redirectUri: cb });
    const here = await signIn(p, rp, me.cookie, { redirectUri: cb });

    const ended = await post('/me/sessions/end-others', me.cookie, { confirm: '1' });
    assert.equal(ended.status, 303);

    const thereAgain = await authorize(p, rp, there.jar.header(), { redirectUri: cb });
    assert.match(thereAgain.hop.url, /\/login\?next=/, 'the other device must sign in again');
    const hereAgain = await authorize(p, rp, here.jar.header(), { redirectUri: cb });
    assert.ok(hereAgain.hop.url.startsWith(cb), 'this device stays signed in');
  });

  test('P7.3 a password reset ends every provider session and refresh token, and tells the service by back channel', async () => {
    const me = await person();
    const a = await signIn(p, rp, me.cookie, { redirectUri: cb });
    const sid = a.tokens.claims()!.sid;
    received.length = 0;

    assert.equal((await post('/api/identity/codes', '', { phone: me.phone, purpose: 'reset' })).status, 202);
    const code = (p.sms as LocalSmsGateway).lastCode(me.phone)!;
    const reset = await post('/api/identity/password/reset', '', {
      phone: me.phone,
      code,
      password: 'a brand new passphrase',
    });
    assert.ok(reset.status < 300, await reset.text());

    const again = await authorize(p, rp, a.jar.header(), { redirectUri: cb });
    assert.match(again.hop.url, /\/login\?next=/, 'the old browser must sign in again');
    await releasesNothing(rp, a.tokens);
    const back = received.find((r) => r.path === '/backchannel');
    assert.ok(back, 'the service heard by back channel');
    const token = new URLSearchParams(back.body).get('logout_token')!;
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sid: string };
    assert.equal(claims.sid, sid, 'the logout token names the ended session');
  });

  /** The confirmation page of an RP-initiated logout, and what its form needs. */
  async function confirmation(jar: CookieJar, idToken: string) {
    const end = client.buildEndSessionUrl(rp, { id_token_hint: idToken, post_logout_redirect_uri: bye });
    const page = await follow(p, jar, end.toString());
    assert.equal(page.status, 200);
    const action =
      /<form[^>]*id="op.logoutForm"[^>]*action="([^"]+)"/.exec(page.body!)?.[1] ??
      /<form[^>]*action="([^"]+)"[^>]*id="op.logoutForm"/.exec(page.body!)![1]!;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.body!)![1]!;
    return { action: new URL(action, p.url).toString(), xsrf };
  }

  test('P1.1 every RP-initiated logout returns to the registered post_logout_redirect_uri through a page that moves on by itself, whatever the choice', async () => {
    for (const choice of [{ logout: 'yes' }, {}] as Record<string, string>[]) {
      const me = await person();
      const a = await signIn(p, rp, me.cookie, { redirectUri: cb });
      const { action, xsrf } = await confirmation(a.jar, a.tokens.id_token!);
      const done = await fetch(action, {
        ...form({ xsrf, ...choice }),
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: a.jar.header(),
          'sec-fetch-site': 'same-origin',
          'accept-language': 'en',
        },
      });
      // A 303 would be stopped by the portal's CSP form-action in Chromium (the browser test).
      assert.equal(done.status, 200, `choice ${JSON.stringify(choice)}: a page, not a redirect`);
      assert.equal(done.headers.get('refresh'), `0;url=${bye}`);
      assert.match(await done.text(), new RegExp(`<a href="${bye}">Continue</a>`));
    }
  });

  test('P7.3 "sign out everywhere" also ends refresh tokens kept for offline access', async () => {
    const me = await person();
    await signIn(p, rp, me.cookie, { redirectUri: cb }); // consent given once
    // offline_access counts only with prompt=consent (OpenID Connect Core 11).
    const jar = new CookieJar(me.cookie);
    const { hop, verifier } = await authorizeWith(rp, jar, {
      scope: 'openid name offline_access',
      prompt: 'consent',
    });
    const a = { jar, tokens: await exchange(rp, hop, verifier) };
    assert.ok(a.tokens.refresh_token);
    const { action, xsrf } = await confirmation(a.jar, a.tokens.id_token!);
    const done = await follow(p, a.jar, action, form({ xsrf, logout: 'yes' }));
    assert.equal(done.url, bye);
    await releasesNothing(rp, a.tokens);
  });

  test('P1.1 another site cannot sign the person out: end-session only asks, and a confirmation posted cross-site is refused', async () => {
    const me = await person();
    const a = await signIn(p, rp, me.cookie, { redirectUri: cb });
    const end = client.buildEndSessionUrl(rp, {
      id_token_hint: a.tokens.id_token!,
      post_logout_redirect_uri: bye,
    });
    const asked = await follow(p, a.jar, end.toString(), { headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(asked.status, 200);
    assert.match(asked.body!, /Sign out everywhere/, 'navigating there only shows the question');
    const { action, xsrf } = await confirmation(a.jar, a.tokens.id_token!);
    const forged = await follow(p, a.jar, action, {
      ...form({ xsrf, logout: 'yes' }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'cross-site',
        origin: 'https://evil.example',
      },
    });
    assert.equal(forged.status, 403);
    assert.match(forged.body!, /asked by another website, so you are still signed in/);
    const still = await authorize(p, rp, a.jar.header(), { redirectUri: cb });
    assert.ok(still.hop.url.startsWith(cb), 'the person is still signed in');
  });

  test('P7.3 the ID token carries the real sign-in time (auth_time) and method (amr) of the portal session', async () => {
    const me = await person();
    await p.storage.db.query(
      `UPDATE citizen_session SET created_at = created_at - interval '2 hours' WHERE subject_id = $1`,
      [me.subjectId],
    );
    const signedIn = await sessionCreatedAt(me);
    const a = await signIn(p, rp, me.cookie, { redirectUri: cb });
    const claims = a.tokens.claims()!;
    assert.equal(claims.auth_time, Math.floor(signedIn.getTime() / 1000));
    assert.deepEqual(claims.amr, ['sms'], 'registration proved the phone by an SMS code');
  });

  test('P7.3 prompt=login and max_age get a fresh sign-in, even with a portal session', async () => {
    const me = await person();
    await signIn(p, rp, me.cookie, { redirectUri: cb }); // consent given once
    for (const extra of [{ prompt: 'login' }, { max_age: '60' }] as Record<string, string>[]) {
      await p.storage.db.query(
        `UPDATE citizen_session SET created_at = created_at - interval '2 hours' WHERE subject_id = $1`,
        [me.subjectId],
      );
      const jar = new CookieJar(me.cookie);
      const { hop, verifier } = await authorizeWith(rp, jar, extra);
      assert.match(
        hop.url,
        /\/login\?next=%2Foidc%2Finteraction%2F[^%]+%3Freauth%3D1/,
        JSON.stringify(extra),
      );
      assert.equal(hop.status, 200);
      const before = Math.floor(Date.now() / 1000);
      const next = new URL(hop.url).searchParams.get('next')!;
      const back = await follow(
        p,
        jar,
        `${p.url}/login?next=${encodeURIComponent(next)}`,
        form({ phone: me.phone, password: 'a test password' }),
      );
      assert.ok(back.url.startsWith(cb), back.body ?? back.url);
      const tokens = await exchange(rp, back, verifier);
      const claims = tokens.claims()!;
      assert.ok(claims.auth_time! >= before, 'auth_time is the fresh sign-in');
      assert.deepEqual(claims.amr, ['pwd']);
      me.cookie = jar.header();
    }
  });

  test('P7.3 prompt=login: a portal sign-in made earlier in the same second as the request does not count as fresh', async () => {
    const me = await person();
    await signIn(p, rp, me.cookie, { redirectUri: cb }); // consent given once
    const jar = new CookieJar(me.cookie);
    const { hop } = await authorizeWith(rp, jar, { prompt: 'login' });
    const next = new URL(hop.url).searchParams.get('next')!.replace('?reauth=1', '');
    const uid = /\/oidc\/interaction\/([^?]+)/.exec(next)![1]!;
    const { rows } = await p.storage.db.query<{ iat: string }>(
      `SELECT payload->>'iat' AS iat FROM oidc_model WHERE kind = 'Interaction' AND id = $1`,
      [uid],
    );
    const signedInAt = (sql: string, ...params: unknown[]) =>
      p.storage.db.query(`UPDATE citizen_session SET created_at = ${sql} WHERE subject_id = $1`, [
        me.subjectId,
        ...params,
      ]);
    // The portal session begins at the start of the very second the request was made in:
    // its one-second `auth_time` equals the request's `iat`, yet it is older than the request.
    await signedInAt('to_timestamp($2::float8)', Number(rows[0]!.iat));
    const again = await follow(p, new CookieJar(jar.header()), `${p.url}${next}`);
    assert.match(
      again.url,
      /\/login\?next=%2Foidc%2Finteraction%2F[^%]+%3Freauth%3D1/,
      'asked to sign in again',
    );
    // A sign-in made after the request asked is fresh: the same interaction goes on.
    await signedInAt('now()');
    const on = await follow(p, new CookieJar(jar.header()), `${p.url}${next}`);
    assert.ok(on.url.startsWith(cb), on.body ?? on.url);
  });

  test('P7.3 prompt=login of an account with an authenticator app asks for its code too; amr says so', async () => {
    const me = await person();
    await signIn(p, rp, me.cookie, { redirectUri: cb }); // consent given once
    const started = await fetch(`${p.url}/me/security/totp`, {
      ...form({}),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: me.cookie },
    });
    const secret = /data-totp-secret[^>]*>([A-Z2-7]{32})</.exec(await started.text())![1]!;
    const on = await fetch(`${p.url}/me/security/totp/confirm`, {
      ...form({ code: authenticator(secret) }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: me.cookie },
    });
    assert.equal(on.status, 200);

    await p.storage.db.query(
      `UPDATE citizen_session SET created_at = created_at - interval '2 hours' WHERE subject_id = $1`,
      [me.subjectId],
    );
    const jar = new CookieJar(me.cookie);
    const { hop, verifier } = await authorizeWith(rp, jar, { prompt: 'login' });
    assert.match(hop.url, /\/login\?next=/);
    const next = new URL(hop.url).searchParams.get('next')!;
    // Dropping the mark from `next` skips the second step at /login, but does not count.
    const plain = await follow(
      p,
      new CookieJar(jar.header()),
      `${p.url}/login?next=${encodeURIComponent(next.replace('?reauth=1', ''))}`,
      form({ phone: me.phone, password: 'a test password' }),
    );
    assert.match(plain.url, /\/login\?next=%2Foidc%2Finteraction%2F[^%]+%3Freauth%3D1/, 'asked again');
    const step = await follow(
      p,
      jar,
      `${p.url}/login?next=${encodeURIComponent(next)}`,
      form({ phone: me.phone, password: 'a test password' }),
    );
    assert.match(step.url, /\/login\/second-step\?next=/, 'the password alone is not enough');
    assert.match(step.body!, /asked you to prove it is you again/);
    const back = await follow(
      p,
      jar,
      `${p.url}/login/second-step?next=${encodeURIComponent(next)}`,
      // The next period's code: the one that turned the app on cannot be used twice.
      form({ method: 'totp', code: authenticator(secret, Date.now() + 30_000) }),
    );
    assert.ok(back.url.startsWith(cb), back.body ?? back.url);
    const claims = (await exchange(rp, back, verifier)).claims()!;
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
  });
});

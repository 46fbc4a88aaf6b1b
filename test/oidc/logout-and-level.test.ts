/**
 * Invariant (P1.1 single sign-on, single logout; P2.1 assurance levels): signing out at the
 * provider ends the provider session and the portal session, tells every service of the
 * session by back channel (a signed logout token) and front channel (its page, loaded by
 * the browser); a service registered for a level signs in only a person at that level.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { registerCitizen } from '../support/citizens.ts';
import { authorize, follow, form, relyingParty } from '../support/oidc.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let rpServer: Server;
let rpUrl: string;
const received: { path: string; body: string }[] = [];

const signIn = (rp: client.Configuration, cookie: string) =>
  authorize(p, rp, cookie, { redirectUri: `${rpUrl}/cb` });

describe('single logout and assurance levels', () => {
  let rp: client.Configuration;

  before(async () => {
    rpServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body });
        res.end('ok');
      });
    });
    // Every local address (`localhost` may resolve to ::1 first).
    await new Promise<void>((r) => rpServer.listen(0, r));
    rpUrl = `http://localhost:${(rpServer.address() as AddressInfo).port}`;
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    const reg = await p.registry.register(
      {
        clientId: 'social-web',
        serviceSlug: 'social-insurance-record',
        redirectUris: [`${rpUrl}/cb`],
        postLogoutRedirectUris: [`${rpUrl}/bye`],
        backchannelLogoutUri: `${rpUrl}/backchannel`,
        frontchannelLogoutUri: `${rpUrl}/frontchannel`,
        policyUrl: 'https://social.example/privacy',
        dpaReference: 'DPA-S-1',
        fields: [{ field: 'name', purpose: 'service-provision', retentionDays: 90, required: true }],
      },
      { type: 'system', id: 'test' },
      { issueSecret: true },
    );
    rp = await relyingParty(p, 'social-web', reg.secret);
  });
  after(async () => {
    await p.stop();
    rpServer.close();
  });

  test('P1.1 RP-initiated logout ends both sessions and tells the service by back and front channel', async () => {
    const person = await registerCitizen(p, '13712340001', '11010519491231002X');
    const { hop, jar, verifier, state } = await signIn(rp, person.cookie);
    const tokens = await client.authorizationCodeGrant(rp, new URL(hop.url), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    const sid = tokens.claims()!.sid as string;
    assert.ok(sid, 'the ID token names the session');

    const end = client.buildEndSessionUrl(rp, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: `${rpUrl}/bye`,
    });
    const confirm = await follow(p, jar, end.toString());
    assert.equal(confirm.status, 200);
    assert.match(confirm.body!, /Sign out everywhere/);
    const action =
      /<form[^>]*id="op.logoutForm"[^>]*action="([^"]+)"/.exec(confirm.body!)?.[1] ??
      /<form[^>]*action="([^"]+)"[^>]*id="op.logoutForm"/.exec(confirm.body!)![1]!;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body!)![1]!;
    const done = await follow(p, jar, new URL(action, p.url).toString(), form({ xsrf, logout: 'yes' }));

    assert.equal(done.status, 200, 'a signed-out page loads the front-channel page first');
    const frame = /<iframe src="([^"]+)"/.exec(done.body!)![1]!.replaceAll('&amp;', '&');
    const f = new URL(frame);
    assert.equal(f.origin + f.pathname, `${rpUrl}/frontchannel`);
    assert.equal(f.searchParams.get('iss'), `${p.url}/oidc`);
    assert.equal(f.searchParams.get('sid'), sid);
    assert.match(done.body!, new RegExp(`<meta http-equiv="refresh" content="2;url=${rpUrl}/bye"`));

    const back = received.find((r) => r.path === '/backchannel');
    assert.ok(back, 'the back-channel URI was called');
    const logoutToken = new URLSearchParams(back.body).get('logout_token')!;
    const jwks = createRemoteJWKSet(new URL(rp.serverMetadata().jwks_uri!));
    const { payload } = await jwtVerify(logoutToken, jwks, {
      issuer: `${p.url}/oidc`,
      audience: 'social-web',
    });
    assert.ok(
      (payload.events as Record<string, unknown>)['http://schemas.openid.net/event/backchannel-logout'],
    );
    assert.equal(payload.sid, sid);

    const portal = await fetch(`${p.url}/me/access`, {
      headers: { cookie: person.cookie },
      redirect: 'manual',
    });
    assert.equal(portal.status, 303, 'the portal session ended too');
    const again = await signIn(rp, person.cookie);
    assert.match(again.hop.url, /\/login\?next=/, 'the next sign-in asks for credentials');
  });

  test('P2.1 a service registered for L2 does not sign in an L1 person, and does once they are L2', async () => {
    await p.registry.register(
      {
        clientId: 'household-web',
        serviceSlug: 'household-certificate',
        redirectUris: [`${rpUrl}/cb`],
        policyUrl: 'https://household.example/privacy',
        dpaReference: 'DPA-H-1',
        fields: [{ field: 'name', purpose: 'service-provision', retentionDays: 90, required: true }],
        assuranceLevel: 2,
      },
      { type: 'system', id: 'test' },
    );
    const household = await relyingParty(p, 'household-web');
    const person = await registerCitizen(p, '13712340002', '110105194912310038');
    const low = await signIn(household, person.cookie);
    assert.equal(low.hop.status, 403);
    assert.match(low.hop.body!, /This service needs a higher verification level/);
    assert.match(low.hop.body!, /href="\/me\/verify\?next=/);

    await p.storage.db.query('UPDATE citizen_account SET assurance_level = 2 WHERE subject_id = $1', [
      person.subjectId,
    ]);
    const ok = await signIn(household, person.cookie);
    const tokens = await client.authorizationCodeGrant(household, new URL(ok.hop.url), {
      pkceCodeVerifier: ok.verifier,
      expectedState: ok.state,
    });
    assert.equal(tokens.claims()!.acr, 'urn:civitas:loa:2');
  });

  test('P2.1 acr_values asking more than the session has sends the person back through sign-in', async () => {
    const person = await registerCitizen(p, '13712340003', '110105194912310046');
    const first = await signIn(rp, person.cookie);
    assert.ok(first.hop.url.startsWith(`${rpUrl}/cb`), 'an L1 service signs in at L1');
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(rp, {
      redirect_uri: `${rpUrl}/cb`,
      scope: 'openid name',
      acr_values: 'urn:civitas:loa:3',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const hop = await follow(p, first.jar, url.toString());
    assert.equal(hop.status, 403);
    assert.match(hop.body!, /L1 → L3/);
  });
});

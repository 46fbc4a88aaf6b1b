/**
 * Invariant (P1.1 one sign-in for every service; P1.2, P2.3, P5.1.1 claim release): a
 * department integrating with a certified relying-party library (openid-client) signs a
 * person in by authorization code with PKCE, receives only the fields it registered,
 * asked for and the person consented to, and each release is recorded for the person.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { registerCitizen } from '../support/citizens.ts';
import { authorize as authorizeWith, CALLBACK, CookieJar, follow, relyingParty } from '../support/oidc.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;

const citizen = async (phone: string, idNumber: string) =>
  (await registerCitizen(p, phone, idNumber, { name: '王芳' })).cookie;

async function register(clientId: string, serviceSlug: string) {
  const { secret } = await p.registry.register(
    {
      clientId,
      serviceSlug,
      redirectUris: [CALLBACK],
      postLogoutRedirectUris: ['http://localhost:9/'],
      policyUrl: `https://${clientId}.example/privacy`,
      dpaReference: `DPA-${clientId}`,
      fields: [
        { field: 'name', purpose: 'service-provision', retentionDays: 365, required: true },
        { field: 'phone', purpose: 'service-provision', retentionDays: 30, required: false },
      ],
    },
    { type: 'system', id: 'test' },
    { issueSecret: true },
  );
  return secret!;
}

const authorize = (
  rp: client.Configuration,
  jar: CookieJar,
  scope: string,
  consent?: Record<string, string | string[]>,
) => authorizeWith(p, rp, jar.header(), { scope, consent: consent ?? false });

describe('authorization code flow with openid-client', () => {
  let rp: client.Configuration;
  let person: string;

  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    rp = await relyingParty(
      p,
      'housing-fund-test',
      await register('housing-fund-test', 'housing-fund-account'),
    );
    person = await citizen('13612340001', '11010519491231002X');
  });
  after(() => p.stop());

  test('P1.1 discovery advertises code flow with S256 PKCE, pairwise subjects and the logout endpoints', () => {
    const m = rp.serverMetadata();
    assert.equal(m.issuer, `${p.url}/oidc`);
    assert.deepEqual(m.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(m.subject_types_supported, ['pairwise']);
    assert.ok(m.end_session_endpoint && m.revocation_endpoint && m.introspection_endpoint);
    assert.deepEqual(
      m.acr_values_supported,
      [1, 2, 3, 4].map((l) => `urn:civitas:loa:${l}`),
    );
  });

  test('P2.3 the consent screen lists the registered fields with purpose, retention, policy and agreement', async () => {
    const jar = new CookieJar(person);
    const { hop } = await authorize(rp, jar, 'openid name phone');
    assert.equal(hop.status, 200, hop.body);
    const html = hop.body!;
    assert.match(html, /Share your data with this service\?/);
    assert.match(html, /Name \(needed for this service\)/);
    assert.match(html, /<input type="checkbox" name="field" value="phone"\/> Mobile number \(optional\)/);
    assert.match(html, /Providing a service/);
    assert.match(html, /30 days/);
    assert.match(html, /href="https:\/\/housing-fund-test\.example\/privacy"/);
    assert.match(html, /DPA-housing-fund-test/);
  });

  test('P5.1.1 code + PKCE: the service gets the consented name, not the refused phone, and the release is recorded', async () => {
    const jar = new CookieJar(person);
    const { hop, verifier, state } = await authorize(rp, jar, 'openid name phone', { decision: 'allow' });
    assert.ok(hop.url.startsWith(CALLBACK), `redirected to the service: ${hop.url} ${hop.body ?? ''}`);
    const tokens = await client.authorizationCodeGrant(rp, new URL(hop.url), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    const claims = tokens.claims()!;
    assert.equal(claims.acr, 'urn:civitas:loa:1');
    assert.equal(claims.name, undefined, 'the ID token carries no personal claims');
    const info = await client.fetchUserInfo(rp, tokens.access_token, claims.sub);
    assert.equal(info.name, '王芳');
    assert.equal(info.phone_number, undefined, 'the optional phone was not ticked');

    const log = (await (
      await fetch(`${p.url}/api/me/access-log`, { headers: { cookie: person } })
    ).json()) as {
      entries: { actorLabel: string; purpose: string; categories: string[] }[];
    };
    const release = log.entries.find((e) => e.actorLabel === 'department:housing-fund');
    assert.ok(release, 'the release is in "who accessed my data"');
    assert.deepEqual(release.categories, ['identity']);
    assert.ok(tokens.refresh_token, 'a refresh token is issued');
  });

  test('P2.3 a second sign-in with consent remembered asks nothing', async () => {
    const jar = new CookieJar(person);
    const { hop } = await authorize(rp, jar, 'openid name');
    assert.ok(hop.url.startsWith(CALLBACK), `no consent screen: ${hop.body ?? hop.url}`);
  });

  test('P1.2 the subject is pairwise per department: two departments see different subs, one department the same', async () => {
    const other = await relyingParty(p, 'tax-test', await register('tax-test', 'income-tax-return'));
    const subs: string[] = [];
    for (const r of [rp, other]) {
      const jar = new CookieJar(person);
      const { hop, verifier, state } = await authorize(r, jar, 'openid name', { decision: 'allow' });
      const tokens = await client.authorizationCodeGrant(r, new URL(hop.url), {
        pkceCodeVerifier: verifier,
        expectedState: state,
      });
      subs.push(tokens.claims()!.sub);
    }
    assert.notEqual(subs[0], subs[1]);

    // Per department, not per service: the fund's second service sees the same person.
    const sibling = await relyingParty(
      p,
      'housing-fund-2',
      await register('housing-fund-2', 'housing-fund-withdrawal'),
    );
    const jar = new CookieJar(person);
    const { hop, verifier, state } = await authorize(sibling, jar, 'openid name', { decision: 'allow' });
    const t = await client.authorizationCodeGrant(sibling, new URL(hop.url), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    assert.equal(t.claims()!.sub, subs[0]);
  });

  test('P1.1 without PKCE, or with an unregistered redirect URI, the provider refuses', async () => {
    const noPkce = client.buildAuthorizationUrl(rp, { redirect_uri: CALLBACK, scope: 'openid' });
    const a = await follow(p, new CookieJar(person), noPkce.toString());
    assert.match(a.url, /error=invalid_request/);
    assert.match(decodeURIComponent(a.url), /PKCE/);
    const evil = client.buildAuthorizationUrl(rp, {
      redirect_uri: 'https://attacker.example/cb',
      scope: 'openid',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    const b = await follow(p, new CookieJar(person), evil.toString());
    assert.equal(b.status, 400, 'no redirect to an unregistered URI');
    assert.match(b.body!, /redirect_uri/);
  });
});

/**
 * Invariant (P1.1): tokens behave as a certified relying-party library expects: refresh
 * tokens rotate and a reused one revokes the grant, also when the uses are concurrent; department back ends get client
 * credentials tokens; introspection and revocation answer only the token's own client;
 * a service cannot obtain scopes or claims outside its registration (P2.3).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { registerCitizen } from '../support/citizens.ts';
import { CALLBACK, CookieJar, follow, relyingParty, signIn as signInAs } from '../support/oidc.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
/** The OAuth error code an openid-client call failed with. */
const oauthError = (code: string) => (err: unknown) => {
  const e = err as { error?: string; cause?: { error?: string }; response?: Response };
  const got = e.error ?? e.cause?.error;
  assert.equal(got, code, String(err));
  return true;
};

const citizen = async (phone: string, idNumber: string) =>
  (await registerCitizen(p, phone, idNumber, { name: '李雷' })).cookie;
const signIn = async (rp: client.Configuration, person: string, scope: string) =>
  (await signInAs(p, rp, person, { scope })).tokens;

describe('tokens', () => {
  let rp: client.Configuration;
  let backEnd: client.Configuration;
  let person: string;

  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    const web = await p.registry.register(
      {
        clientId: 'transit-web',
        serviceSlug: 'transit-card',
        redirectUris: [CALLBACK],
        policyUrl: 'https://transit.example/privacy',
        dpaReference: 'DPA-T-1',
        fields: [{ field: 'name', purpose: 'service-provision', retentionDays: 90, required: true }],
      },
      { type: 'system', id: 'test' },
      { issueSecret: true },
    );
    rp = await relyingParty(p, 'transit-web', web.secret);
    const api = await p.registry.register(
      {
        clientId: 'transit-backend',
        serviceSlug: 'residence-permit',
        redirectUris: [CALLBACK],
        policyUrl: 'https://transit.example/privacy',
        dpaReference: 'DPA-T-2',
        fields: [],
        grantTypes: ['client_credentials'],
      },
      { type: 'system', id: 'test' },
      { issueSecret: true },
    );
    backEnd = await relyingParty(p, 'transit-backend', api.secret);
    person = await citizen('13612340101', '11010519491231002X');
  });
  after(() => p.stop());

  test('P1.1 a refresh token rotates, and reusing the old one revokes the grant', async () => {
    const first = await signIn(rp, person, 'openid name');
    const second = await client.refreshTokenGrant(rp, first.refresh_token!);
    assert.ok(second.refresh_token && second.refresh_token !== first.refresh_token, 'rotated');
    assert.ok(second.access_token);
    await assert.rejects(client.refreshTokenGrant(rp, first.refresh_token!), oauthError('invalid_grant'));
    // Reuse detection: the grant is gone, the newer refresh token with it.
    await assert.rejects(client.refreshTokenGrant(rp, second.refresh_token), oauthError('invalid_grant'));
  });

  test('P1.1 concurrent uses of one refresh token: one wins, the others revoke the grant', async () => {
    const first = await signIn(rp, person, 'openid name');
    const tries = await Promise.allSettled(
      Array.from({ length: 4 }, () => client.refreshTokenGrant(rp, first.refresh_token!)),
    );
    const won = tries.flatMap((t) => (t.status === 'fulfilled' ? [t.value] : []));
    assert.equal(won.length, 1, 'exactly one use succeeds');
    for (const t of tries) if (t.status === 'rejected') oauthError('invalid_grant')(t.reason);
    // Whether the losers saw the token consumed or lost the race to consume it, it is
    // reuse: the grant is gone, the winner's new refresh token and access token with it.
    await assert.rejects(client.refreshTokenGrant(rp, won[0]!.refresh_token!), oauthError('invalid_grant'));
    await assert.rejects(client.fetchUserInfo(rp, won[0]!.access_token, client.skipSubjectCheck));
  });

  test('P1.1 a department back end gets a client-credentials token, introspectable by itself only', async () => {
    const t = await client.clientCredentialsGrant(backEnd, { scope: 'department-api' });
    assert.ok(t.access_token);
    const own = await client.tokenIntrospection(backEnd, t.access_token);
    assert.equal(own.active, true);
    assert.equal(own.client_id, 'transit-backend');
    const other = await client.tokenIntrospection(rp, t.access_token);
    assert.equal(other.active, false, 'another client learns nothing about the token');
  });

  test('P1.1 a revoked access token stops working at userinfo', async () => {
    const t = await signIn(rp, person, 'openid name');
    const claims = t.claims()!;
    assert.equal((await client.fetchUserInfo(rp, t.access_token, claims.sub)).name, '李雷');
    await client.tokenRevocation(rp, t.access_token);
    await assert.rejects(client.fetchUserInfo(rp, t.access_token, claims.sub), (err: unknown) => {
      assert.match(
        String((err as { response?: Response }).response?.headers.get('www-authenticate')),
        /invalid_token/,
      );
      return true;
    });
    assert.equal((await client.tokenIntrospection(rp, t.access_token)).active, false);
  });

  test('P2.3 a request for fields outside the registration is refused, and nothing is released', async () => {
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(rp, {
      redirect_uri: CALLBACK,
      scope: 'openid name id_number',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const hop = await follow(p, new CookieJar(person), url.toString());
    const back = new URL(hop.url);
    assert.equal(back.origin + back.pathname, CALLBACK);
    assert.equal(back.searchParams.get('error'), 'invalid_scope');
    assert.equal(back.searchParams.get('code'), null);
  });

  test('P1.1 a client without the client-credentials grant cannot use it', async () => {
    await assert.rejects(
      client.clientCredentialsGrant(rp, { scope: 'department-api' }),
      oauthError('invalid_request'),
    );
  });
});

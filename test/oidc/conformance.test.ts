/**
 * Invariant (P1.1 one sign-in that independent relying parties can use; P2.3, P5.1.1 only
 * what was consented is released): the provider answers as OpenID Connect and OAuth 2.0
 * say, so that a relying party not written for Civitas (Apache mod_auth_openidc, see
 * test/interop/) works: discovery tells the truth, the authorization and end-session
 * endpoints accept POST, errors carry the codes the specs name, a client-credentials token
 * never carries a person's scopes, and a refresh that resends the sign-in's scope succeeds
 * while releasing only what the person consented to.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { idNumberFor } from '../support/citizen.ts';
import { registerCitizen } from '../support/citizens.ts';
import { authorize, CALLBACK, CookieJar, follow, form, relyingParty, signIn } from '../support/oidc.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;

const oauthError = (code: string) => (err: unknown) => {
  const e = err as { error?: string; cause?: { error?: string } };
  assert.equal(e.error ?? e.cause?.error, code, String(err));
  return true;
};

describe('protocol conformance', () => {
  let rp: client.Configuration;
  let secret: string;
  let person: string;

  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    const web = await p.registry.register(
      {
        clientId: 'permit-web',
        serviceSlug: 'transit-card',
        redirectUris: [CALLBACK],
        postLogoutRedirectUris: ['http://localhost:9/'],
        policyUrl: 'https://permit.example/privacy',
        dpaReference: 'DPA-P-1',
        fields: [
          { field: 'name', purpose: 'service-provision', retentionDays: 90, required: true },
          { field: 'phone', purpose: 'service-provision', retentionDays: 30, required: false },
        ],
        // A department web app with its own back end: both grants, one client.
        grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
      },
      { type: 'system', id: 'test' },
      { issueSecret: true },
    );
    secret = web.secret!;
    rp = await relyingParty(p, 'permit-web', secret);
    person = (await registerCitizen(p, '13612340301', idNumberFor(301), { name: '李雷' })).cookie;
  });
  after(() => p.stop());

  const basic = () => `Basic ${Buffer.from(`permit-web:${secret}`).toString('base64')}`;
  const token = (body: Record<string, string>, auth = true) =>
    fetch(`${p.url}/oidc/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(auth ? { authorization: basic() } : {}),
      },
      body: new URLSearchParams(body).toString(),
    });

  test('P1.1 discovery advertises only the code response type and the front-channel logout it implements', () => {
    const m = rp.serverMetadata() as Record<string, unknown>;
    assert.deepEqual(m.response_types_supported, ['code']);
    assert.ok(!(m.grant_types_supported as string[]).includes('implicit'));
    assert.equal(m.frontchannel_logout_supported, true);
    assert.equal(m.frontchannel_logout_session_supported, true);
    assert.equal(m.backchannel_logout_supported, true);
  });

  test('P1.1 RFC 8414 metadata is at /.well-known/oauth-authorization-server/oidc', async () => {
    const res = await fetch(`${p.url}/.well-known/oauth-authorization-server/oidc`);
    assert.equal(res.status, 200);
    const m = (await res.json()) as { issuer: string; token_endpoint: string };
    assert.equal(m.issuer, `${p.url}/oidc`);
    assert.equal(m.token_endpoint, `${p.url}/oidc/token`);
  });

  test('P1.1 the authorization endpoint accepts POST (OpenID Connect Core 3.1.2.1)', async () => {
    const verifier = client.randomPKCECodeVerifier();
    const jar = new CookieJar(person);
    const hop = await follow(
      p,
      jar,
      `${p.url}/oidc/auth`,
      form({
        client_id: 'permit-web',
        response_type: 'code',
        redirect_uri: CALLBACK,
        scope: 'openid name',
        state: 'posted',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      }),
    );
    // The person sees the consent screen (first visit), then the service gets a code.
    const action = /action="(\/oidc\/interaction\/[^"]+\/consent)"/.exec(hop.body ?? '')?.[1];
    assert.ok(action, hop.body ?? hop.url);
    const back = new URL((await follow(p, jar, `${p.url}${action}`, form({ decision: 'allow' }))).url);
    assert.equal(back.origin + back.pathname, CALLBACK);
    assert.equal(back.searchParams.get('state'), 'posted');
    assert.ok(back.searchParams.get('code'));
  });

  test('P1.1 the end-session endpoint accepts POST (RP-Initiated Logout 1.0 §2)', async () => {
    const { tokens, jar } = await signIn(p, rp, person, { scope: 'openid name' });
    const res = await fetch(`${p.url}/oidc/session/end`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: jar.header(),
        'accept-language': 'en',
      },
      body: new URLSearchParams({
        id_token_hint: tokens.id_token!,
        post_logout_redirect_uri: 'http://localhost:9/',
      }).toString(),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await res.text(), /<form[^>]*action="[^"]*\/oidc\/session\/end\/confirm"/);
  });

  test('P1.1 introspection without client authentication is invalid_client', async () => {
    const res = await fetch(`${p.url}/oidc/token/introspection`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=anything',
    });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_client');
  });

  test('P1.1 token responses carry Cache-Control: no-store and Pragma: no-cache', async () => {
    const ok = await token({ grant_type: 'client_credentials', scope: 'department-api' });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('cache-control'), 'no-store');
    assert.equal(ok.headers.get('pragma'), 'no-cache');
    const refused = await token({ grant_type: 'refresh_token', refresh_token: 'not-a-token' });
    assert.equal(refused.status, 400);
    assert.equal(refused.headers.get('pragma'), 'no-cache');
  });

  test('P2.3 a client-credentials token cannot carry openid or a personal-data field', async () => {
    for (const scope of ['openid department-api', 'department-api name', 'offline_access']) {
      const res = await token({ grant_type: 'client_credentials', scope });
      assert.equal(res.status, 400, scope);
      assert.equal(((await res.json()) as { error: string }).error, 'invalid_scope', scope);
    }
  });

  test('P1.1 a response type the client is not registered for is unauthorized_client', async () => {
    const ask = async (responseType: string) => {
      const url = new URL(`${p.url}/oidc/auth`);
      url.search = new URLSearchParams({
        client_id: 'permit-web',
        response_type: responseType,
        redirect_uri: CALLBACK,
        scope: 'openid',
        nonce: 'n-1',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      }).toString();
      const back = new URL((await follow(p, new CookieJar(person), url.toString())).url);
      assert.equal(back.origin + back.pathname, CALLBACK);
      return new URLSearchParams(back.hash.slice(1) || back.search.slice(1)).get('error');
    };
    assert.equal(await ask('id_token'), 'unauthorized_client');
    assert.equal(await ask('code id_token'), 'unauthorized_client');
    assert.equal(await ask('no_such_type'), 'unsupported_response_type');
  });

  test('P2.3 an authorization asking for department-api is refused with invalid_scope', async () => {
    const a = await authorize(p, rp, person, { scope: 'openid name department-api' });
    const back = new URL(a.hop.url);
    assert.equal(back.origin + back.pathname, CALLBACK, a.hop.body);
    assert.equal(back.searchParams.get('error'), 'invalid_scope');
    assert.equal(back.searchParams.get('code'), null);
  });

  test('P5.1.1 a refresh resending the sign-in scope (offline_access, a declined field) succeeds and releases only what was consented', async () => {
    const scope = 'openid name phone offline_access';
    // The person allows the service but declines the optional phone number.
    const first = await signIn(p, rp, person, { scope });
    assert.ok(first.tokens.refresh_token, 'the service may refresh');
    let refresh = first.tokens.refresh_token;
    for (const asked of [scope, 'openid name offline_access', 'openid name', 'openid']) {
      const next = await client.refreshTokenGrant(rp, refresh, { scope: asked });
      refresh = next.refresh_token!;
      const me = await client.fetchUserInfo(rp, next.access_token, first.tokens.claims()!.sub);
      assert.equal(me.phone_number, undefined, `${asked}: the declined phone is never released`);
      assert.equal(me.name, asked.includes('name') ? '李雷' : undefined, asked);
    }
    // A scope the service is not registered for still fails.
    await assert.rejects(
      client.refreshTokenGrant(rp, refresh, { scope: 'openid id_number' }),
      oauthError('invalid_scope'),
    );
  });

  test('P5.1.1 a declined optional field does not reopen the consent screen at the next sign-in', async () => {
    const other = (await registerCitizen(p, '13612340302', idNumberFor(302), { name: '韩梅' })).cookie;
    const scope = 'openid name phone';
    const first = await authorize(p, rp, other, { scope });
    assert.ok(first.consentPage, 'asked the first time');
    // A new browser session (no provider cookie), the same person: not asked again.
    const second = await authorize(p, rp, other, { scope, consent: false });
    assert.equal(second.consentPage, undefined, 'the declined phone is not asked again');
    assert.ok(new URL(second.hop.url).searchParams.get('code'), second.hop.body ?? second.hop.url);
    // The service may ask again explicitly, and the person may now allow it.
    const again = await authorize(p, rp, other, { scope, consent: false, prompt: 'consent' });
    assert.match(again.consentPage ?? '', /name="field" value="phone"/);
  });
});

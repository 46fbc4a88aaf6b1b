/**
 * Invariant: on /me/services a person sees every service connected to them (signed in to,
 * consented to, or that received their data) with what it received, under which consent,
 * when it last used their data and its privacy policy; "disconnect" asks first and changes
 * nothing until confirmed; once confirmed the consents naming the service are withdrawn, its
 * grants and tokens stop working (userinfo and refresh refuse them), it is taken out of the
 * person's provider sessions, and the service itself receives a signed back-channel logout
 * token at its registered URI. Another service, or one never connected, is not found. The
 * page speaks zh-CN and cs.
 *
 * The module's rules: src/modules/connected/connected.service.ts.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { registerCitizen, type Citizen } from '../../../../test/support/citizens.ts';
import { idNumberFor } from '../../../../test/support/citizen.ts';
import { relyingParty, signIn } from '../../../../test/support/oidc.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { foreignWords, visibleTexts } from '../../../../test/support/visible-text.ts';

let p: TestPlatform;
let rpServer: Server;
let rpUrl: string;
const received: { path: string; body: string }[] = [];
let rp: client.Configuration;
let me: Citizen;
let other: Citizen;

const CLIENT = 'social-web';

const get = (who: Citizen, path: string, lang = 'en') =>
  fetch(`${p.url}${path}`, {
    redirect: 'manual',
    headers: { cookie: `${who.cookie}; civitas_lang=${lang}` },
  });
const post = (who: Citizen, path: string, body: Record<string, string>) =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: `${who.cookie}; civitas_lang=en`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(body).toString(),
  });
const text = async (res: Response) => visibleTexts(await res.text()).join(' ');

describe('connected services page', () => {
  before(async () => {
    rpServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => rpServer.listen(0, r));
    rpUrl = `http://localhost:${(rpServer.address() as AddressInfo).port}`;
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    const reg = await p.registry.register(
      {
        clientId: CLIENT,
        serviceSlug: 'social-insurance-record',
        redirectUris: [`${rpUrl}/cb`],
        backchannelLogoutUri: `${rpUrl}/backchannel`,
        policyUrl: 'https://social.example/privacy',
        dpaReference: 'DPA-S-1',
        fields: [{ field: 'name', purpose: 'service-provision', retentionDays: 90, required: true }],
        grantTypes: ['authorization_code', 'refresh_token'],
      },
      { type: 'system', id: 'test' },
      { issueSecret: true },
    );
    rp = await relyingParty(p, CLIENT, reg.secret);
    me = await registerCitizen(p, '13900000961', idNumberFor(961), { name: '韩梅梅' });
    other = await registerCitizen(p, '13900000962', idNumberFor(962));
  });
  after(async () => {
    await p.stop();
    rpServer.close();
  });

  test('P8.1.view P8.5.withdraw a person sees what a service received and under which consent, and disconnecting it withdraws the consent, revokes its tokens and tells the service by back channel', async () => {
    const { tokens } = await signIn(p, rp, me.cookie, {
      redirectUri: `${rpUrl}/cb`,
      scope: 'openid name offline_access',
    });
    const claims = tokens.claims()!;
    // The service reads the name: a release recorded in the access log.
    assert.equal((await client.fetchUserInfo(rp, tokens.access_token, claims.sub)).name, '韩梅梅');

    const res = await get(me, '/me/services');
    assert.equal(res.status, 200);
    const html = await res.text();
    const seen = visibleTexts(html).join(' ');
    assert.match(seen, /Social insurance record/);
    assert.match(seen, /What it received Name/);
    assert.match(seen, /Under which consent Providing a service: Identity \(given on/);
    assert.doesNotMatch(seen, /Last used your data Never/);
    assert.match(html, /<a href="https:\/\/social.example\/privacy">Read the service’s privacy policy<\/a>/);
    assert.match(html, /action="\/me\/services\/social-web\/disconnect"/);
    // Linked from the "my data" navigation.
    assert.match(html, /<a href="\/me\/services" aria-current="page">Connected services<\/a>/);

    // The first POST only asks.
    const ask = await post(me, `/me/services/${CLIENT}/disconnect`, {});
    assert.equal(ask.status, 200);
    assert.match(await text(ask), /Disconnect this service\? Social insurance record .*withdrawn/);
    assert.equal(received.length, 0, 'nothing is told before the person confirms');
    assert.ok((await p.consent.of(me.subjectId)).some((c) => c.recipientId === CLIENT && !c.withdrawnAt));

    const done = await post(me, `/me/services/${CLIENT}/disconnect`, { confirm: '1' });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), `/me/services?done=${CLIENT}`);

    // The service received a signed logout token naming the person and the session.
    const back = received.find((r) => r.path === '/backchannel');
    assert.ok(back, 'the back-channel URI was called');
    const logoutToken = new URLSearchParams(back.body).get('logout_token')!;
    const { payload } = await jwtVerify(
      logoutToken,
      createRemoteJWKSet(new URL(rp.serverMetadata().jwks_uri!)),
      {
        issuer: `${p.url}/oidc`,
        audience: CLIENT,
      },
    );
    assert.ok(
      (payload.events as Record<string, unknown>)['http://schemas.openid.net/event/backchannel-logout'],
    );
    assert.equal(payload.sub, claims.sub);
    assert.equal(payload.sid, claims.sid);

    // Its tokens release nothing more; its consent is withdrawn; the person still has a portal session.
    await assert.rejects(client.fetchUserInfo(rp, tokens.access_token, claims.sub));
    await assert.rejects(client.refreshTokenGrant(rp, tokens.refresh_token!));
    assert.ok(
      (await p.consent.of(me.subjectId)).filter((c) => c.recipientId === CLIENT).every((c) => c.withdrawnAt),
    );
    const after = await text(await get(me, done.headers.get('location')!));
    assert.match(after, /Social insurance record is disconnected: your consents to it are withdrawn/);
    assert.match(after, /Under which consent Providing a service: Identity \(given on [^)]*, withdrawn\)/);
    assert.match(after, /Not signed in there now/);
    const audited = await p.storage.db.query<{ detail: { clientId: string } }>(
      `SELECT detail FROM audit_entry WHERE action = 'connected.service_disconnected' AND subject_id = $1`,
      [me.subjectId],
    );
    assert.equal(audited.rows[0]?.detail.clientId, CLIENT);

    // Disconnecting again has nothing to disconnect: the page offers no button.
    assert.doesNotMatch(await (await get(me, '/me/services')).text(), /\/disconnect"/);
  });

  test('P8.1.view a service never connected to the person is not found, and another person sees none of it', async () => {
    const res = await post(other, `/me/services/${CLIENT}/disconnect`, { confirm: '1' });
    assert.equal(res.status, 404);
    assert.match(await text(await get(other, '/me/services')), /No service is connected to your account/);
    const made = await post(other, '/me/services/no-such-service/disconnect', {});
    assert.equal(made.status, 404);
  });

  test('the page speaks zh-CN and cs', async () => {
    const person = await registerCitizen(p, '13900000963', idNumberFor(963));
    await signIn(p, rp, person.cookie, { redirectUri: `${rpUrl}/cb` });
    for (const locale of ['zh-CN', 'cs'] as const) {
      const html = await (await get(person, '/me/services', locale)).text();
      assert.deepEqual(foreignWords(html, locale), []);
      assert.match(
        visibleTexts(html).join(' '),
        locale === 'zh-CN' ? /已关联的服务.*社保缴费记录/ : /Propojené služby.*Záznam o sociálním pojištění/,
      );
    }
  });
});

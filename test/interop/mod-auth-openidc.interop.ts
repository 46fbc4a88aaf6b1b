/**
 * Invariant (P1.1 one sign-in for every service, usable by any certified relying party;
 * P5.1.1 only consented fields are released): Apache httpd with mod_auth_openidc, an
 * independent and widely deployed relying party, configured exactly as
 * docs/sso-integration.md says, works against Civitas in chromium: sign-in with an ES256
 * and an RS256 client, userinfo, refresh with offline_access, signing-key rotation,
 * RP-initiated logout, front- and back-channel logout, prompt=login and max_age.
 *
 * Run with `npm run test:interop` (needs Debian's apache2, libapache2-mod-auth-openidc and
 * chromium; .ci/run installs them). Not part of `npm test`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadLocalKeyManager } from '../../src/modules/vault/index.ts';
import { rotateSigningKey } from '../../src/oidc/index.ts';
import {
  apacheAvailable,
  choosePorts,
  startApache,
  type Apache,
  type RelyingPartyHost,
} from '../support/apache.ts';
import { launchBrowser } from '../support/browser.ts';
import { client, cookieOf, idNumberFor, PASSWORD } from '../support/citizen.ts';
import { registerCitizen } from '../support/citizens.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let apache: Apache;
let browser: Browser;

/** ES256 client with front-channel logout; RS256 client with back-channel logout. */
const es: RelyingPartyHost = { clientId: 'tax-es256', alg: 'ES256' };
const rs: RelyingPartyHost = { clientId: 'permit-rs256', alg: 'RS256' };

interface Info {
  userinfo?: Record<string, unknown>;
  id_token?: Record<string, unknown>;
  access_token?: string;
  refresh_token?: string;
}

const PHONE = '13612347001';
/** `civitas_device=…` of the person's browser (a known device: no second step). */
let device = '';

/**
 * A browser in which the person has just signed in at the portal (password, known
 * device): each test its own portal session, since "sign out everywhere" ends one.
 */
async function personBrowser(): Promise<{ context: BrowserContext; page: Page }> {
  const res = await client(p).login(PHONE, { device });
  assert.equal(res.status, 200, await res.clone().text());
  const session = cookieOf(res, 'civitas_session');
  assert.ok(session, 'signed in');
  const context = await browser.newContext({ locale: 'en-US' });
  await context.addCookies(
    [device, session].map((pair) => {
      const i = pair.indexOf('=');
      return { name: pair.slice(0, i), value: pair.slice(i + 1), url: p.url };
    }),
  );
  return { context, page: await context.newPage() };
}

/** Opens the protected page of `host`, allowing the consent screen if it is shown. */
async function signInAt(page: Page, host: RelyingPartyHost, path = '/protected/') {
  await page.goto(`${host.base}${path}`);
  const allow = page.getByRole('button', { name: 'Allow and continue' });
  await Promise.race([page.waitForURL(`${host.base}${path}`), allow.waitFor().then(() => allow.click())]);
  await page.waitForURL(`${host.base}${path}`);
  await page.locator('#page').waitFor();
}

async function info(page: Page, host: RelyingPartyHost, query = ''): Promise<Info> {
  const res = await page.request.get(`${host.base}/protected/redirect_uri?info=json${query}`);
  assert.equal(res.status(), 200, `${host.clientId} session info: ${await res.text()}`);
  return (await res.json()) as Info;
}

describe(
  'Apache mod_auth_openidc against Civitas',
  { skip: !apacheAvailable() && 'apache2 or mod_auth_openidc not installed' },
  () => {
    before(async () => {
      p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
      await choosePorts([es, rs]);
      for (const [h, serviceSlug, channel] of [
        [es, 'income-tax-return', 'front'],
        [rs, 'transit-card', 'back'],
      ] as const) {
        const { secret } = await p.registry.register(
          {
            clientId: h.clientId,
            serviceSlug,
            redirectUris: [`${h.base}/protected/redirect_uri`],
            postLogoutRedirectUris: [`${h.base}/`],
            ...(channel === 'front'
              ? { frontchannelLogoutUri: `${h.base}/protected/redirect_uri?logout=get` }
              : { backchannelLogoutUri: `${h.base}/protected/redirect_uri?logout=backchannel` }),
            policyUrl: `${h.base}/privacy`,
            dpaReference: `DPA-${h.clientId}`,
            fields: [
              { field: 'name', purpose: 'service-provision', retentionDays: 90, required: true },
              { field: 'phone', purpose: 'service-provision', retentionDays: 30, required: false },
            ],
            idTokenAlg: h.alg,
          },
          { type: 'system', id: 'interop' },
          { issueSecret: true },
        );
        h.secret = secret!;
      }
      apache = await startApache(`${p.url}/oidc`, [es, rs] as Required<RelyingPartyHost>[]);
      browser = await launchBrowser();
      const person = await registerCitizen(p, PHONE, idNumberFor(701), {
        name: '李雷',
        password: PASSWORD,
      });
      device = person.cookie.split('; ').find((c) => c.startsWith('civitas_device='))!;
    });
    after(async () => {
      await browser?.close();
      await apache?.stop();
      await p?.stop();
    });

    test('P1.1 P5.1.1 sign-in with an ES256 client: userinfo releases the name, not the declined phone', async () => {
      const { context, page } = await personBrowser();
      await signInAt(page, es);
      const s = await info(page, es);
      assert.equal(s.userinfo?.name, '李雷');
      assert.equal(s.userinfo?.phone_number, undefined, 'the optional phone was left unticked');
      assert.equal(s.id_token?.acr, 'urn:civitas:loa:1');
      assert.ok(s.refresh_token, 'offline_access gave a refresh token');
      await context.close();
    });

    test('P1.1 sign-in with an RS256 client: the ID token is RS256-signed and verified', async () => {
      const { context, page } = await personBrowser();
      await signInAt(page, rs);
      const s = await info(page, rs);
      assert.equal(s.userinfo?.name, '李雷');
      // mod_auth_openidc refuses an ID token not signed with OIDCIDTokenSignedResponseAlg.
      assert.equal(s.id_token?.aud, rs.clientId);
      await context.close();
    });

    test('P1.1 refresh resending the configured scope (offline_access, declined phone) keeps the person signed in', async () => {
      const { context, page } = await personBrowser();
      await signInAt(page, es);
      const before_ = await info(page, es);
      // Ask mod_auth_openidc to refresh when the access token is over a second old.
      await new Promise((r) => setTimeout(r, 1_100));
      const after_ = await info(page, es, '&access_token_refresh_interval=1');
      assert.notEqual(
        after_.access_token,
        before_.access_token,
        `refreshed: ${apache.errorLog().slice(-2000)}`,
      );
      assert.notEqual(after_.refresh_token, before_.refresh_token, 'the refresh token rotated');
      assert.equal(after_.userinfo?.name, '李雷');
      assert.equal(after_.userinfo?.phone_number, undefined);
      await page.goto(`${es.base}/protected/`);
      await page.locator('#page').waitFor();
      await context.close();
    });

    test('P7.2 after a signing-key rotation mod_auth_openidc verifies ID tokens under the new key', async () => {
      const newKid = await rotateSigningKey(p.storage.db, loadLocalKeyManager(p.config), 'ES256');
      await p.reloadOidc();
      const { context, page } = await personBrowser();
      await signInAt(page, es);
      const s = await info(page, es);
      assert.equal(s.userinfo?.name, '李雷', apache.errorLog().slice(-2000));
      const jwks = (await (await fetch(`${p.url}/oidc/jwks`)).json()) as { keys: { kid: string }[] };
      // The provider signs with the new key now (test/oidc/keys-and-withdrawal.test.ts), which
      // mod_auth_openidc had not seen: its cached JWKS came from the earlier sign-ins.
      assert.ok(jwks.keys.some((k) => k.kid === newKid));
      await context.close();
    });

    test('P1.1 RP-initiated logout from the ES256 service: back to its page, the RS256 service signed out by back-channel', async () => {
      const { context, page } = await personBrowser();
      await signInAt(page, es);
      await signInAt(page, rs);
      await page.goto(`${es.base}/protected/redirect_uri?logout=${encodeURIComponent(`${es.base}/`)}`);
      await page.getByRole('button', { name: 'Sign out everywhere' }).click();
      await page.waitForURL(`${es.base}/`);
      // Both services' sessions are gone: the protected pages send the browser to Civitas.
      for (const h of [es, rs]) {
        await page.goto(`${h.base}/protected/`);
        await page.waitForURL((u) => u.toString().startsWith(p.url));
      }
      await context.close();
    });

    test('P1.1 RP-initiated logout from the RS256 service: the ES256 service signed out by front-channel', async () => {
      const { context, page } = await personBrowser();
      await signInAt(page, es);
      await signInAt(page, rs);
      await page.goto(`${rs.base}/protected/redirect_uri?logout=${encodeURIComponent(`${rs.base}/`)}`);
      await page.getByRole('button', { name: 'Sign out everywhere' }).click();
      await page.waitForURL(`${rs.base}/`);
      await page.goto(`${es.base}/protected/`);
      await page.waitForURL((u) => u.toString().startsWith(p.url));
      await context.close();
    });

    test('P1.1 RP-initiated logout with no front-channel service in the session still ends on the post-logout URI', async () => {
      const { context, page } = await personBrowser();
      await signInAt(page, rs);
      await page.goto(`${rs.base}/protected/redirect_uri?logout=${encodeURIComponent(`${rs.base}/`)}`);
      await page.getByRole('button', { name: 'Sign out everywhere' }).click();
      await page.waitForURL(`${rs.base}/`);
      await page.locator('#page').waitFor();
      await context.close();
    });

    for (const [path, what] of [
      ['/protected/fresh/', 'prompt=login'],
      ['/protected/recent/', 'max_age=1'],
    ] as const) {
      test(`P7.3 ${what} asks the person to sign in again despite the portal session, and auth_time is that sign-in`, async () => {
        const { context, page } = await personBrowser();
        // max_age counts whole seconds since the sign-in (OpenID Connect Core 3.1.2.1):
        // let the portal sign-in just made become older than one.
        if (what === 'max_age=1') await new Promise((r) => setTimeout(r, 2_100));
        const startedAt = Math.floor(Date.now() / 1000);
        await page.goto(`${es.base}${path}`);
        await page.waitForURL((u) => u.pathname === '/login' && u.toString().startsWith(p.url));
        await page.getByLabel('Mobile number').fill(PHONE);
        await page.getByLabel('Password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        const allow = page.getByRole('button', { name: 'Allow and continue' });
        await Promise.race([page.waitForURL(`${es.base}${path}`), allow.waitFor().then(() => allow.click())]);
        await page.waitForURL(`${es.base}${path}`);
        const s = await info(page, es);
        assert.ok(Number(s.id_token?.auth_time) >= startedAt, `auth_time ${String(s.id_token?.auth_time)}`);
        await context.close();
      });
    }
  },
);

/**
 * The portal pages a person reaches, and a person with something on each of them: a
 * department service (`transit-card`, with delivery by post) the person signed in to and
 * consented to, a delivery contact given, an access by the department, a second device.
 * Shared by the page-language scan and the phone-width walk.
 */
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import { idNumberFor } from './citizen.ts';
import { registerCitizen, type Citizen } from './citizens.ts';
import { authorize, form, relyingParty, CookieJar, follow } from './oidc.ts';
import type { TestPlatform } from './platform.ts';

export const CALLBACK = 'http://localhost:9/callback';
export const SERVICE = 'transit-card';
const ASK = `client_id=${SERVICE}&application=TC-2026-000123&redirect_uri=${encodeURIComponent(CALLBACK)}&state=s1`;

/** Pages any visitor reaches. */
export const OPEN_PAGES = [
  '/',
  '/privacy',
  '/login',
  '/login/code',
  '/login/reset',
  '/register',
  '/no-such-page',
  '/oidc/auth?client_id=no-such-service',
];

/** Pages of a signed-in person. */
export const SIGNED_IN_PAGES = [
  '/me',
  '/me/password',
  '/me/phone',
  '/me/access',
  '/me/consents',
  '/me/services',
  '/me/activity',
  '/me/security',
  '/me/email',
  '/me/push',
  '/me/inbox',
  '/me/notifications',
  '/me/verify',
  '/me/companies',
  '/me/deliveries',
  '/me/requests',
  '/me/export',
  '/delivery',
  `/delivery?${ASK}`,
];

export interface PortalPerson extends Citizen {
  rp: client.Configuration;
  /** A second service the person has not answered yet: its consent screen is always shown. */
  unasked: client.Configuration;
}

export async function portalPerson(p: TestPlatform): Promise<PortalPerson> {
  const { secret } = await p.registry.register(
    {
      clientId: SERVICE,
      serviceSlug: 'transit-card',
      redirectUris: [CALLBACK],
      postLogoutRedirectUris: ['http://localhost:9/bye'],
      policyUrl: 'https://transport.example/a/rather/long/path/to/the/privacy-policy-of-the-service',
      dpaReference: 'DPA-TC-2026-0001-TRANSPORT-CARD',
      fields: [
        { field: 'name', purpose: 'service-provision', retentionDays: 90, required: true },
        { field: 'phone', purpose: 'service-provision', retentionDays: 30, required: false },
      ],
      offlineDelivery: true,
      grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
    },
    { type: 'system', id: 'test' },
    { issueSecret: true },
  );
  const rp = await relyingParty(p, SERVICE, secret);
  await p.registry.register(
    {
      clientId: 'social-web',
      serviceSlug: 'social-insurance-record',
      redirectUris: [CALLBACK],
      policyUrl: 'https://social.example/privacy',
      dpaReference: 'DPA-SOCIAL-2026-0002',
      fields: [
        { field: 'name', purpose: 'service-provision', retentionDays: 365, required: true },
        { field: 'id_number', purpose: 'real-name-verification', retentionDays: 1825, required: true },
        { field: 'address', purpose: 'service-provision', retentionDays: 180, required: false },
        { field: 'email', purpose: 'service-provision', retentionDays: 30, required: false },
      ],
    },
    { type: 'system', id: 'test' },
  );
  const unasked = await relyingParty(p, 'social-web');
  const person = await registerCitizen(p, '13712349001', idNumberFor(901), { name: '王芳' });
  const signedIn = await authorize(p, rp, person.cookie, {
    scope: 'openid name phone',
    consent: { decision: 'allow', field: 'phone' },
  });
  assert.ok(signedIn.hop.url.startsWith(CALLBACK), signedIn.hop.body ?? signedIn.hop.url);
  // A contact for delivery by post, then read by the department: "my deliveries" and
  // "who accessed my data" each have a row.
  const jar = new CookieJar(person.cookie);
  const given = await follow(
    p,
    jar,
    `${p.url}/delivery`,
    form({
      client_id: SERVICE,
      application: 'TC-2026-000123',
      redirect_uri: CALLBACK,
      state: 's1',
      recipient: '王芳',
      phone: '13712349001',
      address: '北京市海淀区中关村大街一号院三号楼二单元五零一室',
    }),
  );
  const delivery = new URL(given.url).searchParams.get('delivery');
  assert.ok(delivery, given.body ?? given.url);
  const token = (await client.clientCredentialsGrant(rp, { scope: 'department-api' })).access_token;
  const read = await fetch(`${p.url}/api/department/deliveries/${delivery}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(read.status, 200, await read.clone().text());
  return { ...person, rp, unasked };
}

/** An authorization URL that opens the consent screen of a service not answered yet. */
export async function consentUrl(rp: client.Configuration): Promise<string> {
  return client
    .buildAuthorizationUrl(rp, {
      redirect_uri: CALLBACK,
      scope: 'openid name id_number address email',
      state: client.randomState(),
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    })
    .toString();
}

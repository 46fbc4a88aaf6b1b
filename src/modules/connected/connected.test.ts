/**
 * Invariant: `connected.services(personId)` answers, for every service the person granted,
 * consented to or that received their data, the shape account closure relies on (client id,
 * name, policy link, what it received, the consent, when granted and last used); and
 * `connected.disconnect(personId, clientId)` ends that one service only: its consents
 * withdrawn, its tokens dead, audited, while every other service of the person keeps its
 * consent, grant and tokens. A service the person is not connected to is refused.
 *
 * The page: src/web/portal/services/services.test.ts (what the person sees, the back channel).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { AppError } from '../../kernel/errors.ts';
import { registerCitizen, type Citizen } from '../../../test/support/citizens.ts';
import { idNumberFor } from '../../../test/support/citizen.ts';
import { CALLBACK, relyingParty, signIn } from '../../../test/support/oidc.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';

let p: TestPlatform;
let social: client.Configuration;
let transit: client.Configuration;
let me: Citizen;

async function register(clientId: string, serviceSlug: string) {
  const { secret } = await p.registry.register(
    {
      clientId,
      serviceSlug,
      redirectUris: [CALLBACK],
      policyUrl: `https://${clientId}.example/privacy`,
      dpaReference: `DPA-${clientId}`,
      fields: [{ field: 'name', purpose: 'service-provision', retentionDays: 90, required: true }],
      grantTypes: ['authorization_code', 'refresh_token'],
    },
    { type: 'system', id: 'test' },
    { issueSecret: true },
  );
  return relyingParty(p, clientId, secret);
}

describe('connected services', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    social = await register('social-web', 'social-insurance-record');
    transit = await register('transit-web', 'transit-card');
    me = await registerCitizen(p, '13900000981', idNumberFor(981), { name: '李雷' });
  });
  after(() => p.stop());

  test('P8.1.view P8.5.withdraw the services answer the shape closure reads, and disconnecting one leaves the others connected', async () => {
    const a = await signIn(p, social, me.cookie, { scope: 'openid name offline_access' });
    const b = await signIn(p, transit, me.cookie, { scope: 'openid name offline_access' });
    await client.fetchUserInfo(social, a.tokens.access_token, a.tokens.claims()!.sub);

    const list = await p.connected.services(me.subjectId, 'en');
    assert.deepEqual(list.map((s) => s.clientId).sort(), ['social-web', 'transit-web']);
    const s = list.find((x) => x.clientId === 'social-web')!;
    assert.equal(s.name, 'Social insurance record');
    assert.equal(s.policyUrl, 'https://social-web.example/privacy');
    assert.ok(s.received.includes('name'));
    assert.ok(s.consentId, 'the consent it was given');
    assert.ok(s.grantedAt instanceof Date && s.lastUsedAt instanceof Date);
    const t = list.find((x) => x.clientId === 'transit-web')!;
    assert.equal(t.lastUsedAt, null, 'signed in, never read anything');
    assert.equal(
      (await p.connected.services(me.subjectId))[0]!.name.length > 0,
      true,
      'a zh-CN name by default',
    );

    const done = await p.connected.disconnect(me.subjectId, 'social-web');
    assert.equal(done.consents, 1);
    assert.ok(done.rows > 0, 'its grant and tokens were deleted');
    await assert.rejects(client.refreshTokenGrant(social, a.tokens.refresh_token!));
    await assert.rejects(client.fetchUserInfo(social, a.tokens.access_token, a.tokens.claims()!.sub));

    // The other service is untouched: its consent, its grant, its tokens.
    assert.equal(
      (await client.fetchUserInfo(transit, b.tokens.access_token, b.tokens.claims()!.sub)).name,
      '李雷',
    );
    const refreshed = await client.refreshTokenGrant(transit, b.tokens.refresh_token!);
    assert.ok(refreshed.access_token);
    const consents = await p.consent.of(me.subjectId);
    assert.ok(consents.filter((c) => c.recipientId === 'transit-web').every((c) => !c.withdrawnAt));
    assert.ok(consents.filter((c) => c.recipientId === 'social-web').every((c) => c.withdrawnAt));
    const after = await p.connected.services(me.subjectId, 'en');
    assert.equal(after.find((x) => x.clientId === 'social-web')?.granted, false);
    assert.equal(after.find((x) => x.clientId === 'transit-web')?.granted, true);

    // Signing in to it again asks for consent again.
    const again = await signIn(p, social, me.cookie);
    assert.equal(again.asked, true);
  });

  test('P8.1.view a service the person is not connected to cannot be disconnected', async () => {
    const other = await registerCitizen(p, '13900000982', idNumberFor(982));
    await assert.rejects(
      p.connected.disconnect(other.subjectId, 'social-web'),
      (err: unknown) => err instanceof AppError && err.code === 'connected.unknown_service',
    );
  });
});

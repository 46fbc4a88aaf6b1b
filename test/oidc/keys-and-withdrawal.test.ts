/**
 * Invariant (P7.2 key management; P8.5 withdrawal takes effect at once): a rotated signing
 * key signs new tokens while the old one stays published, so tokens already issued still
 * verify; withdrawing the consent a service signed in with stops its claims at once, even
 * on an access token issued before, and the next sign-in asks again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { rotateSigningKey } from '../../src/oidc/index.ts';
import { registerCitizen } from '../support/citizens.ts';
import { relyingParty, signIn as signInAs } from '../support/oidc.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { loadLocalKeyManager } from '../../src/modules/vault/index.ts';

let p: TestPlatform;
import { CALLBACK } from '../support/oidc.ts';

const signIn = async (rp: client.Configuration, cookie: string) => {
  const r = await signInAs(p, rp, cookie);
  return { tokens: r.tokens, asked: r.asked };
};

describe('signing keys and consent withdrawal', () => {
  let rp: client.Configuration;
  let person: Awaited<ReturnType<typeof registerCitizen>>;

  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    const reg = await p.registry.register(
      {
        clientId: 'pension-web',
        serviceSlug: 'pension-certification',
        redirectUris: [CALLBACK],
        policyUrl: 'https://pension.example/privacy',
        dpaReference: 'DPA-P-1',
        fields: [{ field: 'name', purpose: 'service-provision', retentionDays: 90, required: true }],
      },
      { type: 'system', id: 'test' },
      { issueSecret: true },
    );
    rp = await relyingParty(p, 'pension-web', reg.secret);
    person = await registerCitizen(p, '13812340001', '11010519491231002X', { name: '韩梅梅' });
  });
  after(() => p.stop());

  test('P7.2 after rotation the new key signs and tokens signed by the old key still verify', async () => {
    const { tokens: before } = await signIn(rp, person.cookie);
    const oldKid = decodeProtectedHeader(before.id_token!).kid;
    const newKid = await rotateSigningKey(p.storage.db, loadLocalKeyManager(p.config), 'ES256');
    await p.reloadOidc();

    const jwks = (await (await fetch(rp.serverMetadata().jwks_uri!)).json()) as {
      keys: { kid: string; d?: string }[];
    };
    const kids = jwks.keys.map((k) => k.kid);
    assert.ok(kids.includes(oldKid!) && kids.includes(newKid), 'both keys are published');
    assert.ok(
      jwks.keys.every((k) => k.d === undefined),
      'no private part is published',
    );

    const { tokens: after } = await signIn(rp, person.cookie);
    assert.equal(decodeProtectedHeader(after.id_token!).kid, newKid);
    const remote = createRemoteJWKSet(new URL(rp.serverMetadata().jwks_uri!));
    await jwtVerify(before.id_token!, remote, { issuer: `${p.url}/oidc`, audience: 'pension-web' });
  });

  test('P8.5.withdraw withdrawing the consent stops the release at once and the next sign-in asks again', async () => {
    const { tokens } = await signIn(rp, person.cookie);
    const sub = tokens.claims()!.sub;
    assert.equal((await client.fetchUserInfo(rp, tokens.access_token, sub)).name, '韩梅梅');
    const consent = (await p.consent.of(person.subjectId)).find((c) => c.recipientId === 'pension-web')!;
    await p.consent.withdraw(consent.id, { type: 'self', id: person.subjectId });

    const info = await client.fetchUserInfo(rp, tokens.access_token, sub);
    assert.equal(info.name, undefined, 'the live access token no longer releases the name');
    const again = await signIn(rp, person.cookie);
    assert.equal(again.asked, true, 'the consent screen is shown again');
  });
});

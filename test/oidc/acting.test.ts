/**
 * Invariant (P2.1, legal persons at department services): a service of a department where
 * a company can be represented may ask for scope `company`; the person then chooses, in
 * every authorization, whether they act for themself or for a company they may act for
 * there; userinfo carries `acting_for` only for that choice and only while the legal
 * representative role or the agent's authorisation for that department still holds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { seededCompanies } from '../../src/dev/company-registry.ts';
import { idNumberFor } from '../support/citizen.ts';
import { registerCitizen, type Citizen } from '../support/citizens.ts';
import { authorize, CALLBACK, relyingParty } from '../support/oidc.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
const qingHe = seededCompanies[0]!;

const api = (c: Citizen, method: string, path: string, body?: unknown) =>
  fetch(`${p.url}${path}`, {
    method,
    headers: { cookie: c.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** One authorization answered with `acting` (a company id, or 'self'); returns userinfo. */
async function signIn(rp: client.Configuration, person: Citizen, acting?: string) {
  const a = await authorize(p, rp, person.cookie, {
    scope: 'openid name company',
    consent: { decision: 'allow', field: 'name', ...(acting ? { acting } : {}) },
  });
  assert.ok(a.hop.url.startsWith(CALLBACK), a.hop.body ?? a.hop.url);
  const tokens = await client.authorizationCodeGrant(rp, new URL(a.hop.url), {
    pkceCodeVerifier: a.verifier,
    expectedState: a.state,
  });
  const info = await client.fetchUserInfo(rp, tokens.access_token, tokens.claims()!.sub);
  return { info, page: a.consentPage ?? '', tokens };
}

describe('acting for a company at a department service', () => {
  let tax: client.Configuration;
  let transit: client.Configuration;
  let liMing: Citizen;
  let companyId: string;

  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    const register = async (clientId: string, serviceSlug: string) => {
      const { secret } = await p.registry.register(
        {
          clientId,
          serviceSlug,
          redirectUris: [CALLBACK],
          policyUrl: 'https://dept.example/privacy',
          dpaReference: `DPA-${clientId}`,
          fields: [{ field: 'name', purpose: 'service-provision', retentionDays: 90, required: true }],
        },
        { type: 'system', id: 'test' },
        { issueSecret: true },
      );
      return relyingParty(p, clientId, secret);
    };
    tax = await register('tax-company', 'income-tax-return');
    transit = await register('transit-company', 'transit-card');
    liMing = await registerCitizen(p, '13500000001', qingHe.representative.idNumber, {
      level: 3,
      name: '李明',
    });
    const bound = await api(liMing, 'POST', '/api/companies', { creditCode: qingHe.creditCode });
    assert.equal(bound.status, 201, await bound.clone().text());
    companyId = ((await bound.json()) as { id: string }).id;
  });
  after(() => p.stop());

  test('P2.1 the legal representative chooses the company at a tax service, in every authorization', async () => {
    const asCompany = await signIn(tax, liMing, companyId);
    assert.match(asCompany.page, /At this service I act for/);
    assert.match(asCompany.page, new RegExp(`${qingHe.name} \\(legal representative\\)`));
    assert.equal(asCompany.info.name, '李明');
    assert.deepEqual(asCompany.info.acting_for, {
      credit_code: qingHe.creditCode,
      name: qingHe.name,
      role: 'representative',
    });

    // Consent for the name is remembered; the choice of whom to act for is asked again.
    const asSelf = await signIn(tax, liMing, 'self');
    assert.match(asSelf.page, /Whom do you act for\?/);
    assert.doesNotMatch(asSelf.page, /Share your data with this service/);
    assert.equal(asSelf.info.name, '李明');
    assert.equal(asSelf.info.acting_for, undefined);

    // The company's own access log records the release of its credit code.
    const { rows } = await p.storage.db.query<{ actor_label: string; purpose: string }>(
      'SELECT actor_label, purpose FROM vault_access WHERE subject_id = $1',
      [companyId],
    );
    assert.deepEqual(rows, [{ actor_label: 'department:tax', purpose: 'service-provision' }]);
  });

  test('P2.1 an agent is offered the company only where their scope applies, and only while it lasts', async () => {
    const clerk = await registerCitizen(p, '13500000002', idNumberFor(502), { name: '赵敏' });
    const social = await registerCitizen(p, '13500000003', idNumberFor(503), { name: '钱进' });
    const until = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const authorise = async (phone: string, scopes: string[]) => {
      const res = await api(liMing, 'POST', `/api/companies/${companyId}/agents`, {
        phone,
        scopes,
        validUntil: until,
      });
      assert.equal(res.status, 201, await res.clone().text());
      return ((await res.json()) as { id: string }).id;
    };
    const clerkAuth = await authorise(clerk.phone, ['tax']);
    await authorise(social.phone, ['social-security']);

    const notHere = await signIn(tax, social, companyId);
    assert.doesNotMatch(notHere.page, new RegExp(qingHe.name), 'no tax scope: the company is not offered');
    assert.equal(
      notHere.info.acting_for,
      undefined,
      'an id that was not offered counts as acting for oneself',
    );

    const agent = await signIn(tax, clerk, companyId);
    assert.match(agent.page, new RegExp(`${qingHe.name} \\(authorised agent\\)`));
    assert.deepEqual(agent.info.acting_for, {
      credit_code: qingHe.creditCode,
      name: qingHe.name,
      role: 'agent',
    });

    // The authorisation ends: the same access token no longer carries the company.
    await p.storage.db.query(
      `UPDATE company_agent SET valid_until = now() - interval '1 second' WHERE id = $1`,
      [clerkAuth],
    );
    const later = await client.fetchUserInfo(tax, agent.tokens.access_token, agent.tokens.claims()!.sub);
    assert.equal(later.name, '赵敏');
    assert.equal(later.acting_for, undefined);
  });

  test('P2.3 a service of a department without company services cannot ask for scope company', async () => {
    const a = await authorize(p, transit, liMing.cookie, { scope: 'openid name company' });
    const back = new URL(a.hop.url);
    assert.equal(`${back.origin}${back.pathname}`, CALLBACK);
    assert.equal(back.searchParams.get('error'), 'invalid_scope');
  });
});

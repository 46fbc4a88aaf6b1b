/**
 * Invariant: a company is bound only by a person at level L3 or above whom the company
 * registry confirms as its legal representative, with a credit code that passes GB 32100;
 * the registry receives the credit code and that person's ID number and nothing else;
 * agents act only within their scopes and only until their end date; and every action
 * taken for a company records the company in its audit entry.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seededCompanies, type LocalCompanyRegistry } from '../../dev/company-registry.ts';
import { registerCitizen, type Citizen } from '../../../test/support/citizens.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';

let p: TestPlatform;
const registry = () => p.companyRegistry as LocalCompanyRegistry;
const qingHe = seededCompanies[0]!; // active, 李明
const pujiang = seededCompanies[1]!; // active, 王芳
const revoked = seededCompanies[2]!; // revoked, 陈伟

const api = (c: Citizen, method: string, path: string, body?: unknown) =>
  fetch(`${p.url}${path}`, {
    method,
    headers: { cookie: c.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const problem = async (res: Response) =>
  (await res.json()) as { code: string; title: string; detail?: string; clause?: string };
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

let liMing: Citizen;
let companyId: string;

describe('company accounts', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    liMing = await registerCitizen(p, '13600000001', qingHe.representative.idNumber, { level: 3 });
  });
  after(() => p.stop());

  test('P2.1 a credit code with a wrong check character or format is refused before anything is sent', async () => {
    const sent = registry().received.length;
    for (const [code, detail] of [
      ['91110108MA01CW0A2M', 'checksum'],
      ['91110108MA01CW0AIL', 'format'],
      ['9111', 'format'],
    ]) {
      const res = await api(liMing, 'POST', '/api/companies', { creditCode: code });
      assert.equal(res.status, 400);
      assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
      const body = await problem(res);
      assert.equal(body.code, 'company.invalid_credit_code');
      assert.equal(body.detail, detail);
    }
    assert.equal(registry().received.length, sent, 'the registry was not asked');
  });

  test('P2.1 binding a company needs assurance level L3, and the refusal names it', async () => {
    const wang = await registerCitizen(p, '13600000002', pujiang.representative.idNumber, { level: 2 });
    const sent = registry().received.length;
    const res = await api(wang, 'POST', '/api/companies', { creditCode: pujiang.creditCode });
    assert.equal(res.status, 403);
    const body = await problem(res);
    assert.equal(body.code, 'company.level_too_low');
    assert.match(body.title, /L3/);
    assert.equal(body.detail, 'level L2, needs L3');
    assert.equal(registry().received.length, sent, 'nothing left for the registry');
    await p.storage.db.query('UPDATE citizen_account SET assurance_level = 3 WHERE subject_id = $1', [
      wang.subjectId,
    ]);
    const ok = await api(wang, 'POST', '/api/companies', { creditCode: pujiang.creditCode });
    assert.equal(ok.status, 201, await ok.clone().text());
  });

  test('P2.1 only the person the registry confirms as legal representative binds an active company', async () => {
    const other = await registerCitizen(p, '13600000003', '110105199001010029', { level: 4 });
    const notRep = await api(other, 'POST', '/api/companies', { creditCode: seededCompanies[3]!.creditCode });
    assert.equal(notRep.status, 403);
    assert.equal((await problem(notRep)).code, 'company.not_representative');
    const chen = await registerCitizen(p, '13600000004', revoked.representative.idNumber, { level: 3 });
    const rev = await api(chen, 'POST', '/api/companies', { creditCode: revoked.creditCode });
    assert.equal(rev.status, 409);
    assert.equal((await problem(rev)).code, 'company.company_revoked');
    const unknown = await api(other, 'POST', '/api/companies', { creditCode: '91350100M000100Y43' });
    assert.equal(unknown.status, 404);
    assert.equal((await problem(unknown)).code, 'company.unknown_company');
    const refused = await p.storage.db.query<{ detail: { code: string } }>(
      `SELECT detail FROM audit_entry WHERE action = 'company.bind_refused' AND actor_id = $1 ORDER BY id`,
      [other.subjectId],
    );
    assert.deepEqual(
      refused.rows.map((r) => r.detail.code),
      ['company.not_representative', 'company.unknown_company'],
      'refusals are audited',
    );
  });

  test('P5.1.4 binding sends the registry only the credit code and the representative’s ID number', async () => {
    const res = await api(liMing, 'POST', '/api/companies', { creditCode: qingHe.creditCode.toLowerCase() });
    assert.equal(res.status, 201, await res.clone().text());
    const bound = (await res.json()) as { id: string; name: string };
    companyId = bound.id;
    assert.equal(bound.name, qingHe.name);
    assert.deepEqual(registry().received.at(-1), {
      creditCode: qingHe.creditCode,
      idNumber: qingHe.representative.idNumber,
    });
    // The ID number left through the sharing rules: logged for the person, as a partner share.
    const log = await p.vault.accessLog(liMing.subjectId);
    assert.equal(log[0]?.actorLabel, 'partner:company-registry');
    assert.deepEqual(log[0]?.categories, ['id_document']);
    assert.equal(log[0]?.operation, 'share');
    assert.equal(log[0]?.basis, 'necessity');
    // The company is an organisation subject of the vault holding its registration.
    assert.deepEqual(await p.vault.findSubject('company_registration', qingHe.creditCode), [companyId]);
    const kind = await p.storage.db.query('SELECT kind FROM vault_subject WHERE id = $1', [companyId]);
    assert.equal(kind.rows[0]?.kind, 'organisation');
    // Neither the ID number nor the credit code reached the log or an audit entry's detail.
    const details = await p.storage.db.query<{ detail: unknown }>('SELECT detail FROM audit_entry');
    for (const secret of [qingHe.representative.idNumber, qingHe.creditCode]) {
      assert.ok(!p.logs.join('').includes(secret), 'not in the log');
      assert.ok(!JSON.stringify(details.rows).includes(secret), 'not in audit details');
    }
    const again = await api(liMing, 'POST', '/api/companies', { creditCode: qingHe.creditCode });
    assert.equal(again.status, 409);
    assert.equal((await problem(again)).code, 'company.already_bound');
    const list = (await (await api(liMing, 'GET', '/api/companies')).json()) as {
      companies: { id: string; role: string }[];
    };
    assert.deepEqual(
      list.companies.map((c) => [c.id, c.role]),
      [[companyId, 'representative']],
    );
  });

  test('P2.1 agents act within their scopes, and an expired authorisation stops at once', async () => {
    const taxClerk = await registerCitizen(p, '13600000011', '110105199512120035');
    const manager = await registerCitizen(p, '13600000012', '330106199202143212');
    devices.set(
      manager.phone,
      manager.cookie.split('; ').find((c) => c.startsWith('civitas_device='))!,
    );
    const grant = (by: Citizen, phone: string, scopes: string[], validUntil = tomorrow()) =>
      api(by, 'POST', `/api/companies/${companyId}/agents`, { phone, scopes, validUntil });
    const t = await grant(liMing, taxClerk.phone, ['view-only', 'tax']);
    assert.equal(t.status, 201, await t.clone().text());
    const { id: taxAuth } = (await t.json()) as { id: string };
    assert.equal((await grant(liMing, manager.phone, ['manage-agents'])).status, 201);
    assert.equal(
      (await problem(await grant(liMing, '13600009999', ['tax']))).code,
      'company.agent_not_registered',
    );
    assert.equal((await problem(await grant(liMing, manager.phone, ['tax']))).code, 'company.agent_exists');
    assert.equal(
      (await grant(liMing, '13600000003', ['tax'], '2020-01-01')).status,
      400,
      'an end date in the past',
    );

    // The tax clerk sees the company but may not add agents.
    const view = (await (await api(taxClerk, 'GET', `/api/companies/${companyId}`)).json()) as {
      role: string;
      scopes: string[];
      agents?: unknown;
    };
    assert.deepEqual([view.role, view.scopes, view.agents], ['agent', ['view-only', 'tax'], undefined]);
    const denied = await grant(taxClerk, '13600000003', ['tax']);
    assert.equal(denied.status, 403);
    assert.equal((await problem(denied)).code, 'company.scope_denied');

    // The clerk acts for the company; then the authorisation passes its end date.
    assert.equal((await api(taxClerk, 'PUT', '/api/companies/acting', { companyId })).status, 200);
    await p.storage.db.query(
      `UPDATE company_agent SET valid_until = now() - interval '1 second' WHERE id = $1`,
      [taxAuth],
    );
    const acting = await api(taxClerk, 'GET', '/api/companies/acting');
    assert.equal(acting.status, 403);
    assert.equal((await problem(acting)).code, 'company.authorisation_ended');
    assert.deepEqual(
      await (await api(taxClerk, 'GET', '/api/companies/acting')).json(),
      { subjectId: taxClerk.subjectId, scopes: [] },
      'the session is back to acting for the person',
    );
    assert.equal((await api(taxClerk, 'GET', `/api/companies/${companyId}`)).status, 404);
    const list = (await (await api(taxClerk, 'GET', '/api/companies')).json()) as { companies: unknown[] };
    assert.deepEqual(list.companies, []);

    // Authorised again: the ended authorisation is recorded as expired (company.lifecycle.ts);
    // the new one, once revoked, cannot be revoked a second time.
    const again = await grant(liMing, taxClerk.phone, ['tax']);
    assert.equal(again.status, 201, await again.clone().text());
    const { id: second } = (await again.json()) as { id: string };
    const revoke = () => api(liMing, 'POST', `/api/companies/${companyId}/agents/${second}/revoke`, {});
    assert.equal((await revoke()).status, 200);
    assert.equal((await problem(await revoke())).code, 'company.not_found');
    const { rows } = await p.storage.db.query<{ id: string; state: string }>(
      `SELECT id, state FROM company_agent WHERE id = ANY($1::uuid[])`,
      [[taxAuth, second]],
    );
    assert.deepEqual(Object.fromEntries(rows.map((r) => [r.id, r.state])), {
      [taxAuth]: 'expired',
      [second]: 'revoked',
    });
  });

  test('P2.1 an action taken while acting for a company records the company in its audit entry', async () => {
    // The manager authorised in the previous test holds manage-agents; sign in for a session.
    const m = await signIn('13600000012');
    await registerCitizen(p, '13600000021', '510107198507116544');
    const switched = await api(m, 'PUT', '/api/companies/acting', { companyId });
    assert.deepEqual(((await switched.json()) as { onBehalfOf: unknown }).onBehalfOf, {
      companyId,
      name: qingHe.name,
      role: 'agent',
    });
    const res = await api(m, 'POST', `/api/companies/${companyId}/agents`, {
      phone: '13600000021',
      scopes: ['housing-fund'],
      validUntil: tomorrow(),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const { rows } = await p.storage.db.query<{
      actor_id: string;
      subject_type: string;
      subject_id: string;
      detail: Record<string, unknown>;
    }>(
      `SELECT actor_id, subject_type, subject_id, detail FROM audit_entry
        WHERE action IN ('company.acting_switched', 'company.agent_authorised') AND actor_id = $1 ORDER BY id`,
      [m.subjectId],
    );
    assert.deepEqual(
      rows.map((r) => [r.subject_type, r.subject_id, r.detail.onBehalfOf, r.detail.actingAs]),
      [
        ['organisation', companyId, companyId, 'agent'],
        ['organisation', companyId, companyId, 'agent'],
      ],
    );
    assert.ok(!JSON.stringify(rows).includes('13600000021'), 'no phone number in the audit detail');
  });
});

/** The device cookie of the browser each person registered with: signing in there needs no second step. */
const devices = new Map<string, string>();

async function signIn(phone: string): Promise<Citizen> {
  const res = await fetch(`${p.url}/api/identity/login/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: devices.get(phone) ?? '' },
    body: JSON.stringify({ phone, password: 'a test password' }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const { subjectId } = (await res.json()) as { subjectId: string };
  return {
    subjectId,
    phone,
    cookie: res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
  };
}

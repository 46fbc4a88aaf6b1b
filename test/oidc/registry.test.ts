/**
 * Invariant (P1.2 every service names its policy and agreement; P2.3 every field its
 * purpose and retention; P7.2 least privilege): only administrators register or change
 * department services, every change is audited, a registration asking for a field its
 * purpose may not use is refused with the reason, and the home page shows each service's
 * needs. Saving a service in the console keeps every setting of its registration (signing
 * algorithm, grant types, logout URIs); wrong input is a readable error on the page, never
 * a 500; the policy link the consent screen shows is https.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { signInStaff } from '../support/staff.ts';

let p: TestPlatform;

async function staffCookie(role: 'administrator' | 'support', email: string) {
  await p.staff.create(
    { email, displayName: role, role, password: 'staff password 123' },
    { type: 'system', id: 'test' },
  );
  return signInStaff(p.url, email, 'staff password 123');
}

const post = (cookie: string, body: Record<string, string>) =>
  fetch(`${p.url}/admin/services`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'accept-language': 'en' },
    body: new URLSearchParams(body).toString(),
  });

const registration = {
  clientId: 'tax-mobile',
  serviceSlug: 'income-tax-return',
  redirectUris: 'https://tax.example/callback',
  policyUrl: 'https://tax.example/privacy',
  dpaReference: 'DPA-TAX-7',
  assuranceLevel: '2',
  fields: 'name service-provision 3650 required\nphone service-provision 365 optional',
};

describe('relying-party registry in the staff console', () => {
  let admin: string;
  before(async () => {
    p = await startTestPlatform();
    admin = await staffCookie('administrator', 'admin@civitas.example');
  });
  after(() => p.stop());

  test('P1.2 an administrator registers a service; the secret is shown once and the change audited', async () => {
    const res = await post(admin, { ...registration, issueSecret: 'yes' });
    const html = await res.text();
    assert.equal(res.status, 200, html);
    const secret = /<code id="client-secret">([^<]+)<\/code>/.exec(html)![1]!;
    assert.ok(secret.length >= 40);
    assert.equal(await p.registry.secretOf('tax-mobile'), secret);
    const list = await (await fetch(`${p.url}/admin/services`, { headers: { cookie: admin } })).text();
    assert.doesNotMatch(list, new RegExp(secret), 'never shown again');
    const { rows } = await p.storage.db.query<{ actor_type: string; detail: { fields: string[] } }>(
      `SELECT actor_type, detail FROM audit_entry WHERE action = 'catalogue.relying_party_registered' AND subject_id = 'tax-mobile'`,
    );
    assert.equal(rows[0]!.actor_type, 'staff');
    assert.deepEqual(rows[0]!.detail.fields, [
      'name:service-provision:3650d',
      'phone:service-provision:365d:optional',
    ]);
  });

  test('P2.3 a field its purpose may not use is refused with the reason, and the form kept', async () => {
    const res = await post(admin, {
      ...registration,
      clientId: 'tax-bad',
      fields: 'id_number service-provision 30 required',
    });
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(
      html,
      /role="alert"[^>]*>The service registration is incomplete or asks for something it may not: fields\.0: this purpose may not use this field \(P4\)/,
    );
    assert.match(html, /value="tax-bad"/);
    assert.equal(await p.registry.find('tax-bad'), undefined);
  });

  test('P2.4 an administrator declares that a service posts results', async () => {
    const res = await post(admin, { ...registration, clientId: 'tax-post', offlineDelivery: 'yes' });
    assert.equal(res.status, 200, await res.clone().text());
    const rp = (await p.registry.find('tax-post'))!;
    assert.equal(rp.offlineDelivery, true);
    assert.ok(rp.grantTypes.includes('client_credentials'), 'its back end reads contacts with its own token');
  });

  test('P7.2.roles support staff can neither see nor change the registry', async () => {
    const support = await staffCookie('support', 'support@civitas.example');
    assert.equal((await post(support, registration)).status, 403);
    const api = await fetch(`${p.url}/api/staff/relying-parties`, { headers: { cookie: support } });
    assert.equal(api.status, 403);
    assert.match(api.headers.get('content-type') ?? '', /problem\+json/);
  });

  test('P2.3 the home page lists what each service needs, why, for how long, and its level', async () => {
    const html = await (await fetch(`${p.url}/`, { headers: { 'accept-language': 'en' } })).text();
    assert.match(
      html,
      /Provident fund account[\s\S]*?What it needs and why · L2[\s\S]*?Resident ID number \(needed for this service\): Real-name verification; Kept by the service for 1825 days/,
    );
    // P2.4 the demo transit card posts cards; the provident-fund account posts nothing.
    const needs = (service: string) =>
      new RegExp(`${service}[\\s\\S]*?<details class="needs">([\\s\\S]*?)</details>`).exec(html)?.[1] ?? '';
    assert.match(
      needs('Public transport card'),
      /If you choose delivery by post: a recipient, mobile number/,
    );
    assert.doesNotMatch(needs('Provident fund account'), /delivery by post/);
  });

  /** The form of the edit page, as the browser would send it back (selected, checked, typed). */
  const editForm = async (clientId: string) => {
    const html = await (
      await fetch(`${p.url}/admin/services?edit=${clientId}`, { headers: { cookie: admin } })
    ).text();
    const body = new URLSearchParams();
    const form = /<form[^>]*action="\/admin\/services"[\s\S]*?<\/form>/.exec(html)![0];
    for (const m of form.matchAll(/<input ([^>]*)\/?>/g)) {
      const attr = (n: string) => new RegExp(`\\b${n}="([^"]*)"`).exec(m[1]!)?.[1];
      const type = attr('type');
      if ((type === 'checkbox' && !/\bchecked=""/.test(m[1]!)) || !attr('name')) continue;
      if (attr('name') === 'issueSecret') continue;
      body.append(attr('name')!, (attr('value') ?? '').replace(/&amp;/g, '&'));
    }
    const selected =
      /<select id="idTokenAlg" name="idTokenAlg">[\s\S]*?<option value="([^"]+)" selected=""/.exec(form);
    if (selected) body.append('idTokenAlg', selected[1]!);
    const fields = /<textarea id="fields" name="fields"[^>]*>([^<]*)<\/textarea>/.exec(form)?.[1] ?? '';
    body.append('fields', fields);
    return { html, body };
  };

  test('P1.2 saving a service in the console keeps its signing algorithm, grant types and logout URIs', async () => {
    await p.registry.register(
      {
        clientId: 'tax-rs256',
        serviceSlug: 'income-tax-return',
        redirectUris: ['https://tax.example/callback'],
        postLogoutRedirectUris: ['https://tax.example/'],
        backchannelLogoutUri: 'https://tax.example/backchannel',
        frontchannelLogoutUri: 'https://tax.example/frontchannel',
        policyUrl: 'https://tax.example/privacy',
        dpaReference: 'DPA-TAX-9',
        fields: [{ field: 'name', purpose: 'service-provision', retentionDays: 30, required: true }],
        grantTypes: ['authorization_code', 'client_credentials'],
        idTokenAlg: 'RS256',
      },
      { type: 'system', id: 'test' },
    );
    const { html, body } = await editForm('tax-rs256');
    // The console shows every setting.
    assert.match(html, /<option value="RS256" selected="">RS256<\/option>/);
    assert.match(html, /value="client_credentials" checked=""/);
    assert.doesNotMatch(html, /value="refresh_token" checked=""/);
    assert.match(html, /value="https:\/\/tax.example\/backchannel"/);
    // The administrator changes the level only, and saves.
    body.set('assuranceLevel', '3');
    const res = await fetch(`${p.url}/admin/services`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: admin },
      body: body.toString(),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const rp = (await p.registry.find('tax-rs256'))!;
    assert.equal(rp.assuranceLevel, 3);
    assert.equal(rp.idTokenAlg, 'RS256');
    assert.deepEqual(rp.grantTypes, ['authorization_code', 'client_credentials']);
    assert.deepEqual(rp.postLogoutRedirectUris, ['https://tax.example/']);
    assert.equal(rp.backchannelLogoutUri, 'https://tax.example/backchannel');
    assert.equal(rp.frontchannelLogoutUri, 'https://tax.example/frontchannel');
    // A post that does not carry a setting at all (an older form) keeps it too.
    const old = await post(admin, {
      ...registration,
      clientId: 'tax-rs256',
      fields: 'name service-provision 30 required',
    });
    assert.equal(old.status, 200, await old.clone().text());
    const after_ = (await p.registry.find('tax-rs256'))!;
    assert.equal(after_.idTokenAlg, 'RS256');
    assert.deepEqual(after_.grantTypes, ['authorization_code', 'client_credentials']);
    assert.equal(after_.backchannelLogoutUri, 'https://tax.example/backchannel');
  });

  test('P1.2 a policy link must be https (http only on loopback), said on the page with what was typed', async () => {
    for (const policyUrl of ['javascript:alert(1)', 'http://tax.example/privacy', 'data:text/html,hi']) {
      const res = await post(admin, { ...registration, clientId: 'tax-link', policyUrl });
      assert.equal(res.status, 400, policyUrl);
      const html = await res.text();
      assert.match(html, /role="alert"[^>]*>[^<]*policyUrl: must be an https URL \(http only on loopback\)/);
      assert.match(html, /value="tax-link"/);
    }
    assert.equal(await p.registry.find('tax-link'), undefined);
    const dev = await post(admin, {
      ...registration,
      clientId: 'tax-link',
      policyUrl: 'http://localhost:8080/p',
    });
    assert.equal(dev.status, 200, await dev.clone().text());
  });

  test('P1.2 wrong input in the console is a readable error on the page, never a 500', async () => {
    const wrong: Record<string, string>[] = [
      { dpaReference: 'DPA\u0000-1' },
      { serviceSlug: 'income\u0000tax' },
      { serviceSlug: 'no-such-service' },
      { assuranceLevel: 'high' },
      { fields: 'name' },
      { fields: 'name service-provision many required' },
      { redirectUris: 'not a url' },
      { idTokenAlg: 'none' },
      { grantTypes: 'implicit' },
      { clientId: 'X'.repeat(500) },
    ];
    for (const change of wrong) {
      const res = await post(admin, { ...registration, clientId: 'tax-wrong', ...change });
      assert.ok(res.status >= 400 && res.status < 500, `${res.status} ${JSON.stringify(change)}`);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await res.text(), /role="alert"/, JSON.stringify(change));
    }
  });
});

/**
 * Invariants of delivery by post (P2.4): the contact is asked only by a service that
 * declared it, stored for one application only, read only by that service's department
 * (with a client-credentials token, recorded in the person's access log), and deleted on
 * schedule (P6.2) or when the person asks (P8.1).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { idNumberFor } from '../../../test/support/citizen.ts';
import { registerCitizen } from '../../../test/support/citizens.ts';
import { CALLBACK, CookieJar, follow, form, relyingParty, signIn } from '../../../test/support/oidc.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';

let p: TestPlatform;
const contact = { recipient: '王芳', phone: '13912345678', address: '北京市东城区景山前街4号' };

const register = async (clientId: string, serviceSlug: string, extra: object = {}) => {
  const { secret } = await p.registry.register(
    {
      clientId,
      serviceSlug,
      redirectUris: [CALLBACK],
      policyUrl: 'https://dept.example/privacy',
      dpaReference: `DPA-${clientId}`,
      fields: [{ field: 'name', purpose: 'service-provision', retentionDays: 90, required: true }],
      ...extra,
    },
    { type: 'system', id: 'test' },
    { issueSecret: true },
  );
  return relyingParty(p, clientId, secret);
};
const posting = {
  offlineDelivery: true,
  grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
};

const ask = (application: string, clientId = 'post-card') =>
  `${p.url}/delivery?${new URLSearchParams({ client_id: clientId, application, redirect_uri: CALLBACK, state: 'st-1' })}`;

/** The person gives `body` on the delivery page; returns the last hop (the service, or the page). */
async function give(cookie: string, application: string, body: Record<string, string> = contact) {
  const jar = new CookieJar(cookie);
  const page = await follow(p, jar, ask(application));
  assert.equal(page.status, 200, page.body);
  return follow(
    p,
    jar,
    `${p.url}/delivery`,
    form({ client_id: 'post-card', application, redirect_uri: CALLBACK, state: 'st-1', ...body }),
  );
}
const deliveryOf = (hop: { url: string }) => new URL(hop.url).searchParams.get('delivery')!;

describe('delivery by post', () => {
  let card: client.Configuration;
  let tax: client.Configuration;
  let person: { cookie: string; subjectId: string };
  const token = async (rp: client.Configuration) =>
    (await client.clientCredentialsGrant(rp, { scope: 'department-api' })).access_token;
  const departmentGet = async (rp: client.Configuration, id: string) =>
    fetch(`${p.url}/api/department/deliveries/${id}`, {
      headers: { authorization: `Bearer ${await token(rp)}` },
    });

  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    card = await register('post-card', 'transit-card', posting);
    tax = await register('post-tax', 'income-tax-return', posting);
    await register('no-post', 'household-certificate');
    person = await registerCitizen(p, '13712340001', idNumberFor(1), { name: '王芳' });
  });
  after(() => p.stop());

  test('P2.4 a contact given for one application reaches that department only, and the read is shown to the person', async () => {
    const back = await give(person.cookie, 'TC-2026-001');
    const returned = new URL(back.url);
    assert.equal(`${returned.origin}${returned.pathname}`, CALLBACK);
    assert.equal(returned.searchParams.get('state'), 'st-1');
    const id = deliveryOf(back);

    const res = await departmentGet(card, id);
    assert.equal(res.status, 200, await res.clone().text());
    const got = (await res.json()) as { application: string; sub: string; contact: typeof contact };
    assert.equal(got.application, 'TC-2026-001');
    assert.deepEqual(got.contact, contact);
    // The department knows the person by the same pairwise sub its sign-in gave it.
    const { tokens } = await signIn(p, card, person.cookie, { scope: 'openid name' });
    assert.equal(got.sub, tokens.claims()!.sub);

    const other = await departmentGet(tax, id);
    assert.equal(other.status, 404, 'another department cannot read it');
    assert.match(other.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(((await other.json()) as { code: string }).code, 'delivery.not_found');

    const log = (await (
      await fetch(`${p.url}/api/me/access-log`, { headers: { cookie: person.cookie } })
    ).json()) as { entries: { actorLabel: string; purpose: string }[] };
    const reads = log.entries.filter((e) => e.purpose === 'offline-delivery');
    assert.equal(reads.length, 1, JSON.stringify(log.entries));
    assert.equal(reads[0]!.actorLabel, 'department:transport');

    // Kept apart from the person's own details: a read without the application's compartment sees nothing.
    const own = await p.vault.read({
      subjectId: person.subjectId,
      actor: { type: 'self', id: person.subjectId, label: 'self' },
      purpose: 'offline-delivery',
      basis: { type: 'self' },
      fields: ['delivery_contact'],
    });
    assert.deepEqual(own.values, {});
    assert.deepEqual(own.withheld, [{ field: 'delivery_contact', reason: 'not-held' }]);
  });

  test('P2.4 the department API needs a client-credentials token with the department-api scope', async () => {
    const id = deliveryOf(await give(person.cookie, 'TC-2026-002'));
    const none = await fetch(`${p.url}/api/department/deliveries/${id}`);
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_token"/);
    // A person's access token (issued to the service for its sign-in) is not a department credential.
    const { tokens } = await signIn(p, card, person.cookie, { scope: 'openid name' });
    const personal = await fetch(`${p.url}/api/department/deliveries/${id}`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal(personal.status, 401);
    const narrow = (await client.clientCredentialsGrant(card, {})).access_token;
    const scoped = await fetch(`${p.url}/api/department/deliveries/${id}`, {
      headers: { authorization: `Bearer ${narrow}` },
    });
    assert.equal(scoped.status, 403, await scoped.clone().text());
    assert.match(scoped.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
  });

  test('P2.3 a service that did not declare delivery, or an unregistered return address, gets an error page and no redirect', async () => {
    const jar = new CookieJar(person.cookie);
    const undeclared = await follow(p, jar, ask('HC-1', 'no-post'));
    assert.equal(undeclared.status, 400);
    assert.match(undeclared.body!, /has not declared delivery by post/);
    assert.match(undeclared.body!, /P2\.3/);
    const elsewhere = await fetch(
      `${p.url}/delivery?${new URLSearchParams({ client_id: 'post-card', application: 'X-1', redirect_uri: 'https://evil.example/cb' })}`,
      { headers: { cookie: person.cookie, 'accept-language': 'en' }, redirect: 'manual' },
    );
    assert.equal(elsewhere.status, 400);
    assert.equal(elsewhere.headers.get('location'), null);
    assert.match(await elsewhere.text(), /return address is not one the service registered/);
  });

  test('P2.4 an incomplete contact is refused on the page, keeps what was typed and stores nothing', async () => {
    const before = await p.delivery.mine(person.subjectId);
    const hop = await give(person.cookie, 'TC-2026-003', { ...contact, phone: '12345' });
    assert.equal(hop.status, 400);
    assert.match(hop.body!, /Recipient’s mobile number/);
    assert.match(hop.body!, /value="王芳"/);
    assert.match(hop.body!, /景山前街4号/);
    assert.equal((await p.delivery.mine(person.subjectId)).length, before.length);
  });

  test('P2.4 declining sends the service back only "access_denied"', async () => {
    const jar = new CookieJar(person.cookie);
    const hop = await follow(
      p,
      jar,
      `${p.url}/delivery/decline`,
      form({ client_id: 'post-card', application: 'TC-9', redirect_uri: CALLBACK, state: 'st-1' }),
    );
    assert.equal(hop.url, `${CALLBACK}?error=access_denied&state=st-1`);
  });

  test('P6.2.purge a closed delivery is deleted 30 days later; then the department gets 410 and the person sees why', async () => {
    const id = deliveryOf(await give(person.cookie, 'TC-2026-004'));
    const closed = await fetch(`${p.url}/api/department/deliveries/${id}/close`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token(card)}` },
    });
    assert.equal(closed.status, 200);
    const { deleteAfter } = (await closed.json()) as { deleteAfter: string };
    const days = (Date.parse(deleteAfter) - Date.now()) / 86_400_000;
    assert.ok(days > 29.9 && days <= 30, `deleted after ${days} days`);

    await p.housekeeping();
    assert.equal((await departmentGet(card, id)).status, 200, 'still kept before its date');
    // Thirty days pass.
    await p.storage.db.query(
      `UPDATE delivery_request SET delete_after = now() - interval '1 second' WHERE id = $1`,
      [id],
    );
    const swept = await p.housekeeping();
    assert.equal(swept.deliveries, 1);
    const gone = await departmentGet(card, id);
    assert.equal(gone.status, 410);
    assert.equal(((await gone.json()) as { clause: string }).clause, 'P6.2');
    const { rows } = await p.storage.db.query('SELECT 1 FROM vault_field WHERE scope = $1', [
      `delivery:${id}`,
    ]);
    assert.equal(rows.length, 0, 'the ciphertext itself is gone');
    const state = await p.storage.db.query<{ state: string }>(
      'SELECT state FROM delivery_request WHERE id = $1',
      [id],
    );
    assert.equal(state.rows[0]!.state, 'erased', 'along delivery.lifecycle.ts: closed, then erased');
    const reclose = await fetch(`${p.url}/api/department/deliveries/${id}/close`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token(card)}` },
    });
    assert.equal(reclose.status, 410, 'an erased delivery is not closed again');

    const page = await follow(p, new CookieJar(person.cookie), `${p.url}/me/deliveries`);
    const row = /<tr>(?:(?!<\/tr>).)*TC-2026-004(?:(?!<\/tr>).)*<\/tr>/s.exec(page.body!)?.[0] ?? '';
    assert.match(row, /Deleted: retention ended/);
    assert.doesNotMatch(row, /景山前街/);
  });

  test('P6.2.hold a legal hold on the person keeps a delivery past its date; released, the next sweep erases it', async () => {
    const id = deliveryOf(await give(person.cookie, 'TC-2026-009'));
    const dpo = { id: 'dpo-delivery', role: 'dpo' };
    const hold = await p.holds.record(dpo, {
      scope: 'person',
      subjects: [person.subjectId],
      categories: ['application'],
      basis: 'dispute',
      reason: 'A complaint about a lost posting',
      authority: 'Civitas DPO',
      documentRef: 'C-2026-9',
      reviewAt: new Date(Date.now() + 30 * 86_400_000),
    });
    await p.storage.db.query(
      `UPDATE delivery_request SET delete_after = now() - interval '1 second' WHERE id = $1`,
      [id],
    );
    assert.equal((await p.housekeeping()).deliveries, 0);
    assert.equal((await departmentGet(card, id)).status, 200, 'kept under the hold');
    await p.holds.release(dpo, hold.id, 'Complaint answered');
    assert.equal((await p.housekeeping()).deliveries, 1);
    assert.equal((await departmentGet(card, id)).status, 410);
  });

  test('P8.1.delete the person deletes a contact from "My deliveries" and the department can no longer read it', async () => {
    const id = deliveryOf(await give(person.cookie, 'TC-2026-005'));
    const jar = new CookieJar(person.cookie);
    const list = await follow(p, jar, `${p.url}/me/deliveries`);
    assert.match(list.body!, /TC-2026-005/);
    assert.match(list.body!, /Given, not yet read by the department/);
    const done = await follow(p, jar, `${p.url}/me/deliveries/${id}/erase`, { method: 'POST' });
    assert.match(done.body!, /The delivery contact is deleted/);
    assert.equal((await departmentGet(card, id)).status, 410);
    const stranger = await registerCitizen(p, '13712340002', idNumberFor(2));
    const theirs = await fetch(`${p.url}/me/deliveries/${id}/erase`, {
      method: 'POST',
      headers: { cookie: stranger.cookie, accept: 'application/json' },
    });
    assert.equal(theirs.status, 404, 'nobody else can touch it');
  });

  test('P8.1.delete the same list and deletion are a JSON API for the signed-in person', async () => {
    const id = deliveryOf(await give(person.cookie, 'TC-2026-008'));
    const list = async () =>
      (
        (await (
          await fetch(`${p.url}/api/me/deliveries`, { headers: { cookie: person.cookie } })
        ).json()) as { deliveries: { id: string; contact?: typeof contact; erasedBy: string | null }[] }
      ).deliveries.find((d) => d.id === id)!;
    assert.deepEqual((await list()).contact, contact);
    const erase = await fetch(`${p.url}/api/me/deliveries/${id}/erase`, {
      method: 'POST',
      headers: { cookie: person.cookie },
    });
    assert.equal(erase.status, 200, await erase.clone().text());
    const after = await list();
    assert.equal(after.erasedBy, 'person');
    assert.equal(after.contact, undefined);
    const again = await fetch(`${p.url}/api/me/deliveries/${id}/erase`, {
      method: 'POST',
      headers: { cookie: person.cookie },
    });
    assert.equal(again.status, 410);
    assert.equal((await fetch(`${p.url}/api/me/deliveries`)).status, 401);
  });

  test('P7.2 a delivery contact is bound to its application: moved to another compartment it does not decrypt', async () => {
    const a = deliveryOf(await give(person.cookie, 'TC-2026-006'));
    const b = deliveryOf(await give(person.cookie, 'TC-2026-007'));
    await p.storage.db.query(
      `UPDATE vault_field SET ciphertext = (SELECT ciphertext FROM vault_field WHERE scope = $1)
        WHERE scope = $2`,
      [`delivery:${a}`, `delivery:${b}`],
    );
    const res = await departmentGet(card, b);
    assert.equal(res.status, 500);
    assert.doesNotMatch(await res.text(), /景山|王芳/);
  });
});

/**
 * Invariant (P8.5.cancel, P8.1.delete, P8.3): a person closes their account after seeing
 * what happens (the services that will lose them, what is erased, what is kept and why, the
 * dates), with a fresh proof, and can undo it during the cooling-off period. When it closes,
 * every session ends, every connected service is told (a back-channel logout for its
 * session, a RISC `account-purged` Security Event Token pushed to the endpoint it registered,
 * signed with the provider's key and naming the person by the `sub` that service knows),
 * the person's data is erased through every owner's declaration and the vault key is
 * destroyed; the audit chain still verifies; the same phone and ID number register again.
 * The legal representative of a company on Civitas cannot close before handing it over.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { client, idNumberFor, PASSWORD, type Citizen } from '../../../../test/support/citizen.ts';
import { registerCitizen } from '../../../../test/support/citizens.ts';
import { CALLBACK, relyingParty, signIn } from '../../../../test/support/oidc.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { seededCompanies } from '../../../dev/company-registry.ts';
import { loadSigningKey, verifyAuditChain } from '../../../modules/audit/index.ts';

let p: TestPlatform;
let c: ReturnType<typeof client>;
/** What the department received: pushed security events and back-channel logouts. */
const received: { path: string; type: string; body: string; status: number }[] = [];
let dept: Server;
let deptUrl = '';
/** The answer the department gives to a pushed event (a 503 makes Civitas try again). */
let answer = 202;

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let s = '';
    req.on('data', (d: Buffer) => (s += d.toString()));
    req.on('end', () => resolve(s));
  });

const get = (path: string, who: Citizen, lang = 'en') =>
  fetch(`${p.url}${path}`, {
    redirect: 'manual',
    headers: { cookie: who.session, 'accept-language': lang, accept: 'text/html,*/*;q=0.8' },
  });
const form = (path: string, body: Record<string, string>, who: Citizen, lang = 'en') =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: who.session,
      'accept-language': lang,
    },
    body: new URLSearchParams(body).toString(),
  });
const stateOf = async (who: Citizen) =>
  (
    await p.storage.db.query<{ state: string }>('SELECT state FROM citizen_account WHERE subject_id = $1', [
      who.subjectId,
    ])
  ).rows[0]?.state;
const DAY = 86_400_000;

/** The department service, registered for back-channel logout and security events; a new secret each time. */
async function service() {
  const { secret } = await p.registry.register(
    {
      clientId: 'close-tax',
      serviceSlug: 'housing-fund-account',
      redirectUris: [CALLBACK],
      policyUrl: 'https://dept.example/close-tax/privacy',
      dpaReference: 'DPA-close-tax',
      fields: [{ field: 'name', purpose: 'service-provision', retentionDays: 90, required: true }],
      backchannelLogoutUri: `${deptUrl}/backchannel-logout`,
      riscPushEndpoint: `${deptUrl}/security-events`,
    },
    { type: 'system', id: 'test' },
    { issueSecret: true },
  );
  return relyingParty(p, 'close-tax', secret);
}

describe('closing my account', () => {
  before(async () => {
    dept = createServer((req, res) => {
      void read(req).then((body) => {
        const status = req.url === '/security-events' ? answer : 200;
        received.push({ path: req.url ?? '', type: req.headers['content-type'] ?? '', body, status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => dept.listen(0, '127.0.0.1', r));
    deptUrl = `http://127.0.0.1:${(dept.address() as AddressInfo).port}`;
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000', CLOSURE_COOLING_OFF_DAYS: '7' });
    c = client(p);
  });
  after(async () => {
    await p.stop();
    await new Promise((r) => dept.close(r));
  });

  test('P8.5.cancel the person sees the services that will lose them, what is erased and kept, and the dates, before anything is asked', async () => {
    const me = await c.register('13900000091', 791);
    const rp = await service();
    await signIn(p, rp, me.session, { scope: 'openid name' });

    const res = await get('/me/close', me);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /Services that will lose you/);
    assert.match(html, /data-client="close-tax"/, 'the service the person signed in to is listed');
    assert.match(html, /https:\/\/dept\.example\/close-tax\/privacy/, 'with its policy link');
    assert.match(html, /What is deleted/);
    assert.match(html, /Tamper-evident audit record/, 'what is kept names its basis');
    assert.match(html, /Download my data/, 'a copy is offered first');
    assert.match(html, /name="understood"/);
    assert.equal(await stateOf(me), 'active', 'looking changes nothing');
  });

  test('P8.5.cancel asking needs the box ticked, then a fresh proof; the closure can be undone during the cooling-off period', async () => {
    const me = await c.register('13900000092', 792);
    const unticked = await form('/me/close', {}, me);
    assert.equal(unticked.status, 400);
    assert.match(await unticked.text(), /Tick the box to confirm/);

    await p.storage.db.query(
      `UPDATE citizen_session SET proved_at = now() - interval '10 minutes' WHERE subject_id = $1`,
      [me.subjectId],
    );
    const proof = await form('/me/close', { understood: 'yes' }, me);
    assert.equal(proof.status, 200);
    assert.match(await proof.text(), /closing your account/, 'the proof page says why');
    assert.equal(await stateOf(me), 'active');

    const asked = await form('/me/close', { understood: 'yes', reauth: '1', password: PASSWORD }, me);
    assert.equal(asked.status, 303);
    assert.equal(await stateOf(me), 'closing');
    const waiting = await (await get('/me/close', me)).text();
    const closes = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'Asia/Shanghai' }).format(
      new Date(Date.now() + 7 * DAY),
    );
    assert.ok(waiting.includes(`Your account will close on ${closes}`), waiting);
    const told = await p.storage.db.query<{ step: string }>(
      `SELECT params->>'step' AS step FROM notification WHERE subject_id = $1 AND template = 'account-closure'`,
      [me.subjectId],
    );
    assert.deepEqual(
      told.rows.map((r) => r.step),
      ['requested'],
    );

    const again = await form('/me/close', { understood: 'yes' }, me);
    assert.equal(again.status, 409);
    assert.match(await again.text(), /already being closed/);

    const undo = await form('/me/close/undo', {}, me);
    assert.equal(undo.status, 303);
    assert.match(await (await get('/me/close?undone=1', me)).text(), /Your account stays open/);
    assert.equal(await stateOf(me), 'active');
    // Nothing closes later: the job finds nothing to close for this person.
    await p.closure.runDue({ now: new Date(Date.now() + 30 * DAY) });
    assert.equal(await stateOf(me), 'active');
  });

  test('P8.5.cancel P8.2 a cancellation request the DPO fulfils starts the closure, with the request as its ticket; the person can still undo it', async () => {
    const me = await c.register('13900000096', 796);
    const dpo = { id: 'dpo-closure-test', role: 'dpo' };
    const unconfirmed = await p.rights.submit(
      me.subjectId,
      { kind: 'cancellation' },
      { fresh: false, locale: 'en' },
    );
    await assert.rejects(
      p.rights.decide(dpo, unconfirmed.id, { outcome: 'fulfilled', note: 'closing' }),
      (err: { code?: string }) => err.code === 'rights.identity_not_confirmed',
    );
    assert.equal(await stateOf(me), 'active', 'no closure without the identity confirmed');
    await p.rights.decide(dpo, unconfirmed.id, {
      outcome: 'refused',
      reason: 'identity-not-confirmed',
      note: 'not confirmed',
    });

    const r = await p.rights.submit(me.subjectId, { kind: 'cancellation' }, { fresh: true, locale: 'en' });
    await assert.rejects(
      p.rights.decide({ id: 'support-1', role: 'support' }, r.id, { outcome: 'fulfilled', note: 'closing' }),
      (err: { code?: string }) => err.code === 'rights.forbidden',
    );
    await p.rights.start(dpo, r.id);
    const decided = await p.rights.decide(dpo, r.id, {
      outcome: 'fulfilled',
      note: 'Your account closes after the cooling-off period.',
    });
    assert.equal(decided.state, 'fulfilled');
    assert.equal(await stateOf(me), 'closing');
    const closure = await p.storage.db.query<{ channel: string; recorded_by: string; ticket_ref: string }>(
      `SELECT channel, recorded_by, ticket_ref FROM account_closure WHERE subject_id = $1`,
      [me.subjectId],
    );
    assert.deepEqual(closure.rows, [
      { channel: 'support', recorded_by: dpo.id, ticket_ref: `rights-request:${r.id}` },
    ]);
    const waiting = await (await get('/me/close', me)).text();
    assert.match(waiting, /Your account will close on/);
    assert.equal((await form('/me/close/undo', {}, me)).status, 303);
    assert.equal(await stateOf(me), 'active');
  });

  test('P6.2.hold P8.5.cancel a legal hold on the person keeps their data through the closure, and the page says why; when it ends the closure job erases it', async () => {
    const me = await c.register('13900000097', 797);
    const dpo = { id: 'dpo-hold-test', role: 'dpo' };
    const hold = await p.holds.record(dpo, {
      scope: 'person',
      subjects: [me.subjectId],
      basis: 'court-order',
      reason: 'Evidence in a pension dispute',
      authority: 'Hangzhou Intermediate People’s Court',
      documentRef: '(2026) 浙01民初77号',
      reviewAt: new Date(Date.now() + 60 * DAY),
    });
    const page = await (await get('/me/close', me)).text();
    assert.match(page, /Kept for now under a legal hold/);
    assert.match(page, /because of a court order/);
    assert.doesNotMatch(page, /pension dispute|Intermediate/, 'the hold’s own record is not shown');
    assert.equal(
      (await form('/me/close', { understood: 'yes', reauth: '1', password: PASSWORD }, me)).status,
      303,
    );
    await p.closure.runDue({ now: new Date(Date.now() + 8 * DAY) });
    const values = () =>
      p.storage.db
        .query(`SELECT field FROM vault_field WHERE subject_id = $1`, [me.subjectId])
        .then((r) => r.rowCount);
    const key = () =>
      p.storage.db
        .query<{ shredded: boolean }>(
          `SELECT wrapped_key IS NULL AS shredded FROM vault_subject WHERE id = $1`,
          [me.subjectId],
        )
        .then((r) => r.rows[0]!.shredded);
    assert.equal(await stateOf(me), 'closed', 'the account is closed');
    assert.equal((await get('/me', me)).status, 303, 'its sessions ended');
    assert.ok((await values())! > 0, 'the held data is kept');
    assert.equal(await key(), false, 'and still readable under its key');

    await p.holds.release(dpo, hold.id, 'Judgment final');
    const done = await p.closure.runDue({ now: new Date(Date.now() + 9 * DAY) });
    assert.equal(done.completed, 1);
    assert.equal(await values(), 0);
    assert.equal(await key(), true);
    assert.equal(await stateOf(me), undefined);
    const audited = await p.storage.db.query(
      `SELECT 1 FROM audit_entry WHERE action = 'closure.erasure_completed' AND subject_id = $1`,
      [me.subjectId],
    );
    assert.equal(audited.rowCount, 1);
  });

  test('P8.5.cancel the legal representative of a company on Civitas cannot close before handing it over, and is told why', async () => {
    const company = seededCompanies.find((x) => x.status === 'active')!;
    const rep = await registerCitizen(p, '13900000093', company.representative.idNumber, { level: 3 });
    const bound = await fetch(`${p.url}/api/companies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: rep.cookie },
      body: JSON.stringify({ creditCode: company.creditCode }),
    });
    assert.equal(bound.status, 201, await bound.text());
    const who = { session: rep.cookie } as Citizen;
    const html = await (await get('/me/close', who)).text();
    assert.match(html, /You cannot close your account yet/);
    assert.ok(html.includes(company.name), 'the company is named');
    assert.doesNotMatch(html, /name="understood"/, 'no way to ask');
    const refused = await form('/me/close', { understood: 'yes', reauth: '1', password: PASSWORD }, who);
    assert.equal(refused.status, 409);
    assert.match(await refused.text(), /legal representative of a company.*P8\.5\.cancel/s);
  });

  test('P8.5.cancel P8.1.delete after the cooling-off period the account closes: sessions end, the service is told and signed out, the data is erased, the chain verifies, the phone and ID number register again', async () => {
    const me = await c.register('13900000094', 794);
    const rp = await service();
    const sso = await signIn(p, rp, me.session, { scope: 'openid name' });
    const sub = sso.tokens.claims()!.sub;
    assert.equal(
      (await form('/me/close', { understood: 'yes', reauth: '1', password: PASSWORD }, me)).status,
      303,
    );

    received.length = 0;
    answer = 503;
    const closed = await p.closure.runDue({ now: new Date(Date.now() + 8 * DAY) });
    assert.equal(closed.closed, 1);
    assert.equal(await stateOf(me), undefined, 'the account is gone');
    assert.equal((await get('/me', me)).status, 303, 'the session ended: sign in again');
    assert.ok(
      received.some((r) => r.path === '/backchannel-logout'),
      'the service got a back-channel logout for its session',
    );
    await assert.rejects(
      oidc.fetchUserInfo(rp, sso.tokens.access_token, sub),
      'the access token was revoked: userinfo answers no more',
    );

    // The push is retried until the service takes it.
    await p.jobs.runDue();
    const first = received.filter((r) => r.path === '/security-events');
    assert.equal(first.length, 1);
    assert.equal(first[0]!.status, 503);
    answer = 202;
    await p.storage.db.query(`UPDATE job SET run_at = now() WHERE name = 'oidc.security-event'`);
    await p.jobs.runDue();
    const pushed = received.filter((r) => r.path === '/security-events');
    assert.equal(pushed.length, 2, 'tried again');
    assert.equal(pushed[1]!.type, 'application/secevent+jwt');
    const token = pushed[1]!.body;
    assert.equal(decodeProtectedHeader(token).typ, 'secevent+jwt');
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${p.url}/oidc/jwks`)), {
      issuer: `${p.url}/oidc`,
      audience: 'close-tax',
    });
    assert.deepEqual(payload.events, {
      'https://schemas.openid.net/secevent/risc/event-type/account-purged': {
        subject: { format: 'iss_sub', iss: `${p.url}/oidc`, sub },
      },
    });
    assert.equal(typeof payload.jti, 'string');

    // Erased through every declaration; kept only under a basis.
    const left = async (sql: string) =>
      (await p.storage.db.query<{ n: number }>(sql, [me.subjectId])).rows[0]!.n;
    assert.equal(await left('SELECT count(*)::int AS n FROM vault_field WHERE subject_id = $1'), 0);
    assert.equal(await left('SELECT count(*)::int AS n FROM citizen_session WHERE subject_id = $1'), 0);
    assert.equal(await left('SELECT count(*)::int AS n FROM known_device WHERE subject_id = $1'), 0);
    assert.equal(
      await left(`SELECT count(*)::int AS n FROM oidc_model WHERE payload->>'accountId' = $1::text`),
      0,
    );
    assert.equal(
      await left('SELECT count(*)::int AS n FROM vault_subject WHERE id = $1 AND wrapped_key IS NULL'),
      1,
      'the data key is destroyed',
    );
    assert.equal(
      await left(`SELECT count(*)::int AS n FROM account_closure WHERE subject_id = $1 AND state = 'closed'`),
      1,
      'the closure itself stays, identifiers and dates only',
    );
    assert.ok((await left('SELECT count(*)::int AS n FROM audit_entry WHERE subject_id = $1')) > 0);
    const chain = await verifyAuditChain(p.storage.db, loadSigningKey(p.config));
    assert.equal(chain.ok, true, JSON.stringify(chain.problem));

    // A while later (a number gets one registration code a minute).
    await p.storage.db.query(`UPDATE one_time_code SET created_at = created_at - interval '2 minutes'`);
    const again = await c.register('13900000094', 794);
    assert.notEqual(again.subjectId, me.subjectId, 'the same phone and ID number open a new account');
    const found = await p.vault.findSubject('id_number', idNumberFor(794));
    assert.deepEqual(found, [again.subjectId]);
  });

  test('P8.5.cancel the page is in the person’s language', async () => {
    const me = await c.register('13900000095', 795);
    const zh = await (await get('/me/close', me, 'zh-CN')).text();
    assert.match(zh, /将失去您的服务/);
    assert.match(zh, /将被删除的内容/);
    const cs = await (await get('/me/close', me, 'cs')).text();
    assert.match(cs, /Služby, které o vás přijdou/);
    assert.match(cs, /Co se smaže/);
  });
});

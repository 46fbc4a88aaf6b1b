/**
 * Invariant (P8.1.correct, P8.3, P7.3): a person whose phone is lost binds a new number
 * themself when the account is at L1–L2 and they have a second factor: a code to the new
 * number, their name and ID number (the account's, confirmed by the population registry)
 * and a recovery code. Every session ends; the old number is told. Every refusal about the
 * account is the same page, whatever the cause, so the page tells a stranger nothing; an
 * account at L3 or above is sent to the service hall.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seededPeople } from '../../../dev/partner-seed.ts';
import type { LocalSmsGateway } from '../../../dev/sms.ts';
import { client, PASSWORD } from '../../../../test/support/citizen.ts';
import { registerCitizen } from '../../../../test/support/citizens.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { fromBase32 } from '../../../../test/support/staff.ts';
import { totp } from '../../../shared/totp.ts';

let p: TestPlatform;
const sms = () => p.sms as LocalSmsGateway;
const post = (body: Record<string, string>, cookie = '') =>
  fetch(`${p.url}/login/phone-lost`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en', cookie },
    body: new URLSearchParams(body).toString(),
  });
/** The page without what was typed: two refusals compare alike. */
const bare = (html: string, ...typed: string[]) =>
  typed.reduce((h, t) => h.split(t).join('…'), html).replace(/name="csrf"[^>]*>/g, '');

async function withRecoveryCodes(subjectId: string): Promise<string[]> {
  const { secret } = await p.identity.factors.beginTotp(subjectId, 'test');
  return (await p.identity.factors.confirmTotp(subjectId, totp(fromBase32(secret), Date.now()), 'test'))!;
}

describe('a lost phone, recovered online', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
  });
  after(() => p.stop());

  test('P8.1.correct the sign-in page leads to it and it says what is needed and where to go otherwise', async () => {
    assert.match(await (await fetch(`${p.url}/login`)).text(), /href="\/login\/phone-lost"/);
    const html = await (
      await fetch(`${p.url}/login/phone-lost`, { headers: { 'accept-language': 'en' } })
    ).text();
    assert.match(html, /a code from your authenticator app or one of your recovery codes/);
    assert.match(html, /service hall/);
  });

  test('P8.1.correct with a recovery code, name and ID number the new number is bound, every session ends and the old number is told', async () => {
    const person = seededPeople[0]!;
    const c = client(p);
    const old = '13900000301';
    const me = await registerCitizen(p, old, person.idNumber, { name: person.name, password: PASSWORD });
    const codes = await withRecoveryCodes(me.subjectId);
    const NEW = '13900000302';

    const sent = await post({ phone: NEW, send: '1' });
    assert.equal(sent.status, 200);
    assert.match(await sent.text(), /A code was sent to the new number/);
    const done = await post({
      phone: NEW,
      code: sms().lastCode(NEW)!,
      name: person.name,
      idNumber: person.idNumber,
      factor: codes[0]!,
    });
    const html = await done.text();
    assert.equal(done.status, 200, html);
    assert.match(html, /Your new mobile number is bound/);

    assert.equal(
      (await fetch(`${p.url}/me`, { headers: { cookie: me.cookie }, redirect: 'manual' })).status,
      303,
    );
    const login = await c.login(NEW);
    assert.equal(login.status, 200, 'the new number signs in');
    assert.equal((await c.login(old)).status, 401, 'the old one no longer does');
    assert.ok(
      sms()
        .sent.filter((m) => m.to === old)
        .some((m) => m.template === 'security-change' && m.params.change === 'phone-recovered'),
      'the lost number is told',
    );
    const audited = await p.storage.db.query<{ detail: { at: string; by: string } }>(
      `SELECT detail FROM audit_entry WHERE action = 'identity.phone_recovered' AND subject_id = $1`,
      [me.subjectId],
    );
    assert.deepEqual(
      audited.rows.map((r) => [r.detail.at, r.detail.by]),
      [['self-service', 'recovery-code']],
    );
  });

  test('P8.3 a wrong factor, another name and an unknown ID number get the same page, which keeps what was typed', async () => {
    const person = seededPeople[1]!;
    const me = await registerCitizen(p, '13900000311', person.idNumber, {
      name: person.name,
      password: PASSWORD,
    });
    const codes = await withRecoveryCodes(me.subjectId);
    const NEW = '13900000312';
    const attempt = async (over: Record<string, string>) => {
      await p.storage.db.query(`UPDATE one_time_code SET created_at = created_at - interval '2 minutes'`);
      await post({ phone: NEW, send: '1' });
      const body = {
        phone: NEW,
        code: sms().lastCode(NEW)!,
        name: person.name,
        idNumber: person.idNumber,
        factor: 'ABCD-EFGH',
        ...over,
      };
      const res = await post(body);
      return { status: res.status, html: await res.text(), body };
    };
    const wrongFactor = await attempt({});
    const otherName = await attempt({ name: '赵六', factor: codes[1]! });
    const unknownId = await attempt({ idNumber: '11010519491231002X', factor: codes[2]! });
    for (const r of [wrongFactor, otherName, unknownId]) {
      assert.equal(r.status, 400);
      assert.match(r.html, /We could not confirm that this account is yours/);
      assert.match(r.html, new RegExp(`value="${r.body.idNumber}"`), 'what was typed is kept');
      assert.doesNotMatch(r.html, new RegExp(r.body.factor), 'the factor is not echoed');
    }
    const a = bare(wrongFactor.html, person.idNumber, person.name);
    assert.equal(bare(otherName.html, person.idNumber, '赵六'), a);
    assert.equal(bare(unknownId.html, '11010519491231002X', person.name), a);
    assert.equal(
      (
        await p.storage.db.query(
          `SELECT count(*)::int AS n FROM audit_entry WHERE action = 'identity.phone_recovered' AND subject_id = $1`,
          [me.subjectId],
        )
      ).rows[0]!.n,
      0,
    );
  });

  test('P8.3 the JSON twin answers the same refusal as problem+json', async () => {
    const NEW = '13900000332';
    const code = await fetch(`${p.url}/api/identity/phone-recovery/code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: NEW }),
    });
    assert.equal(code.status, 200, await code.clone().text());
    const res = await fetch(`${p.url}/api/identity/phone-recovery`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      body: JSON.stringify({
        phone: NEW,
        code: sms().lastCode(NEW),
        name: '赵六',
        idNumber: '11010519491231002X',
        factor: '123456',
      }),
    });
    assert.equal(res.status, 400);
    assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(((await res.json()) as { code: string }).code, 'identity.recovery_not_confirmed');
  });

  test('P8.3 an account at L3 is sent to the service hall, after the factor held', async () => {
    const person = seededPeople[2]!;
    const me = await registerCitizen(p, '13900000321', person.idNumber, {
      name: person.name,
      password: PASSWORD,
      level: 3,
    });
    const codes = await withRecoveryCodes(me.subjectId);
    const NEW = '13900000322';
    await post({ phone: NEW, send: '1' });
    const res = await post({
      phone: NEW,
      code: sms().lastCode(NEW)!,
      name: person.name,
      idNumber: person.idNumber,
      factor: codes[0]!,
    });
    assert.equal(res.status, 409);
    assert.match(await res.text(), /verified at L3 or above: its phone is recovered .* at a service hall/);
  });
});

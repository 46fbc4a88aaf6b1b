/**
 * Invariant (P8.1.correct, P8.3, P7.3): a person whose phone is lost binds a new number
 * themself when the account is at L1–L2 and they have a second factor: a code to the new
 * number, their name and ID number (the account's, confirmed by the population registry)
 * and a recovery code; at L3 a photo of their face taken now, compared with the registry
 * photo. Every session ends; the old number is told. Every refusal about the
 * account is the same page, whatever the cause, so the page tells a stranger nothing; a
 * second factor never recovers L3 or above.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalFaceMatch } from '../../../dev/face-match.ts';
import { seedCapture, seededPeople } from '../../../dev/partner-seed.ts';
import type { LocalSmsGateway } from '../../../dev/sms.ts';
import { client, idNumberFor, PASSWORD } from '../../../../test/support/citizen.ts';
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
/** The second step as the browser sends it: multipart, with the photo taken. */
const postWithPhoto = (fields: Record<string, string>, photo: Buffer) => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('photo', new Blob([photo], { type: 'image/jpeg' }), 'capture.jpg');
  return fetch(`${p.url}/login/phone-lost`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'accept-language': 'en' },
    body: form,
  });
};
const face = () => p.partners.face as LocalFaceMatch;
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

  test('P8.3 a second factor does not recover an account at L3: after it held, the page says to use a photo of the face (the hall at L4)', async () => {
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
    assert.match(
      await res.text(),
      /verified at L3 or above: its phone is recovered with the same checks: at L3 with a photo of your face taken now, at L4 at a service hall/,
    );
  });

  test('P8.1.correct at L3 a photo of the face taken now binds the new number, and nothing else is asked', async () => {
    const person = seededPeople[3]!;
    const old = '13900000341';
    const me = await registerCitizen(p, old, person.idNumber, {
      name: person.name,
      password: PASSWORD,
      level: 3,
    });
    const NEW = '13900000342';
    const first = await (await post({ phone: NEW, send: '1' })).text();
    assert.match(first, /enctype="multipart\/form-data"/);
    assert.match(first, /verified at L3: a photo of your face/);
    const before = face().received.length;
    const res = await postWithPhoto(
      { phone: NEW, code: sms().lastCode(NEW)!, name: person.name, idNumber: person.idNumber },
      seedCapture(person),
    );
    const html = await res.text();
    assert.equal(res.status, 200, html);
    assert.match(html, /Your new mobile number is bound/);
    assert.equal(face().received.length, before + 1, 'the capture went to the face partner once');
    assert.equal((await client(p).login(NEW)).status, 200, 'the new number signs in');
    assert.equal(
      (await fetch(`${p.url}/me`, { headers: { cookie: me.cookie }, redirect: 'manual' })).status,
      303,
      'the old session ended',
    );
    const audited = await p.storage.db.query<{ detail: { by: string } }>(
      `SELECT detail FROM audit_entry WHERE action = 'identity.phone_recovered' AND subject_id = $1`,
      [me.subjectId],
    );
    assert.deepEqual(
      audited.rows.map((r) => r.detail.by),
      ['face-match'],
    );
    assert.ok(
      sms()
        .sent.filter((m) => m.to === old)
        .some((m) => m.template === 'security-change' && m.params.change === 'phone-recovered'),
      'the lost number is told',
    );
  });

  test("P8.3 a face that is not the holder's, and any face for an account below L3, get the refusal for every cause; below L3 no capture leaves", async () => {
    const holder = seededPeople[0]!;
    const stranger = seededPeople[2]!;
    const lowId = idNumberFor(341);
    await registerCitizen(p, '13900000351', lowId, { name: '周八', password: PASSWORD });
    const recoverByFace = async (who: { name: string; idNumber: string }, photo: Buffer) => {
      const NEW = '13900000352';
      await p.storage.db.query(`UPDATE one_time_code SET created_at = created_at - interval '2 minutes'`);
      await fetch(`${p.url}/api/identity/phone-recovery/code`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phone: NEW }),
      });
      const res = await fetch(`${p.url}/api/identity/phone-recovery/face`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': 'en' },
        body: JSON.stringify({
          phone: NEW,
          code: sms().lastCode(NEW),
          name: who.name,
          idNumber: who.idNumber,
          image: photo.toString('base64'),
        }),
      });
      return { status: res.status, problem: (await res.json()) as { code: string } };
    };
    // seededPeople[3] is at L3 since the previous test; another person's face is not theirs.
    const l3 = seededPeople[3]!;
    const sent = face().received.length;
    const wrongFace = await recoverByFace(l3, seedCapture(stranger));
    assert.equal(face().received.length, sent + 1);
    const below = await recoverByFace({ name: '周八', idNumber: lowId }, seedCapture(holder));
    assert.equal(face().received.length, sent + 1, 'no capture was sent for an account below L3');
    for (const r of [wrongFace, below]) {
      assert.equal(r.status, 400);
      assert.equal(r.problem.code, 'identity.recovery_not_confirmed');
    }
  });
});

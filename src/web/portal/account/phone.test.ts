/**
 * Invariant (P8.1.correct, ADR 0035): a person replaces their mobile number only after a
 * fresh proof, a code from the new number AND a code from the old number (or a second
 * factor). Then the new number signs in and the old one no longer does, the old number is
 * told by SMS, sessions are kept, and it is audited. A number of another account is refused
 * with "cannot be used", only after its code was proven (nobody learns whether a number
 * has an account without holding that phone), and the other account keeps its number.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalSmsGateway } from '../../../dev/sms.ts';
import { hotp, totpStep } from '../../../shared/totp.ts';
import { registerCitizen, type Citizen } from '../../../../test/support/citizens.ts';
import { idNumberFor } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { fromBase32 } from '../../../../test/support/staff.ts';
import { visibleTexts } from '../../../../test/support/visible-text.ts';

let p: TestPlatform;
const PASSWORD = 'a test password';

const form = (path: string, body: Record<string, string>, cookie: string, lang = 'en') =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: `${cookie}; civitas_lang=${lang}`,
    },
    body: new URLSearchParams(body).toString(),
  });
const sms = () => p.sms as LocalSmsGateway;
/** Ten minutes have passed since this person last proved who they are. */
const stale = (me: Citizen) =>
  p.storage.db.query(
    `UPDATE citizen_session SET proved_at = now() - interval '10 minutes' WHERE subject_id = $1`,
    [me.subjectId],
  );
const text = async (res: Response) => visibleTexts(await res.text()).join(' | ');
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
const deviceOf = (me: Citizen) => me.cookie.split('; ').find((c) => c.startsWith('civitas_device='))!;
const signIn = (phone: string, me: Citizen) =>
  fetch(`${p.url}/api/identity/login/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: deviceOf(me) },
    body: JSON.stringify({ phone, password: PASSWORD }),
  });
const smsSignIn = async (phone: string) => {
  await fetch(`${p.url}/api/identity/codes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, purpose: 'login' }),
  });
  const code = sms().lastCode(phone);
  return fetch(`${p.url}/api/identity/login/code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, code: code ?? '000000' }),
  });
};
const phoneOf = async (subjectId: string) =>
  (
    await p.vault.read({
      subjectId,
      actor: { type: 'self', id: subjectId, label: 'self' },
      purpose: 'service-provision',
      basis: { type: 'self' },
      fields: ['phone'],
      requestId: 'test',
    })
  ).values.phone;

/** Steps 1 and 2: fresh proof by password, the new number, its code. Returns the step-3 page. */
async function proveNew(me: Citizen, phone: string): Promise<{ status: number; html: string }> {
  await stale(me);
  const asked = await form('/me/phone', { phone }, me.cookie);
  assert.match(await text(asked), /Needed for: \| changing your mobile number/, 'step-up first');
  const sent = await form('/me/phone', { phone, reauth: '1', password: PASSWORD }, me.cookie);
  assert.equal(sent.status, 200);
  assert.match(await text(sent), new RegExp(`A code was sent to \\| ${phone}`));
  const code = sms().lastCode(phone)!;
  const res = await form('/me/phone/verify', { phone, newCode: code }, me.cookie);
  return { status: res.status, html: await res.text() };
}

describe('changing the mobile number', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
  });
  after(() => p.stop());

  test('P8.1.correct with codes from the new and the old number: the new signs in, the old cannot, the old number is told', async () => {
    const me = await registerCitizen(p, '13900001451', idNumberFor(451));
    const NEW = '13900001459';
    const step3 = await proveNew(me, NEW);
    assert.equal(step3.status, 200);
    assert.match(
      visibleTexts(step3.html).join(' | '),
      /New number confirmed: \| 13900001459 \| Confirm from your current number/,
    );
    const proof = hidden(step3.html, 'proof')!;

    const nothingYet = await form('/me/phone/confirm', { phone: NEW, proof }, me.cookie);
    assert.equal(nothingYet.status, 400, 'the second proof is needed');
    assert.equal(await phoneOf(me.subjectId), me.phone);

    const sent = await form('/me/phone/old-code', { phone: NEW, proof }, me.cookie);
    assert.match(await text(sent), /A code was sent to your current number/);
    const oldCode = sms().lastCode(me.phone)!;
    assert.equal(sms().sent.at(-1)!.to, me.phone, 'to the old number');

    const before = sms().sent.length;
    const done = await form('/me/phone/confirm', { phone: NEW, proof, oldCode }, me.cookie);
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), '/me?notice=phone');
    assert.equal(await phoneOf(me.subjectId), NEW, 'the vault holds the new number');

    const notice = sms()
      .sent.slice(before)
      .filter((m) => m.to === me.phone);
    assert.deepEqual(
      notice.map((m) => [m.template, (m.params as { change?: string }).change]),
      [['security-change', 'phone-changed']],
      'the old number got the notice',
    );

    assert.equal((await signIn(me.phone, me)).status, 401, 'the old number no longer signs in by password');
    assert.equal((await smsSignIn(me.phone)).status, 401, 'nor by SMS code');
    assert.equal((await signIn(NEW, me)).status, 200, 'the new number signs in');

    const page = await fetch(`${p.url}/me?notice=phone`, {
      headers: { cookie: `${me.cookie}; civitas_lang=en` },
    });
    assert.equal(page.status, 200, 'the session is kept');
    assert.match(visibleTexts(await page.text()).join(' | '), /Mobile number \| 139\*\*\*\*1459/);
    const { rows } = await p.storage.db.query<{ detail: { by: string } }>(
      `SELECT detail FROM audit_entry WHERE action = 'identity.phone_changed' AND subject_id = $1`,
      [me.subjectId],
    );
    assert.deepEqual(
      rows.map((r) => r.detail.by),
      ['old-phone-code'],
    );
  });

  test('P8.1.correct another account’s number is refused without revealing it, and stays that account’s', async () => {
    const me = await registerCitizen(p, '13900001452', idNumberFor(452));
    const other = await registerCitizen(p, '13900001453', idNumberFor(453));
    const free = '13900001458';

    await stale(me);
    // Before the code: a taken number and a free one get the same page.
    const fresh = await form('/me/phone', { phone: other.phone, reauth: '1', password: PASSWORD }, me.cookie);
    const takenPage = (await text(fresh)).replace(other.phone, 'N');
    const freePage = (await text(await form('/me/phone', { phone: free }, me.cookie))).replace(free, 'N');
    assert.equal(takenPage, freePage, 'the same answer whether or not the number has an account');

    // With the code of that number (its holder): "cannot be used", nothing more.
    const code = sms().lastCode(other.phone)!;
    const refused = await form('/me/phone/verify', { phone: other.phone, newCode: code }, me.cookie, 'en');
    assert.equal(refused.status, 400);
    const said = await text(refused);
    assert.match(said, /This mobile number cannot be used for your account/);
    assert.doesNotMatch(
      said,
      /registered|another account|already has/i,
      'says nothing about the other account',
    );
    assert.equal(await phoneOf(me.subjectId), me.phone);
    assert.equal(await phoneOf(other.subjectId), other.phone, 'the other account keeps its number');
    assert.equal((await signIn(other.phone, other)).status, 200);
  });

  test('P8.1.correct the new number’s code counts only in a session that proved the person just now', async () => {
    const me = await registerCitizen(p, '13900001455', idNumberFor(455));
    const NEW = '13900001465';
    await form('/me/phone', { phone: NEW }, me.cookie); // fresh from registration: the code goes
    const code = sms().lastCode(NEW)!;
    await stale(me);
    const asked = await form('/me/phone/verify', { phone: NEW, newCode: code }, me.cookie);
    assert.match(await text(asked), /Needed for: \| changing your mobile number/);
    const forged = await form(
      '/me/phone/old-code',
      { phone: NEW, proof: `${Date.now() + 60_000}.x` },
      me.cookie,
    );
    assert.match(
      await text(forged),
      /The confirmation of your new number has expired/,
      'no code without a proof',
    );
    const proven = await form(
      '/me/phone/verify',
      { phone: NEW, newCode: code, reauth: '1', password: PASSWORD },
      me.cookie,
    );
    assert.match(await text(proven), /New number confirmed: \| 13900001465/, 'carried through the proof');
  });

  test('P8.1.correct an authenticator code may stand in for the old number’s code; a wrong one changes nothing', async () => {
    const me = await registerCitizen(p, '13900001454', idNumberFor(454));
    const enrol = await (await form('/me/security/totp', {}, me.cookie)).text();
    const key = fromBase32(/data-totp-secret[^>]*>([A-Z2-7]{32})</.exec(enrol)![1]!);
    await form('/me/security/totp/confirm', { code: hotp(key, totpStep(Date.now())) }, me.cookie);
    const NEW = '13900001457';
    const step3 = await proveNew(me, NEW);
    assert.match(
      visibleTexts(step3.html).join(' | '),
      /Or a code from your authenticator app, or a recovery code/,
    );
    const proof = hidden(step3.html, 'proof')!;

    const wrong = await form('/me/phone/confirm', { phone: NEW, proof, factor: '000000' }, me.cookie);
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /<a href="#factor">That code is not correct/);
    assert.equal(await phoneOf(me.subjectId), me.phone);

    const forged = await form(
      '/me/phone/confirm',
      { phone: '13900001456', proof, factor: '000000' },
      me.cookie,
    );
    assert.match(
      await text(forged),
      /The confirmation of your new number has expired/,
      'the proof is bound to its number',
    );

    const ok = await form(
      '/me/phone/confirm',
      { phone: NEW, proof, factor: hotp(key, totpStep(Date.now()) + 1) },
      me.cookie,
    );
    assert.equal(ok.status, 303);
    assert.equal(await phoneOf(me.subjectId), NEW);
  });
});

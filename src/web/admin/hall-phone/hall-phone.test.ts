/**
 * Invariant (P8.1.correct, issue 14 item 1): a person who lost their phone gets a new
 * number bound at the service hall after the in-person checks and a code to the new number:
 * every session of the account ends, the new number signs in and the old one no longer
 * does, and the person is told on the new number (and the lost one, best effort). A number
 * another account holds cannot be bound; another role cannot bind at all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalSmsGateway } from '../../../dev/sms.ts';
import { registerCitizen, type Citizen } from '../../../../test/support/citizens.ts';
import { idNumberFor } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { postConsoleForm, signInStaff } from '../../../../test/support/staff.ts';
import { foreignWords, visibleTexts } from '../../../../test/support/visible-text.ts';

let p: TestPlatform;
let hall: string;
let support: string;
const PASSWORD = 'a test password';

async function staffCookie(role: 'service_hall' | 'support', email: string) {
  await p.staff.create(
    { email, displayName: role, role, password: 'staff password 123' },
    { type: 'system', id: 'test' },
  );
  return signInStaff(p.url, email, 'staff password 123');
}
const sms = () => p.sms as LocalSmsGateway;
const text = async (res: Response) => visibleTexts(await res.text()).join(' ');
const deviceOf = (me: Citizen) => me.cookie.split('; ').find((c) => c.startsWith('civitas_device='))!;
const signIn = (phone: string, me: Citizen) =>
  fetch(`${p.url}/api/identity/login/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: deviceOf(me) },
    body: JSON.stringify({ phone, password: PASSWORD }),
  });
const checked = (idNumber: string) => ({ idNumber, documentKind: 'resident-id-card', faceCompared: '1' });

describe('a lost phone at the service hall', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    hall = await staffCookie('service_hall', 'hall-phone@civitas.example');
    support = await staffCookie('support', 'support-phone@civitas.example');
  });
  after(() => p.stop());

  test('P8.1.correct a new number bound at the hall: every session ends, the new number signs in, the old one does not, the person is told', async () => {
    const me = await registerCitizen(p, '13900000971', idNumberFor(971), { name: '陈七' });
    const mine = () => fetch(`${p.url}/me/access`, { redirect: 'manual', headers: { cookie: me.cookie } });
    assert.equal((await mine()).status, 200);

    const looked = await text(
      await postConsoleForm(p.url, '/admin/verify/phone', checked(idNumberFor(971)), hall),
    );
    assert.match(looked, /The name it gave 陈七 Its level L1/);
    const NEW = '13900000972';
    const step = { ...checked(idNumberFor(971)), account: me.subjectId, phone: NEW };
    // A hidden field naming another account is not trusted.
    const forged = await postConsoleForm(
      p.url,
      '/admin/verify/phone/code',
      { ...step, account: '00000000-0000-4000-8000-000000000000' },
      hall,
    );
    assert.equal(forged.status, 409);
    const sent = await postConsoleForm(p.url, '/admin/verify/phone/code', step, hall);
    assert.equal(sent.status, 200);
    assert.match(await text(sent), /A code was sent to 13900000972/);
    const code = sms().lastCode(NEW)!;
    const wrong = await postConsoleForm(
      p.url,
      '/admin/verify/phone/bind',
      { ...step, code: code === '000000' ? '111111' : '000000' },
      hall,
    );
    assert.equal(wrong.status, 400);
    assert.match(await text(wrong), /The code is wrong or has expired/);
    assert.equal((await mine()).status, 200, 'nothing changed on a wrong code');

    const bound = await postConsoleForm(p.url, '/admin/verify/phone/bind', { ...step, code }, hall);
    assert.equal(bound.status, 200);
    assert.match(await text(bound), /Bound\. Every sign-in of the account ended/);
    assert.equal((await mine()).status, 303, 'the session on the lost phone’s browser ended');
    assert.equal((await signIn(me.phone, me)).status, 401, 'the old number no longer signs in');
    assert.equal((await signIn(NEW, me)).status, 200, 'the new number signs in');

    await p.notify.drainOutbox();
    const told = sms()
      .sent.filter((m) => m.template === 'security-change')
      .map((m) => [m.to, (m.params as { change: string }).change]);
    assert.deepEqual(
      told.filter(([to]) => to === NEW || to === me.phone),
      [
        [me.phone, 'phone-recovered'],
        [NEW, 'phone-recovered'],
      ].sort(),
    );
    const audit = await p.storage.db.query<{ actor_type: string }>(
      `SELECT actor_type FROM audit_entry WHERE action = 'identity.phone_recovered' AND subject_id = $1`,
      [me.subjectId],
    );
    assert.deepEqual(audit.rows, [{ actor_type: 'staff' }]);
  });

  test('P8.1.correct a number another account holds cannot be bound; another role cannot bind at all', async () => {
    const me = await registerCitizen(p, '13900000973', idNumberFor(973));
    const other = await registerCitizen(p, '13900000974', idNumberFor(974));
    const step = { ...checked(idNumberFor(973)), account: me.subjectId, phone: other.phone };
    assert.equal((await postConsoleForm(p.url, '/admin/verify/phone/code', step, hall)).status, 200);
    const taken = await postConsoleForm(
      p.url,
      '/admin/verify/phone/bind',
      { ...step, code: sms().lastCode(other.phone)! },
      hall,
    );
    assert.equal(taken.status, 400);
    assert.match(await text(taken), /cannot be used/);
    assert.deepEqual(await p.vault.findSubject('phone', other.phone), [other.subjectId]);

    const denied = await postConsoleForm(p.url, '/admin/verify/phone', checked(idNumberFor(973)), support);
    assert.equal(denied.status, 403);
  });

  test('the hall pages speak zh-CN and Czech, with no raw identifier', async () => {
    await registerCitizen(p, '13900000975', idNumberFor(975), { name: '周八' });
    const found: string[] = [];
    for (const locale of ['zh-CN', 'cs'] as const) {
      const pages = [
        await fetch(`${p.url}/admin/verify/phone`, {
          headers: { cookie: `${hall}; civitas_lang=${locale}` },
        }),
        await fetch(`${p.url}/admin/verify/reclaim`, {
          headers: { cookie: `${hall}; civitas_lang=${locale}` },
        }),
        await postConsoleForm(p.url, '/admin/verify/phone', checked(idNumberFor(975)), hall, locale),
        await postConsoleForm(p.url, '/admin/verify/reclaim', checked(idNumberFor(975)), hall, locale),
      ];
      for (const res of pages) {
        assert.equal(res.status, 200);
        for (const f of foreignWords(await res.text(), locale))
          found.push(`${locale} ${res.url} «${f.word}» in «${f.text}»`);
      }
    }
    assert.deepEqual(found, []);
  });
});

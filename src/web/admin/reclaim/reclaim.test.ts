/**
 * Invariant (P2.1, issue 14 item 10): a person whose ID number an account that never proved
 * it (L1) holds takes it back at the service hall: staff check the document and face, see
 * the holding account first and confirm it is not the person's own; the holder loses the
 * number and is told; the person then registers with it. An account that proved its number
 * keeps it, and no other role can learn who holds a number.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalSmsGateway } from '../../../dev/sms.ts';
import { registerCitizen } from '../../../../test/support/citizens.ts';
import { idNumberFor } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { postConsoleForm, signInStaff } from '../../../../test/support/staff.ts';
import { visibleTexts } from '../../../../test/support/visible-text.ts';

let p: TestPlatform;
let hall: string;
let support: string;

async function staffCookie(role: 'service_hall' | 'support', email: string) {
  await p.staff.create(
    { email, displayName: role, role, password: 'staff password 123' },
    { type: 'system', id: 'test' },
  );
  return signInStaff(p.url, email, 'staff password 123');
}
const text = async (res: Response) => visibleTexts(await res.text()).join(' ');
const checked = (idNumber: string) => ({ idNumber, documentKind: 'resident-id-card', faceCompared: '1' });

/** A registration through the API, as the real holder of the number would try it. */
async function tryToRegister(phone: string, idNumber: string) {
  const post = (path: string, body: unknown) =>
    fetch(`${p.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  assert.equal((await post('/api/identity/codes', { phone, purpose: 'register' })).status, 202);
  const code = (p.sms as LocalSmsGateway).lastCode(phone)!;
  return post('/api/identity/register', {
    phone,
    code,
    password: 'the real one 2026',
    name: '王芳',
    idNumber,
  });
}

describe('ID number reclaim at the service hall', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    hall = await staffCookie('service_hall', 'hall-reclaim@civitas.example');
    support = await staffCookie('support', 'support-reclaim@civitas.example');
  });
  after(() => p.stop());

  test('P2.1 an ID number held by an unverified account is taken back: staff see the account first, its holder is told, the person registers', async () => {
    const idNumber = idNumberFor(961);
    const squatter = await registerCitizen(p, '13900000961', idNumber, { name: '李四' });
    const refused = await tryToRegister('13900000962', idNumber);
    assert.equal(refused.status, 409);
    assert.equal(((await refused.json()) as { code: string }).code, 'identity.registration_refused');

    // Without the document checks nothing is looked up.
    const unchecked = await postConsoleForm(
      p.url,
      '/admin/verify/reclaim',
      { ...checked(idNumber), faceCompared: '' },
      hall,
    );
    assert.equal(unchecked.status, 400);
    const uncheckedPage = await unchecked.text();
    assert.match(uncheckedPage, /Choose the document you checked, and confirm you compared its photo/);
    assert.doesNotMatch(uncheckedPage, /李四/);
    assert.match(uncheckedPage, new RegExp(`value="${idNumber}"`), 'what was typed is kept');

    const looked = await text(await postConsoleForm(p.url, '/admin/verify/reclaim', checked(idNumber), hall));
    assert.match(looked, /The account holding this number The name it gave 李四 Its level L1 Opened/);

    const form = { ...checked(idNumber), holder: squatter.subjectId };
    const unconfirmed = await postConsoleForm(p.url, '/admin/verify/reclaim/release', form, hall);
    assert.equal(unconfirmed.status, 400);
    assert.match(await unconfirmed.text(), /Confirm that the account shown is not the person’s own/);
    assert.deepEqual(await p.vault.findSubject('id_number', idNumber), [squatter.subjectId]);

    const released = await postConsoleForm(
      p.url,
      '/admin/verify/reclaim/release',
      { ...form, notTheirs: '1' },
      hall,
    );
    assert.equal(released.status, 200);
    assert.match(await text(released), /Released\. The account that held it was told/);
    assert.deepEqual(await p.vault.findSubject('id_number', idNumber), []);

    // The holder is told by SMS.
    await p.notify.drainOutbox();
    const told = (p.sms as LocalSmsGateway).sent.filter(
      (m) => m.to === squatter.phone && m.template === 'security-change',
    );
    assert.deepEqual(
      told.map((m) => (m.params as { change: string }).change),
      ['id-number-released'],
    );
    const audit = await p.storage.db.query<{ actor_type: string; clause: string }>(
      `SELECT actor_type, clause FROM audit_entry WHERE action = 'verification.id_number_released' AND subject_id = $1`,
      [squatter.subjectId],
    );
    assert.deepEqual(audit.rows, [{ actor_type: 'staff', clause: 'P2.1' }]);

    // (From a second number of theirs: the first may ask for one code a minute.)
    const registered = await tryToRegister('13900000965', idNumber);
    assert.equal(registered.status, 201, await registered.clone().text());
    const { subjectId } = (await registered.json()) as { subjectId: string };
    assert.deepEqual(await p.vault.findSubject('id_number', idNumber), [subjectId]);
  });

  test('P2.1 an account that proved its number keeps it; another role cannot learn who holds a number', async () => {
    const idNumber = idNumberFor(963);
    const holder = await registerCitizen(p, '13900000963', idNumber, { level: 2, name: '赵六' });
    const looked = await text(await postConsoleForm(p.url, '/admin/verify/reclaim', checked(idNumber), hall));
    assert.match(looked, /Its level L2/);
    assert.match(looked, /This account proved the number: it cannot be released here/);
    assert.doesNotMatch(looked, /Release the ID number/);
    const forced = await postConsoleForm(
      p.url,
      '/admin/verify/reclaim/release',
      { ...checked(idNumber), holder: holder.subjectId, notTheirs: '1' },
      hall,
    );
    assert.equal(forced.status, 409);
    assert.match(
      await forced.text(),
      /has proved it \(level 2 or above\): it cannot be released at the desk/,
    );
    assert.deepEqual(await p.vault.findSubject('id_number', idNumber), [holder.subjectId]);

    const other = await postConsoleForm(p.url, '/admin/verify/reclaim', checked(idNumber), support);
    assert.equal(other.status, 403);
    assert.doesNotMatch(await other.text(), /赵六/);

    // A number nobody holds: the person can register.
    const free = await text(
      await postConsoleForm(p.url, '/admin/verify/reclaim', checked(idNumberFor(964)), hall),
    );
    assert.match(free, /No account holds this ID number/);
  });
});

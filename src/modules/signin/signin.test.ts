/**
 * Invariant: a person registers once with a confirmed mobile number and a possible ID
 * number, signs in by password or SMS code, and password guessing only slows the owner's
 * device down (an SMS code still works; attempts.test.ts has the rest), with every step audited and nothing but hashes and
 * vault ciphertexts stored.
 *
 * The identity service composed without HTTP; the cookies and pages of the same steps are
 * src/web/api/identity.api.test.ts and src/web/portal/security/security.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalSmsGateway } from '../../dev/sms.ts';
import { compose, type Composed } from '../../../test/support/compose.ts';
import { from, newDevice, refusal, statusOf } from '../../../test/support/sign-in.ts';

let c: Composed<'identity' | 'sms' | 'vault'>;
/** The browser each number registered from: its device cookie (a known device, P7.3). */
const devices = new Map<string, string>();
const ctxFor = (phone: string) => from('192.0.2.20', devices.get(phone));
const sms = () => c.sms as LocalSmsGateway;

async function codeFor(phone: string, purpose: 'register' | 'login'): Promise<string> {
  await c.identity.sendCode(phone, purpose, ctxFor(phone));
  return sms().lastCode(phone)!;
}

async function register(phone: string, idNumber: string, password = 'correct horse') {
  const device = newDevice();
  devices.set(phone, device);
  const code = await codeFor(phone, 'register');
  try {
    return await c.identity.register(
      { phone, code, password, name: '刘洋', idNumber },
      from('192.0.2.20', device),
    );
  } catch (err) {
    devices.delete(phone);
    throw err;
  }
}
const login = (phone: string, password: string) =>
  c.identity.loginWithPassword(phone, password, ctxFor(phone));

describe('citizen registration and sign-in', () => {
  before(async () => {
    c = await compose(['identity', 'sms', 'vault']);
  });
  after(() => c.close());

  test('P2.1 registration with a confirmed phone stores the person in the vault at level L1 and signs them in', async () => {
    const r = await register('13512340001', '11010519491231002X');
    assert.equal(r.kind, 'session', 'signed in');
    const acc = await c.db.query<{ assurance_level: number; password_hash: string }>(
      'SELECT assurance_level, password_hash FROM citizen_account WHERE subject_id = $1',
      [r.subjectId],
    );
    assert.equal(acc.rows[0]!.assurance_level, 1);
    assert.match(acc.rows[0]!.password_hash, /^\$argon2id\$/);
    assert.deepEqual(await c.vault.findSubject('id_number', '11010519491231002x'), [r.subjectId]);
    // The session cookie it sets and the pages it opens: src/web/api/identity.api.test.ts.
  });

  test('P2.1 one ID number, one account; impossible ID numbers are refused', async () => {
    const dup = await refusal(register('13512340002', '11010519491231002X'));
    assert.equal(dup.status, 409);
    // P7.3 the caller is not told why (attempts.test.ts); the owner is told by SMS.
    assert.equal(dup.code, 'identity.registration_refused');
    const impossible = await refusal(register('13512340003', '110105194902300027'));
    assert.equal(impossible.status, 400);
    assert.deepEqual(
      [impossible.code, impossible.clause, impossible.detail],
      ['identity.invalid_id_number', 'P2.1', 'birth-date'],
    );
  });

  test('P7.3 a wrong code counts, five wrong guesses burn it (said as used up), and codes cannot be requested in a burst', async () => {
    const phone = '13512340004';
    const code = await codeFor(phone, 'register');
    const again = await refusal(c.identity.sendCode(phone, 'register', ctxFor(phone)));
    assert.equal(again.status, 429);
    const wrong = code === '000000' ? '111111' : '000000';
    const attempt = (code: string) =>
      c.identity.register(
        { phone, code, password: 'correct horse', name: '刘洋', idNumber: '110101199003074477' },
        ctxFor(phone),
      );
    // Four wrong guesses leave tries; the fifth spends the code: only a new one helps.
    for (let i = 0; i < 5; i++)
      assert.equal(
        (await refusal(attempt(wrong))).code,
        i < 4 ? 'identity.code_invalid' : 'identity.code_used_up',
      );
    const right = await refusal(attempt(code));
    assert.equal(right.status, 400, 'the right code no longer works after five wrong guesses');
    assert.equal(right.code, 'identity.code_used_up');
  });

  test('P7.3 sign-in by password and by SMS code; unknown numbers and wrong passwords look the same', async () => {
    assert.equal((await login('13512340001', 'correct horse')).kind, 'session');
    const wrong = await refusal(login('13512340001', 'wrong horse'));
    const unknown = await refusal(login('13999999999', 'wrong horse'));
    assert.equal(wrong.status, 401);
    assert.deepEqual([wrong.title, unknown.status], [unknown.title, 401]);
    assert.deepEqual(wrong, unknown);
    const code = await codeFor('13512340001', 'login');
    const bySms = await c.identity.loginWithCode('13512340001', code, ctxFor('13512340001'));
    assert.equal(bySms.kind, 'session');
  });

  test('P7.3 repeated wrong passwords from the owner’s device slow it down, never lock it; an SMS code still signs the owner in', async () => {
    const phone = '13512340005';
    assert.equal((await register(phone, '440106199001011235')).kind, 'session');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push(await statusOf(login(phone, `guess ${i}`)));
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
    const waiting = await refusal(login(phone, 'correct horse'));
    assert.equal(waiting.status, 429, 'the device waits a moment, even with the right password');
    assert.equal(waiting.code, 'identity.slow_down');
    const code = await codeFor(phone, 'login');
    assert.equal((await c.identity.loginWithCode(phone, code, ctxFor(phone))).kind, 'session');
    const audit = await c.db.query<{ action: string }>(
      `SELECT action FROM audit_entry WHERE action LIKE 'identity.%' AND subject_id = $1 ORDER BY id`,
      [(await c.vault.findSubject('phone', phone))[0]],
    );
    assert.deepEqual(
      audit.rows.map((r) => r.action),
      [
        'identity.registered',
        'identity.login',
        ...Array(5).fill('identity.login_failed'),
        'identity.login',
        'identity.login_alert',
      ],
      'the SMS code proved the phone; the failures before it raise a login alert',
    );
  });

  test('P7.2.hash a password hashed with older, weaker parameters is rehashed at the next sign-in', async () => {
    const { hash } = await import('@node-rs/argon2');
    const [subjectId] = await c.vault.findSubject('phone', '13512340001');
    const weak = await hash('correct horse', { algorithm: 2, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await c.db.query('UPDATE citizen_account SET password_hash = $2 WHERE subject_id = $1', [
      subjectId,
      weak,
    ]);
    assert.equal((await login('13512340001', 'correct horse')).kind, 'session');
    const { rows } = await c.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM citizen_account WHERE subject_id = $1',
      [subjectId],
    );
    assert.match(rows[0]!.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});

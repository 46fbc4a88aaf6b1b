/**
 * Invariant: a person registers once with a confirmed mobile number and a possible ID
 * number, signs in by password or SMS code, and password guessing only slows the owner's
 * device down (an SMS code still works; attempts.test.ts has the rest), with every step audited and nothing but hashes and
 * vault ciphertexts stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalSmsGateway } from '../../dev/sms.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';

let p: TestPlatform;
/** The browser each number registered from: its device cookie (a known device, P7.3). */
const devices = new Map<string, string>();
const cookieOf = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0];
const post = (path: string, body: unknown, headers: Record<string, string> = {}) => {
  const device = devices.get((body as { phone?: string }).phone ?? '');
  return fetch(`${p.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(device ? { cookie: device } : {}), ...headers },
    body: JSON.stringify(body),
  });
};
const sms = () => p.sms as LocalSmsGateway;

async function codeFor(phone: string, purpose: 'register' | 'login'): Promise<string> {
  const res = await post('/api/identity/codes', { phone, purpose });
  assert.equal(res.status, 202, await res.clone().text());
  return sms().lastCode(phone)!;
}

async function register(phone: string, idNumber: string, password = 'correct horse') {
  const code = await codeFor(phone, 'register');
  const res = await post('/api/identity/register', { phone, code, password, name: '刘洋', idNumber });
  const device = cookieOf(res, 'civitas_device');
  if (res.status === 201 && device) devices.set(phone, device);
  return res;
}

describe('citizen registration and sign-in', () => {
  before(async () => {
    // This file signs in more than the default 30 times a minute from one address.
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
  });
  after(() => p.stop());

  test('P2.1 registration with a confirmed phone stores the person in the vault at level L1 and signs them in', async () => {
    const res = await register('13512340001', '11010519491231002X');
    assert.equal(res.status, 201, await res.clone().text());
    const { subjectId } = (await res.json()) as { subjectId: string };
    assert.match(
      res.headers.getSetCookie().find((c) => c.startsWith('civitas_session=')) ?? '',
      /^civitas_session=[^;]+; Max-Age=43200; Path=\/; HttpOnly; SameSite=Lax/,
    );
    const acc = await p.storage.db.query<{ assurance_level: number; password_hash: string }>(
      'SELECT assurance_level, password_hash FROM citizen_account WHERE subject_id = $1',
      [subjectId],
    );
    assert.equal(acc.rows[0]!.assurance_level, 1);
    assert.match(acc.rows[0]!.password_hash, /^\$argon2id\$/);
    assert.deepEqual(await p.vault.findSubject('id_number', '11010519491231002x'), [subjectId]);
    const cookie = cookieOf(res, 'civitas_session')!;
    const page = await fetch(`${p.url}/me/access`, { headers: { cookie }, redirect: 'manual' });
    assert.equal(page.status, 200, 'the session opens the person’s own pages');
  });

  test('P2.1 one ID number, one account; impossible ID numbers are refused', async () => {
    const dup = await register('13512340002', '11010519491231002X');
    assert.equal(dup.status, 409);
    // P7.3 the caller is not told why (attempts.test.ts); the owner is told by SMS.
    assert.equal(((await dup.json()) as { code: string }).code, 'identity.registration_refused');
    const impossible = await register('13512340003', '110105194902300027');
    assert.equal(impossible.status, 400);
    const problem = (await impossible.json()) as { code: string; clause: string; detail: string };
    assert.deepEqual(
      [problem.code, problem.clause, problem.detail],
      ['identity.invalid_id_number', 'P2.1', 'birth-date'],
    );
  });

  test('P7.3 a wrong code counts, five wrong guesses burn it (said as used up), and codes cannot be requested in a burst', async () => {
    const phone = '13512340004';
    const code = await codeFor(phone, 'register');
    const again = await post('/api/identity/codes', { phone, purpose: 'register' });
    assert.equal(again.status, 429);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const r = await post('/api/identity/register', {
        phone,
        code: wrong,
        password: 'correct horse',
        name: '刘洋',
        idNumber: '110101199003074477',
      });
      // Four wrong guesses leave tries; the fifth spends the code: only a new one helps.
      const want = i < 4 ? 'identity.code_invalid' : 'identity.code_used_up';
      assert.equal(((await r.json()) as { code: string }).code, want);
    }
    const right = await post('/api/identity/register', {
      phone,
      code,
      password: 'correct horse',
      name: '刘洋',
      idNumber: '110101199003074477',
    });
    assert.equal(right.status, 400, 'the right code no longer works after five wrong guesses');
    assert.equal(((await right.json()) as { code: string }).code, 'identity.code_used_up');
  });

  test('P7.3 sign-in by password and by SMS code; unknown numbers and wrong passwords look the same', async () => {
    const ok = await post('/api/identity/login/password', {
      phone: '13512340001',
      password: 'correct horse',
    });
    assert.equal(ok.status, 200);
    const wrong = await post('/api/identity/login/password', {
      phone: '13512340001',
      password: 'wrong horse',
    });
    const unknown = await post('/api/identity/login/password', {
      phone: '13999999999',
      password: 'wrong horse',
    });
    assert.equal(wrong.status, 401);
    assert.deepEqual(
      [((await wrong.json()) as { title: string }).title, unknown.status],
      [((await unknown.json()) as { title: string }).title, 401],
    );
    const code = await codeFor('13512340001', 'login');
    const bySms = await post('/api/identity/login/code', { phone: '13512340001', code });
    assert.equal(bySms.status, 200);
  });

  test('P7.3 repeated wrong passwords from the owner’s device slow it down, never lock it; an SMS code still signs the owner in', async () => {
    const phone = '13512340005';
    assert.equal((await register(phone, '440106199001011235')).status, 201);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await post('/api/identity/login/password', { phone, password: `guess ${i}` })).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
    const waiting = await post('/api/identity/login/password', { phone, password: 'correct horse' });
    assert.equal(waiting.status, 429, 'the device waits a moment, even with the right password');
    assert.equal(((await waiting.json()) as { code: string }).code, 'identity.slow_down');
    const code = await codeFor(phone, 'login');
    assert.equal((await post('/api/identity/login/code', { phone, code })).status, 200);
    const audit = await p.storage.db.query<{ action: string }>(
      `SELECT action FROM audit_entry WHERE action LIKE 'identity.%' AND subject_id = $1 ORDER BY id`,
      [(await p.vault.findSubject('phone', phone))[0]],
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

  test('P7.3 the person sees their signed-in devices and signs out one, or every other, device', async () => {
    const phone = '13512340001';
    const signIn = async (ua: string) => {
      const res = await post(
        '/api/identity/login/password',
        { phone, password: 'correct horse' },
        { 'user-agent': ua },
      );
      assert.equal(res.status, 200);
      return cookieOf(res, 'civitas_session')!;
    };
    const phoneCookie = await signIn(
      'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36',
    );
    const laptop = await signIn(
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
    );
    const tablet = await signIn(
      'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Safari/604.1',
    );
    const page = async (cookie: string) =>
      fetch(`${p.url}/me/security`, { headers: { cookie, 'accept-language': 'en' }, redirect: 'manual' });
    const html = await (await page(laptop)).text();
    assert.match(html, /Chrome · Android/);
    assert.match(html, /Firefox · Windows<strong> · This device<\/strong>/);
    assert.match(html, /Safari · iOS/);

    // Sign out the tablet by its id, from the laptop.
    const tabletId =
      /action="\/me\/sessions\/([0-9a-f-]{36})\/end"[^>]*>\s*<button[^>]*aria-label="Sign out: Safari · iOS/.exec(
        html,
      )?.[1];
    assert.ok(tabletId, 'the tablet has its own sign-out button');
    const end = await fetch(`${p.url}/me/sessions/${tabletId}/end`, {
      method: 'POST',
      headers: { cookie: laptop, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'confirm=1',
      redirect: 'manual',
    });
    assert.equal(end.status, 303);
    assert.equal((await page(tablet)).status, 303, 'the tablet is signed out');

    // Then every other device.
    await fetch(`${p.url}/me/sessions/end-others`, {
      method: 'POST',
      headers: { cookie: laptop, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'confirm=1',
      redirect: 'manual',
    });
    assert.equal((await page(phoneCookie)).status, 303, 'the phone is signed out');
    assert.equal((await page(laptop)).status, 200, 'this device stays signed in');
    const { rows } = await p.storage.db.query<{ action: string }>(
      `SELECT action FROM audit_entry WHERE action IN ('identity.session_ended', 'identity.other_sessions_ended') ORDER BY id`,
    );
    assert.deepEqual(
      rows.map((r) => r.action),
      ['identity.session_ended', 'identity.other_sessions_ended'],
    );
  });

  test('P7.2.hash a password hashed with older, weaker parameters is rehashed at the next sign-in', async () => {
    const { hash } = await import('@node-rs/argon2');
    const [subjectId] = await p.vault.findSubject('phone', '13512340001');
    const weak = await hash('correct horse', { algorithm: 2, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await p.storage.db.query('UPDATE citizen_account SET password_hash = $2 WHERE subject_id = $1', [
      subjectId,
      weak,
    ]);
    const res = await post('/api/identity/login/password', {
      phone: '13512340001',
      password: 'correct horse',
    });
    assert.equal(res.status, 200);
    const { rows } = await p.storage.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM citizen_account WHERE subject_id = $1',
      [subjectId],
    );
    assert.match(rows[0]!.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});

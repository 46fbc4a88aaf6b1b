/**
 * Invariant (P7.2.roles: staff hold least-privilege roles with a second factor): a staff
 * password alone opens nothing; the first sign-in enrols an authenticator app before any
 * console page opens; later sign-ins need its code; wrong passwords slow the account down
 * without locking it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { nextCode, signInStaff, staffApp } from '../../../../test/support/staff.ts';

const PASSWORD = 'a long staff passphrase';
let p: TestPlatform;

const form = (path: string, body: Record<string, string>, cookie = '') =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'accept-language': 'en' },
    body: new URLSearchParams(body).toString(),
  });
const get = (path: string, cookie: string) =>
  fetch(`${p.url}${path}`, { redirect: 'manual', headers: { cookie, 'accept-language': 'en' } });
const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
const create = (email: string, role: 'support' | 'administrator' = 'support', password = PASSWORD) =>
  p.staff.create({ email, displayName: email, role, password }, { type: 'system', id: 'test' });

describe('staff second factor and slow-down', () => {
  before(async () => {
    p = await startTestPlatform();
  });
  after(() => p.stop());

  test('P7.2.roles a password alone opens nothing: the first sign-in must enrol an app first', async () => {
    await create('first@civitas.example');
    const res = await form('/admin/login', { email: 'first@civitas.example', password: PASSWORD });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/admin/enrol');
    const pending = cookieOf(res);
    for (const path of ['/admin', '/admin/accounts', '/admin/password']) {
      const page = await get(path, pending);
      assert.equal(page.status, 303, `${path} does not open`);
      assert.equal(page.headers.get('location'), '/admin/enrol');
    }
    const api = await fetch(`${p.url}/api/staff/accounts/lookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: pending },
      body: JSON.stringify({ by: 'phone', value: '13800000000', ticket: 'T-1' }),
    });
    assert.equal(api.status, 401, 'the staff API refuses it too');

    const enrol = await get('/admin/enrol', pending);
    const html = await enrol.text();
    assert.match(html, /<h1>Set up your authenticator app<\/h1>/);
    assert.match(html, /data-totp-secret[^>]*>[A-Z2-7]{32}</);
    const wrong = await form('/admin/enrol', { code: '000000' }, pending);
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /role="alert"[^>]*>The code from the authenticator app is not correct/);
  });

  test('P7.2.roles after enrolment every sign-in needs the code from the app', async () => {
    await create('second@civitas.example');
    const cookie = await signInStaff(p.url, 'second@civitas.example', PASSWORD);
    assert.equal((await get('/admin', cookie)).status, 200);

    const res = await form('/admin/login', { email: 'second@civitas.example', password: PASSWORD });
    assert.equal(res.headers.get('location'), '/admin/login/code');
    const pending = cookieOf(res);
    assert.equal((await get('/admin', pending)).headers.get('location'), '/admin/login/code');
    const wrong = await form('/admin/login/code', { code: '123456' }, pending);
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /The code from the authenticator app is not correct/);
    const right = await form(
      '/admin/login/code',
      { code: await nextCode(staffApp('second@civitas.example')!) },
      pending,
    );
    assert.equal(right.status, 303);
    assert.equal(right.headers.get('location'), '/admin');
    const full = cookieOf(right);
    assert.notEqual(full, pending, 'the full session has a new token');
    assert.equal((await get('/admin', full)).status, 200);
    assert.equal((await get('/admin', pending)).status, 303, 'the pending token is ended');
    const { rows } = await p.storage.db.query<{ action: string }>(
      `SELECT action FROM audit_entry WHERE action = 'staff.second_factor_failed'`,
    );
    assert.ok(rows.length >= 1, 'the wrong code is audited');
  });

  test('P7.2 wrong passwords slow the account down; the wait ends and the right password works', async () => {
    const email = 'slow@civitas.example';
    await create(email);
    await signInStaff(p.url, email, PASSWORD);
    for (let i = 0; i < 3; i++) {
      assert.equal((await form('/admin/login', { email, password: 'not the password' })).status, 401);
    }
    const slowed = await form('/admin/login', { email, password: PASSWORD });
    assert.equal(slowed.status, 429, 'even the right password waits: the attempt is not checked');
    assert.ok(Number(slowed.headers.get('retry-after')) >= 1);
    const page = await slowed.text();
    assert.match(page, /Too many wrong attempts for this account: wait a minute, then try again \(P7\.2\)/);
    assert.match(page, /value="slow@civitas.example"/, 'the e-mail typed is kept');
    // The wait has passed (the last failure moved back past the 60-second maximum).
    await p.storage.db.query(
      `UPDATE staff_account SET last_failed_at = now() - interval '61 seconds' WHERE email = $1`,
      [email],
    );
    const cookie = await signInStaff(p.url, email, PASSWORD);
    assert.equal((await get('/admin', cookie)).status, 200);
    const { rows } = await p.storage.db.query<{ failed_logins: number }>(
      'SELECT failed_logins FROM staff_account WHERE email = $1',
      [email],
    );
    assert.equal(rows[0]!.failed_logins, 0, 'a full sign-in clears the count');
  });
});

describe('a lost authenticator app', () => {
  before(async () => {
    p = await startTestPlatform();
  });
  after(() => p.stop());

  test('P7.2.roles resetting the factor ends every session; the next sign-in enrols a new app', async () => {
    const email = 'lost@civitas.example';
    await create(email);
    const cookie = await signInStaff(p.url, email, PASSWORD);
    assert.equal(await p.staff.resetSecondFactor(email, { type: 'system', id: 'test' }), true);
    assert.equal((await get('/admin', cookie)).status, 303, 'the old session ended');
    const res = await form('/admin/login', { email, password: PASSWORD });
    assert.equal(res.headers.get('location'), '/admin/enrol');
    assert.equal(
      await p.staff.resetSecondFactor('nobody@civitas.example', { type: 'system', id: 'test' }),
      false,
    );
  });
});

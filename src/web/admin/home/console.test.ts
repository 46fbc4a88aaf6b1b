/**
 * Invariant (P7.2: strict access limits and audits): the staff console is reachable only
 * with a staff session; staff passwords are argon2id hashes; every sign-in, failed
 * sign-in and sign-out is in the audit log; there is no default password.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { signInStaff } from '../../../../test/support/staff.ts';

const EMAIL = 'officer@civitas.example';
const PASSWORD = 'correct horse battery staple';
let p: TestPlatform;

async function login(email: string, password: string, headers: Record<string, string> = {}) {
  return fetch(`${p.url}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ email, password }).toString(),
  });
}

describe('staff console', () => {
  before(async () => {
    p = await startTestPlatform({ CIVITAS_ADMIN_EMAIL: EMAIL, CIVITAS_ADMIN_PASSWORD: PASSWORD });
  });
  after(() => p.stop());

  test('P7.2.hash the first administrator comes from the environment, hashed with argon2id', async () => {
    const { rows } = await p.storage.db.query<{ role: string; password_hash: string }>(
      'SELECT role, password_hash FROM staff_account',
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.role, 'administrator');
    assert.match(rows[0]!.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  test('P7.2 the console sends anyone without a staff session to the login page', async () => {
    const res = await fetch(`${p.url}/admin`, { redirect: 'manual' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/admin/login');
    const page = await (await fetch(`${p.url}/admin/login`, { headers: { 'accept-language': 'en' } })).text();
    assert.match(page, /<label for="email">Work e-mail<\/label>/);
    assert.match(
      page,
      /<input id="password" name="password" type="password" autocomplete="current-password" required=""/,
    );
  });

  test('P7.2 a wrong password is refused, said plainly, and audited', async () => {
    const res = await login(EMAIL, 'not the password', { 'accept-language': 'en' });
    assert.equal(res.status, 401);
    assert.match(await res.text(), /role="alert"[^>]*>The e-mail or password is not correct\./);
    const unknown = await login('nobody@civitas.example', 'whatever it is');
    assert.equal(unknown.status, 401);
    const { rows } = await p.storage.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_entry WHERE action = 'staff.login_failed'`,
    );
    assert.equal(rows[0]!.n, 2);
  });

  test('P7.2.roles sign-in opens the console; sign-out ends the session; both are audited', async () => {
    const res = await login(EMAIL, PASSWORD);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/admin/enrol', 'the second factor comes first');
    assert.match(res.headers.get('set-cookie') ?? '', /HttpOnly; SameSite=Strict/);
    const cookie = await signInStaff(p.url, EMAIL, PASSWORD);
    assert.match(cookie, /^civitas_staff=/);

    const home = await fetch(`${p.url}/admin`, { headers: { cookie, 'accept-language': 'en' } });
    assert.equal(home.status, 200);
    const html = await home.text();
    assert.match(html, /<dd>Administrator<\/dd>/);
    assert.match(html, /staff\.login/);

    const out = await fetch(`${p.url}/admin/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie },
    });
    assert.equal(out.status, 303);
    const after = await fetch(`${p.url}/admin`, { redirect: 'manual', headers: { cookie } });
    assert.equal(after.status, 303, 'the old cookie no longer opens the console');
    const { rows } = await p.storage.db.query<{ action: string }>(
      `SELECT action FROM audit_entry WHERE action IN ('staff.login', 'staff.logout') ORDER BY id`,
    );
    assert.deepEqual(
      rows.map((r) => r.action),
      ['staff.login', 'staff.logout'],
    );
  });

  test('a login form posted from another site is refused', async () => {
    const res = await login(EMAIL, PASSWORD, { 'sec-fetch-site': 'cross-site', accept: 'text/html' });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /http\.cross_site/);
    const viaOrigin = await login(EMAIL, PASSWORD, { origin: 'https://evil.example' });
    assert.equal(viaOrigin.status, 403);
  });

  test('P7.2 staff passwords shorter than 12 characters are refused', async () => {
    await assert.rejects(
      p.staff.create(
        { email: 'x@civitas.example', displayName: 'X', role: 'support', password: 'short' },
        { type: 'system', id: 'test' },
      ),
      (err: Error & { code?: string }) => err.code === 'staff.weak_password',
    );
  });
});

/**
 * Invariant (P7.2: strict access limits): staff change their own password, never to a short
 * or common one (ASVS 6.2.4), and their other sessions end; a staff session ends after 30
 * minutes without use. (Kept apart from staff-sign-in.test.ts: the console's per-source
 * sign-in limit allows 10 a minute.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { signInStaff } from '../../../../test/support/staff.ts';

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
const create = (email: string, role: 'support' | 'administrator' = 'support', password = PASSWORD) =>
  p.staff.create({ email, displayName: email, role, password }, { type: 'system', id: 'test' });

describe('staff password change and idle timeout', () => {
  before(async () => {
    p = await startTestPlatform();
  });
  after(() => p.stop());

  test('P7.2 staff change their password; common and short ones are refused, other sessions end', async () => {
    const email = 'change@civitas.example';
    await create(email);
    const cookie = await signInStaff(p.url, email, PASSWORD);
    const other = await signInStaff(p.url, email, PASSWORD);
    const page = await (await get('/admin/password', cookie)).text();
    assert.match(page, /<label for="current">Current password<\/label>/);

    const common = await form('/admin/password', { current: PASSWORD, password: 'qwertyuiop123' }, cookie);
    assert.equal(common.status, 400);
    assert.match(
      await common.text(),
      /role="alert"[^>]*>This password is on a list of common or breached passwords; choose another \(P7\.2\)/,
    );
    const wrong = await form(
      '/admin/password',
      { current: 'not it at all', password: 'a new long passphrase' },
      cookie,
    );
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /Your current password is not correct/);

    const ok = await form(
      '/admin/password',
      { current: PASSWORD, password: 'a new long passphrase' },
      cookie,
    );
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /Password changed\. Your other sessions were ended\./);
    assert.equal((await get('/admin', cookie)).status, 200, 'this session goes on');
    assert.equal((await get('/admin', other)).status, 303, 'the other session ended');
    assert.equal((await form('/admin/login', { email, password: PASSWORD })).status, 401);
    await signInStaff(p.url, email, 'a new long passphrase');
  });

  test('P7.2 staff passwords on the common-password list are refused when an account is made', async () => {
    await assert.rejects(
      create('common@civitas.example', 'support', 'password1234'),
      (err: Error & { code?: string }) => err.code === 'staff.common_password',
    );
    await assert.rejects(
      create('upper@civitas.example', 'support', 'Qwertyuiop123'),
      (err: Error & { code?: string }) => err.code === 'staff.common_password',
    );
  });

  test('P7.2 a staff session ends after 30 minutes without use and is refreshed by use', async () => {
    const email = 'idle@civitas.example';
    await create(email);
    const cookie = await signInStaff(p.url, email, PASSWORD);
    const idle = (minutes: number) =>
      p.storage.db.query(
        `UPDATE staff_session s SET last_seen_at = now() - make_interval(mins => $2)
           FROM staff_account a WHERE a.id = s.staff_id AND a.email = $1 AND s.stage = 'full'`,
        [email, minutes],
      );
    await idle(29);
    assert.equal((await get('/admin', cookie)).status, 200, 'used within 30 minutes: still open');
    const { rows } = await p.storage.db.query<{ fresh: boolean }>(
      `SELECT s.last_seen_at > now() - interval '1 minute' AS fresh FROM staff_session s
         JOIN staff_account a ON a.id = s.staff_id WHERE a.email = $1 AND s.stage = 'full' AND s.revoked_at IS NULL`,
      [email],
    );
    assert.ok(
      rows.every((r) => r.fresh),
      'the use moved the idle clock on',
    );
    await idle(31);
    const res = await get('/admin', cookie);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/admin/login');
  });
});

/**
 * Invariant: the console's account pages show a support look-up with the name and the
 * masked phone, never the ID number; refuse a look-up without a ticket (problem+json) or of
 * an unknown number (a readable page keeping what was typed); are not offered to, and refuse,
 * administrators and auditors; and an unlock says so and lets the person sign in at once.
 *
 * The rules (recorded reads, least privilege, the audited unlock) are the support service's:
 * src/modules/support/account-support.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalSmsGateway } from '../../../dev/sms.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { signInStaff } from '../../../../test/support/staff.ts';

let p: TestPlatform;
const PHONE = '13512349001';
const ID = '11010519491231002X';

const send = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const form = (path: string, body: Record<string, string>, cookie: string) =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'accept-language': 'en' },
    body: new URLSearchParams(body).toString(),
  });

async function staffCookie(role: 'support' | 'administrator' | 'auditor', email: string) {
  await p.staff.create(
    { email, displayName: role, role, password: 'staff password 123' },
    { type: 'system', id: 'test' },
  );
  return signInStaff(p.url, email, 'staff password 123');
}

describe('console account pages', () => {
  let subjectId: string;
  let support: string;

  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    await send('/api/identity/codes', { phone: PHONE, purpose: 'register' });
    const res = await send('/api/identity/register', {
      phone: PHONE,
      code: (p.sms as LocalSmsGateway).lastCode(PHONE),
      password: 'correct horse',
      name: '刘洋',
      idNumber: ID,
    });
    assert.equal(res.status, 201, await res.clone().text());
    subjectId = ((await res.json()) as { subjectId: string }).subjectId;
    support = await staffCookie('support', 'support@civitas.example');
  });
  after(() => p.stop());

  test('P4 the look-up page shows name and masked phone, never the ID number', async () => {
    const res = await form(
      '/admin/accounts',
      { by: 'id_number', value: ID.toLowerCase(), ticket: 'T-1001' },
      support,
    );
    const html = await res.text();
    assert.equal(res.status, 200, html);
    assert.match(html, /<dd>刘洋<\/dd>/);
    assert.match(html, /<dd>135\*\*\*\*9001<\/dd>/);
    assert.doesNotMatch(html, new RegExp(ID.slice(0, 10)), 'the ID number is outside customer support');
    assert.doesNotMatch(html, new RegExp(PHONE));
  });

  test('P4 a look-up without a ticket is problem+json; an unknown number is a page that keeps what was typed', async () => {
    const noTicket = await send(
      '/api/staff/accounts/lookup',
      { by: 'phone', value: PHONE, ticket: '' },
      { cookie: support, 'accept-language': 'en' },
    );
    assert.equal(noTicket.status, 400);
    assert.match(noTicket.headers.get('content-type') ?? '', /application\/problem\+json/);
    const unknown = await form(
      '/admin/accounts',
      { by: 'phone', value: '13900000000', ticket: 'T-2' },
      support,
    );
    assert.equal(unknown.status, 404);
    const html = await unknown.text();
    assert.match(html, /role="alert"[^>]*>No account matches/);
    assert.match(html, /value="13900000000"/, 'what was typed is kept');
  });

  test('P7.2.roles administrators and auditors are refused over HTTP and not offered the look-up', async () => {
    for (const [role, email] of [
      ['administrator', 'admin2@civitas.example'],
      ['auditor', 'auditor@civitas.example'],
    ] as const) {
      const cookie = await staffCookie(role, email);
      const res = await send(
        '/api/staff/accounts/lookup',
        { by: 'phone', value: PHONE, ticket: 'T-3' },
        { cookie },
      );
      assert.equal(res.status, 403, role);
      const unlock = await send(`/api/staff/accounts/${subjectId}/unlock`, { ticket: 'T-3' }, { cookie });
      assert.equal(unlock.status, 403, role);
      const home = await (await fetch(`${p.url}/admin`, { headers: { cookie } })).text();
      assert.doesNotMatch(home, /href="\/admin\/accounts"/, `${role} is not offered the look-up`);
    }
  });

  test('P7.3 the unlock button on the look-up page says the account is unlocked, and the person signs in at once', async () => {
    for (let i = 0; i < 5; i++) {
      await send('/api/identity/login/password', { phone: PHONE, password: 'wrong password' });
    }
    const locked = await send('/api/identity/login/password', { phone: PHONE, password: 'correct horse' });
    assert.equal(locked.status, 423, 'locked after five failures');

    const found = await form('/admin/accounts', { by: 'phone', value: PHONE, ticket: 'T-4' }, support);
    const html = await found.text();
    assert.match(html, new RegExp(`action="/admin/accounts/${subjectId}/unlock"`));
    const res = await form(`/admin/accounts/${subjectId}/unlock`, { ticket: 'T-4' }, support);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /role="status"[^>]*>The account is unlocked\./);

    const again = await send('/api/identity/login/password', { phone: PHONE, password: 'correct horse' });
    assert.equal(again.status, 200, await again.clone().text());
  });

  test('P8.5.cancel support records a closure the person asked for, with the ticket, only after confirming the identity check; the person can undo it', async () => {
    const found = await form('/admin/accounts', { by: 'phone', value: PHONE, ticket: 'T-5' }, support);
    assert.match(await found.text(), new RegExp(`action="/admin/accounts/${subjectId}/close"`));
    const unchecked = await form(`/admin/accounts/${subjectId}/close`, { ticket: 'T-5' }, support);
    assert.equal(unchecked.status, 400);
    assert.match(await unchecked.text(), /Confirm that the person asked for it/);
    const noTicket = await form(
      `/admin/accounts/${subjectId}/close`,
      { ticket: '', checked: 'yes' },
      support,
    );
    assert.equal(noTicket.status, 400);

    const done = await form(`/admin/accounts/${subjectId}/close`, { ticket: 'T-5', checked: 'yes' }, support);
    assert.equal(done.status, 200);
    assert.match(
      await done.text(),
      /id="closure-waiting"[^>]*>The closure is recorded\. The account closes on \d{4}-\d\d-\d\d/,
    );
    const { rows } = await p.storage.db.query<{ channel: string; ticket_ref: string; recorded_by: string }>(
      `SELECT channel, ticket_ref, recorded_by FROM account_closure WHERE subject_id = $1`,
      [subjectId],
    );
    assert.deepEqual(
      rows.map((r) => [r.channel, r.ticket_ref]),
      [['support', 'T-5']],
    );
    const audited = await p.storage.db.query<{ actor_type: string }>(
      `SELECT actor_type FROM audit_entry WHERE action = 'closure.requested' AND subject_id = $1`,
      [subjectId],
    );
    assert.deepEqual(
      audited.rows.map((r) => r.actor_type),
      ['staff'],
    );
    await p.closure.undo(subjectId, {});
    const state = await p.storage.db.query<{ state: string }>(
      'SELECT state FROM citizen_account WHERE subject_id = $1',
      [subjectId],
    );
    assert.equal(state.rows[0]!.state, 'active');
  });
});

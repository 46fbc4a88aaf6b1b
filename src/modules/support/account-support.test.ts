/**
 * Invariant (P7.2 least privilege, P4 purpose, P7.3): account support finds an account
 * only for a role that may use data for customer support, each look-up is a recorded read
 * the person sees in "who accessed my data", the ID number is never shown, and an unlock
 * ends a lock-out at once and is audited with its ticket.
 *
 * The support service composed without HTTP; the console pages that use it are
 * src/web/admin/accounts/accounts.test.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { StaffMember } from '../staff/index.ts';
import { compose, type Composed } from '../../../test/support/compose.ts';
import { from, refusal, statusOf } from '../../../test/support/sign-in.ts';
import type { LocalSmsGateway } from '../../dev/sms.ts';
import { createAccountSupport, type AccountSupport } from './index.ts';

const PHONE = '13512349001';
const ID = '11010519491231002X';
let c: Composed<'identity' | 'sms' | 'vault' | 'audit' | 'limiter' | 'staff'>;
let support: AccountSupport;

const staff = async (role: 'support' | 'administrator' | 'auditor', email: string): Promise<StaffMember> => {
  const id = await c.staff.create(
    { email, displayName: role, role, password: 'staff password 123' },
    { type: 'system', id: 'test' },
  );
  return { id, email, displayName: role, role };
};

describe('staff account support', () => {
  let subjectId: string;
  let agent: StaffMember;

  before(async () => {
    c = await compose(['identity', 'sms', 'vault', 'audit', 'limiter', 'staff']);
    support = createAccountSupport({ db: c.db, audit: c.audit, vault: c.vault, limiter: c.limiter });
    const ctx = from('192.0.2.60');
    await c.identity.sendCode(PHONE, 'register', ctx);
    const r = await c.identity.register(
      {
        phone: PHONE,
        code: (c.sms as LocalSmsGateway).lastCode(PHONE)!,
        password: 'correct horse',
        name: '刘洋',
        idNumber: ID,
      },
      ctx,
    );
    subjectId = r.kind === 'session' ? r.subjectId : assert.fail(r.kind);
    agent = await staff('support', 'support@civitas.example');
  });
  after(() => c.close());

  test('P4 a support look-up by ID number shows name and masked phone, never the ID number, and the person sees the read', async () => {
    const found = await support.lookup(
      agent,
      { by: 'id_number', value: ID.toLowerCase(), ticket: 'T-1001' },
      randomUUID(),
    );
    assert.deepEqual([found.subjectId, found.name, found.phoneMasked], [subjectId, '刘洋', '135****9001']);
    const shown = JSON.stringify(found);
    assert.doesNotMatch(shown, new RegExp(ID.slice(0, 10)), 'the ID number is outside customer support');
    assert.doesNotMatch(shown, new RegExp(PHONE));

    const read = (await c.vault.accessLog(subjectId)).find((e) => e.actorLabel === 'role:support');
    assert.ok(read, 'the look-up is in the person’s access log');
    assert.equal(read.purpose, 'customer-support');
    assert.deepEqual([...read.categories].sort(), ['contact', 'identity']);
  });

  test('P4 a look-up without a ticket, or of an unknown number, is refused with the reason', async () => {
    const noTicket = await refusal(
      support.lookup(agent, { by: 'phone', value: PHONE, ticket: '' }, randomUUID()),
    );
    assert.deepEqual([noTicket.code, noTicket.status], ['support.ticket_required', 400]);
    const unknown = await refusal(
      support.lookup(agent, { by: 'phone', value: '13900000000', ticket: 'T-2' }, randomUUID()),
    );
    assert.deepEqual([unknown.code, unknown.status], ['support.account_not_found', 404]);
  });

  test('P7.2.roles administrators and auditors cannot look up or unlock accounts', async () => {
    for (const [role, email] of [
      ['administrator', 'admin2@civitas.example'],
      ['auditor', 'auditor@civitas.example'],
    ] as const) {
      const member = await staff(role, email);
      const lookup = await refusal(
        support.lookup(member, { by: 'phone', value: PHONE, ticket: 'T-3' }, randomUUID()),
      );
      assert.equal(lookup.status, 403, role);
      const unlock = await refusal(support.unlock(member, subjectId, 'T-3', randomUUID()));
      assert.equal(unlock.status, 403, role);
    }
  });

  test('P7.3 support unlocks a locked account at once, audited with the ticket', async () => {
    const login = (password: string) => c.identity.loginWithPassword(PHONE, password, from('198.51.100.80'));
    for (let i = 0; i < 5; i++) await statusOf(login('wrong password'));
    assert.equal(await statusOf(login('correct horse')), 423, 'locked after five failures');

    const unlocked = await support.unlock(agent, subjectId, 'T-4', randomUUID());
    assert.equal(unlocked.failedLogins, 0);
    assert.equal(await statusOf(login('correct horse')), 200, 'the same source signs in at once');
    const { rows } = await c.db.query<{ detail: { ticket: string } }>(
      `SELECT detail FROM audit_entry WHERE action = 'identity.unlocked_by_staff'`,
    );
    assert.deepEqual(
      rows.map((r) => r.detail.ticket),
      ['T-4'],
    );
  });
});

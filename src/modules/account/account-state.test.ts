/**
 * Invariant: an account moves only along account.lifecycle.ts (active → closing → closed,
 * or back to active while closing); each change is audited in the same transaction, and a
 * change the table does not allow is refused with `identity.account_transition`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { compose, registerInProcess, type Composed } from '../../../test/support/compose.ts';
import { AppError } from '../../kernel/errors.ts';
import { accountState, changeAccountState } from './account-state.ts';

describe('the account lifecycle', () => {
  let p: Composed<'audit' | 'vault' | 'identity' | 'sms'>;
  before(async () => {
    p = await compose(['audit', 'vault', 'identity', 'sms']);
  });
  after(() => p.close());

  test('a new account is active; closing, reopening and closing for good follow the table', async () => {
    const { subjectId } = await registerInProcess(p, '13900002222', '11010519491231002X');
    const db = p.db;
    assert.equal(await accountState(db, subjectId), 'active');
    const change = (event: 'close' | 'reopen' | 'finish') =>
      db.tx((q) =>
        changeAccountState(q, p.audit, { subjectId, event, actor: { type: 'citizen', id: subjectId } }),
      );

    assert.equal(await change('close'), 'closing');
    assert.equal(await change('reopen'), 'active');
    await assert.rejects(
      change('finish'),
      (err: unknown) => err instanceof AppError && err.code === 'identity.account_transition',
      'an active account is not closed without closing first',
    );
    assert.equal(await change('close'), 'closing');
    assert.equal(await change('finish'), 'closed');
    await assert.rejects(
      change('reopen'),
      (err: unknown) => err instanceof AppError && err.code === 'identity.account_transition',
      'closed is final',
    );
    assert.equal(await accountState(db, subjectId), 'closed');

    const { rows } = await db.query<{ action: string; detail: { from: string; event: string } }>(
      `SELECT action, detail FROM audit_entry WHERE subject_id = $1 AND action LIKE 'identity.account_%' ORDER BY id`,
      [subjectId],
    );
    assert.deepEqual(
      rows.map((r) => `${r.detail.from} -${r.detail.event}-> ${r.action}`),
      [
        'active -close-> identity.account_closing',
        'closing -reopen-> identity.account_active',
        'active -close-> identity.account_closing',
        'closing -finish-> identity.account_closed',
      ],
    );
  });

  test('without an account there is nothing to change', async () => {
    const nobody = await p.vault.createSubject('person');
    const to = await p.db.tx((q) =>
      changeAccountState(q, p.audit, {
        subjectId: nobody,
        event: 'close',
        actor: { type: 'system', id: 'test' },
      }),
    );
    assert.equal(to, undefined);
  });
});

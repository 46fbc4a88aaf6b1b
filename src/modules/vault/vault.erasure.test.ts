/**
 * Invariant: once a person is crypto-shredded nothing leads back to them. Their phone number
 * and ID number find no subject (the blind-index tokens are gone with the data key), and the
 * same phone number and ID number can open a new account. Erasing one field removes that
 * value and its lookup token only, in the audit chain by field name, never by value.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { compose, registerInProcess, type Composed } from '../../../test/support/compose.ts';
import { idNumberFor } from '../../../test/support/citizen.ts';

let p: Composed<'vault' | 'identity' | 'sms'>;

describe('vault erasure', () => {
  before(async () => {
    p = await compose(['vault', 'identity', 'sms']);
  });
  after(() => p.close());

  test('P8.1.delete a shredded person is found by neither phone nor ID number, and both can register again', async () => {
    const phone = '13512349901';
    const idNumber = '11010519491231002X';
    const first = await registerInProcess(p, phone, idNumber);
    assert.deepEqual(await p.vault.findSubject('phone', phone), [first.subjectId]);

    await p.vault.shred(
      first.subjectId,
      { type: 'system', id: 'erasure', label: 'system:erasure' },
      'account-closed',
    );

    assert.deepEqual(await p.vault.findSubject('phone', phone), [], 'not found by phone');
    assert.deepEqual(await p.vault.findSubject('id_number', idNumber), [], 'not found by ID number');
    const { rows } = await p.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM vault_field
        WHERE subject_id = $1 AND (lookup_unique IS NOT NULL OR lookup_shared IS NOT NULL)`,
      [first.subjectId],
    );
    assert.equal(rows[0]!.n, 0, 'no lookup token of the shredded person is left');

    // A while later (the number's code of the first registration is more than a minute old).
    await p.db.query(`UPDATE one_time_code SET created_at = created_at - interval '2 minutes'`);
    const again = await registerInProcess(p, phone, idNumber);
    assert.notEqual(again.subjectId, first.subjectId);
    assert.deepEqual(await p.vault.findSubject('phone', phone), [again.subjectId]);
    assert.deepEqual(await p.vault.findSubject('id_number', idNumber), [again.subjectId]);
  });

  test('P8.1.delete erasing one field removes its value and its token, keeps the rest, and is audited by name', async () => {
    const { subjectId } = await registerInProcess(p, '13512349902', idNumberFor(902));
    const self = { type: 'self' as const, id: subjectId, label: 'self' };
    await p.vault.write(
      subjectId,
      { email: 'li.na@example.cn' },
      { source: 'user', purpose: 'account-security', actor: self },
    );
    assert.deepEqual(await p.vault.findSubject('email', 'li.na@example.cn'), [subjectId]);

    const erased = await p.vault.erase(subjectId, ['email'], {
      actor: self,
      reason: 'person-request',
      clause: 'P8.1.delete',
    });
    assert.deepEqual(erased, ['email']);
    assert.deepEqual(await p.vault.findSubject('email', 'li.na@example.cn'), [], 'the token went with it');
    const read = await p.vault.read({
      subjectId,
      actor: self,
      purpose: 'account-security',
      basis: { type: 'self' },
      fields: ['email', 'phone'],
    });
    assert.equal(read.values.email, undefined);
    assert.deepEqual(read.withheld, [{ field: 'email', reason: 'not-held' }]);
    assert.equal(read.values.phone, '13512349902', 'the other fields stay');
    const { rows } = await p.db.query<{ detail: unknown }>(
      `SELECT detail FROM audit_entry WHERE action = 'vault.fields_erased' AND subject_id = $1`,
      [subjectId],
    );
    assert.deepEqual(
      rows.map((r) => r.detail),
      [{ fields: ['email'], reason: 'person-request' }],
    );
  });
});

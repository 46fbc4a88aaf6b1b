/**
 * Invariant (P7.2 tamper-evident audit): a change and its audit entry written in one
 * statement are both there or both absent; a change that touched nothing leaves no entry;
 * entries written this way verify like any other.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { testAuditActions } from '../../../test/support/audit.ts';
import { createAuditService, loadSigningKey, verifyAuditChain, type AuditService } from './index.ts';

describe('audit appendWith', () => {
  let t: TestDatabase;
  const actions = testAuditActions('test.noted');
  let audit: AuditService<keyof typeof actions>;
  let key: ReturnType<typeof loadSigningKey>;
  const change = {
    name: 'test_note',
    text: 'INSERT INTO test_note (subject, body) SELECT $1, $2 WHERE $3 RETURNING subject AS audit_subject',
  };
  const entry = (subject: string) => ({
    actor: { type: 'system' as const, id: 'test' },
    action: 'test.noted' as const,
    subject: { type: 'person', id: subject },
    clause: 'P7.2',
  });
  const count = async (sql: string) => (await t.db.query<{ n: number }>(sql)).rows[0]!.n;

  before(async () => {
    t = await createTestDatabase();
    // DDL is the owner's; the application role, as in production, only gets to write rows.
    await t.owner.query('CREATE TABLE test_note (subject text PRIMARY KEY, body text NOT NULL)');
    const app = (await t.db.query<{ u: string }>('SELECT current_user AS u')).rows[0]!.u;
    await t.owner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON test_note TO "${app}"`);
    key = loadSigningKey({
      mode: 'test',
      dataDir: mkdtempSync(join(tmpdir(), 'civitas-aw-')),
      auditSigningKeyFile: undefined,
    });
    audit = createAuditService({ db: t.db, key, actions });
  });
  after(() => t.drop());

  test('P7.2 a change and its entry land together in one statement', async () => {
    const r = await audit.appendWith(t.db, { ...change, values: ['s-1', 'hello', true] }, entry('s-1'));
    assert.ok(r, 'an entry was appended');
    const { rows } = await t.db.query<{ subject_id: string; action: string }>(
      'SELECT subject_id, action FROM audit_entry WHERE id = $1',
      [r.id],
    );
    assert.deepEqual(rows, [{ subject_id: 's-1', action: 'test.noted' }]);
    assert.equal(await count(`SELECT count(*)::int AS n FROM test_note WHERE subject = 's-1'`), 1);
  });

  test('P7.2 a change that touches nothing appends nothing', async () => {
    const before = await count('SELECT count(*)::int AS n FROM audit_entry');
    const r = await audit.appendWith(t.db, { ...change, values: ['s-2', 'x', false] }, entry('s-2'));
    assert.equal(r, undefined);
    assert.equal(await count('SELECT count(*)::int AS n FROM audit_entry'), before);
  });

  test('P7.2 a failing change leaves no entry (one transaction)', async () => {
    const before = await count('SELECT count(*)::int AS n FROM audit_entry');
    await assert.rejects(
      audit.appendWith(t.db, { ...change, values: ['s-1', 'duplicate', true] }, entry('s-1')),
      /duplicate key/,
    );
    assert.equal(await count('SELECT count(*)::int AS n FROM audit_entry'), before);
  });

  test('P7.2.audit entries appended with a change verify, under concurrency too', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        audit.appendWith(t.db, { ...change, values: [`c-${i}`, 'x', true] }, entry(`c-${i}`)),
      ),
    );
    await audit.checkpoint();
    const result = await verifyAuditChain(t.db, key);
    assert.equal(result.ok, true, JSON.stringify(result.problem));
    assert.equal(result.entries, 41);
  });
});

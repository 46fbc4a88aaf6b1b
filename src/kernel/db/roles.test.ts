/**
 * Invariant (P7.2): the role the server connects as is checked, not assumed: a superuser
 * or the schema's owner (either could switch the audit triggers off) is reported, and the
 * application role the test harness and the embedded server use is reported clean.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminUrl, createTestDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { openDatabase } from './database.ts';
import { applicationRoleProblems } from './roles.ts';

describe('database roles', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase();
  });
  after(() => t.drop());

  test('P7.2 the application role is least-privilege; a superuser and the owner are reported', async () => {
    assert.deepEqual(await applicationRoleProblems(t.db), []);
    const owner = (await applicationRoleProblems(t.owner)).join('; ');
    assert.match(owner, /owns the audit tables/);
    assert.match(owner, /may audit_entry UPDATE/);
    const u = new URL(adminUrl());
    u.pathname = new URL(t.url).pathname;
    const superuser = openDatabase(u.toString(), 1);
    try {
      assert.match((await applicationRoleProblems(superuser)).join('; '), /is a superuser/);
    } finally {
      await superuser.close();
    }
  });
});

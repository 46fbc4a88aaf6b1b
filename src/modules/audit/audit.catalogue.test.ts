/**
 * Invariant (P7.2 audits): an audit entry means what the audit-action catalogue says. An
 * action it does not list, an actor kind the action does not list, or a clause the action
 * does not cite is refused before anything is written, with an error naming what is wrong;
 * a catalogued entry goes on to the database.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { auditActions, auditActor, createAuditService, loadSigningKey, type AuditAction } from './index.ts';

const key = loadSigningKey({
  mode: 'test',
  dataDir: mkdtempSync(join(tmpdir(), 'civitas-catalogue-')),
  auditSigningKeyFile: undefined,
});
/** Reaching the database means the catalogue let the entry through. */
const reached = new Error('reached the database');
const q = {
  query: () => Promise.reject(reached),
} as unknown as Queryable;
const audit = createAuditService({ db: q as Database, key });

describe('audit-action catalogue', () => {
  test('P7.2 an action the catalogue does not list is refused, and named', async () => {
    await assert.rejects(
      audit.append(q, { actor: { type: 'system', id: 'x' }, action: 'vault.peeked' as AuditAction }),
      { name: 'AuditCatalogueError', message: /"vault\.peeked" is not in the audit-action catalogue/ },
    );
  });

  test('P7.2 an actor kind the action does not list is refused', async () => {
    await assert.rejects(
      audit.append(q, { actor: { type: 'staff', id: 's-1' }, action: 'identity.login', clause: 'P7.3' }),
      { name: 'AuditCatalogueError', message: /"identity\.login" is not performed by a staff actor/ },
    );
  });

  test('P7.2 a clause the action does not cite is refused', async () => {
    await assert.rejects(
      audit.append(q, { actor: { type: 'citizen', id: 'p-1' }, action: 'identity.login', clause: 'P8.1' }),
      { name: 'AuditCatalogueError', message: /"identity\.login" does not cite clause P8\.1/ },
    );
    await assert.rejects(
      audit.append(q, { actor: { type: 'citizen', id: 'p-1' }, action: 'identity.login' }),
      { message: /does not cite clause none/ },
    );
  });

  test('P7.2 a catalogued entry, by a listed actor citing a listed clause, is written', async () => {
    await assert.rejects(
      audit.append(q, {
        actor: auditActor({ type: 'self', id: 'p-1' }),
        action: 'identity.login',
        clause: 'P7.3',
      }),
      reached,
    );
    // A refusal cites the refusing error's clause, whichever it is.
    await assert.rejects(
      audit.append(q, { actor: { type: 'staff', id: 's-1' }, action: 'vault.read_refused', clause: 'P4' }),
      reached,
    );
  });

  test('the person acting on their own data is a citizen in the log', () => {
    assert.deepEqual(auditActor({ type: 'self', id: 'p-1' }), { type: 'citizen', id: 'p-1' });
    assert.deepEqual(auditActor({ type: 'staff', id: 's-1' }), { type: 'staff', id: 's-1' });
    assert.deepEqual(auditActor({ type: 'anonymous' }), { type: 'anonymous', id: null });
  });

  test('every catalogued action names a module, at least one actor kind and what it records', () => {
    for (const [action, spec] of Object.entries(auditActions)) {
      assert.match(action, /^[a-z]+\.[a-z_]+$/, action);
      assert.ok(spec.actors.length > 0, action);
      assert.ok(spec.records.length > 0, action);
    }
  });
});

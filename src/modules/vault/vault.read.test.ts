/**
 * Invariant: no code reads a person's data without naming actor, purpose and basis; the
 * vault returns only what the purpose allows, refuses what the basis does not cover (with
 * the clause), and the person can see every read made by someone else.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startPrivacyEngine, type PrivacyEngine } from '../../../test/support/privacy.ts';
import { staffActor, type Actor } from './index.ts';
import { testShown } from '../../../test/support/policy.ts';

let e: PrivacyEngine;
let person: string;
const support = staffActor({ id: 'staff-1', role: 'support' });
const taxDept: Actor = { type: 'department', id: 'tax', label: 'department:tax' };
const self = (): Actor => ({ type: 'self', id: person, label: 'self' });

const refusedWith = (code: string, clause?: string) => (err: Error & { code?: string; clause?: string }) => {
  assert.equal(err.code, code);
  if (clause) assert.equal(err.clause, clause);
  return true;
};

describe('vault reads', () => {
  before(async () => {
    e = await startPrivacyEngine();
    person = await e.vault.createSubject('person');
    await e.vault.write(
      person,
      { name: '王芳', phone: '13812345678' },
      { source: 'user', purpose: 'service-provision', actor: self() },
    );
    await e.vault.write(
      person,
      { id_number: '11010519491231002X' },
      { source: 'user', purpose: 'real-name-verification', actor: self() },
    );
    await e.vault.write(
      person,
      { address: '广州市天河区体育西路 1 号' },
      { source: 'user', purpose: 'service-provision', actor: self() },
    );
  });
  after(() => e.close());

  test('P4 only the fields the purpose uses are returned; the rest are reported as withheld', async () => {
    const r = await e.vault.read({
      subjectId: person,
      actor: support,
      purpose: 'customer-support',
      basis: { type: 'necessity', service: 'hotline-12345' },
      fields: ['name', 'id_number', 'phone', 'email'],
    });
    assert.deepEqual(r.values, { name: '王芳', phone: '13812345678' });
    assert.deepEqual(r.withheld, [
      { field: 'id_number', reason: 'outside-purpose' },
      { field: 'email', reason: 'not-held' },
    ]);
  });

  test('P5.1.1 a read without a valid basis is refused with its clause, and the refusal is audited', async () => {
    const refusals = async () =>
      (
        await e.t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM audit_entry WHERE action = 'vault.read_refused' AND subject_id = $1`,
          [person],
        )
      ).rows[0]!.n;
    const before = await refusals();
    await assert.rejects(
      e.vault.read({
        subjectId: person,
        actor: taxDept,
        purpose: 'service-provision',
        basis: { type: 'consent', consentId: '00000000-0000-4000-8000-000000000000' },
        fields: ['name'],
      }),
      refusedWith('vault.no_basis', 'P5.1.1'),
    );
    await assert.rejects(
      e.vault.read({
        subjectId: person,
        actor: taxDept,
        purpose: 'survey',
        basis: { type: 'necessity', service: 'x' },
        fields: ['phone'],
      }),
      refusedWith('vault.no_basis'),
      'a non-essential purpose cannot rest on necessity',
    );
    assert.equal((await refusals()) - before, 2);
  });

  test('P7.2.roles a staff role reading for a purpose it does not hold is refused by the vault itself, and audited', async () => {
    const refused = async () =>
      (
        await e.t.db.query<{ clause: string; detail: { code: string }; actor_type: string }>(
          `SELECT clause, detail, actor_type FROM audit_entry
            WHERE action = 'vault.read_refused' AND subject_id = $1 AND detail->>'code' = 'vault.role_excludes_purpose'
            ORDER BY id`,
          [person],
        )
      ).rows;
    const before = (await refused()).length;
    const seen = (await e.vault.accessLog(person)).length;
    const read = (actor: Actor, purpose: 'real-name-verification' | 'customer-support') =>
      e.vault.read({
        subjectId: person,
        actor,
        purpose,
        basis: { type: 'necessity', service: 'hotline-12345' },
        fields: ['name'],
      });
    // Support holds customer-support only; the basis and the fields would otherwise pass.
    await assert.rejects(
      read(support, 'real-name-verification'),
      refusedWith('vault.role_excludes_purpose', 'P7.2.roles'),
    );
    // Administrators and auditors hold no purpose at all.
    for (const role of ['administrator', 'auditor'] as const)
      await assert.rejects(
        read(staffActor({ id: `${role}-1`, role }), 'customer-support'),
        refusedWith('vault.role_excludes_purpose', 'P7.2.roles'),
        role,
      );
    // A staff actor forged past the type system, with a role the table does not know, holds nothing.
    const forged = { type: 'staff', id: 'x', label: 'role:root', role: 'root' } as unknown as Actor;
    await assert.rejects(read(forged, 'customer-support'), refusedWith('vault.role_excludes_purpose'));

    const entries = (await refused()).slice(before);
    assert.equal(entries.length, 4, 'every refusal is audited');
    assert.ok(entries.every((r) => r.clause === 'P7.2.roles' && r.actor_type === 'staff'));
    assert.equal((await e.vault.accessLog(person)).length, seen, 'nothing was read');
    // The same role reads for the purpose it holds.
    assert.deepEqual((await read(support, 'customer-support')).values, { name: '王芳' });
  });

  test('P2.1 sensitive data on consent needs a separate, explicit consent of its own', async () => {
    await assert.rejects(
      e.consent.give(
        {
          subjectId: person,
          kind: 'use',
          purpose: 'real-name-verification',
          categories: ['identity', 'id_document'],
          channel: 'portal',
          shown: await testShown(e.t.db, 'x'),
          explicitSeparate: true,
        },
        { type: 'self', id: person },
      ),
      refusedWith('consent.sensitive_needs_separate', 'P2.1'),
      'sensitive and ordinary categories are never bundled',
    );
    const ordinary = await e.consent.give(
      {
        subjectId: person,
        kind: 'use',
        purpose: 'real-name-verification',
        categories: ['identity'],
        channel: 'portal',
        shown: await testShown(e.t.db, 'name only'),
      },
      { type: 'self', id: person },
    );
    // A consent that does not cover the sensitive field cannot be stretched to it.
    await assert.rejects(
      e.vault.read({
        subjectId: person,
        actor: taxDept,
        purpose: 'real-name-verification',
        basis: { type: 'consent', consentId: ordinary.id },
        fields: ['name', 'id_number'],
      }),
      refusedWith('vault.no_basis'),
    );
    const separate = await e.consent.give(
      {
        subjectId: person,
        kind: 'use',
        purpose: 'real-name-verification',
        categories: ['id_document'],
        channel: 'portal',
        shown: await testShown(e.t.db, 'ID number, separately'),
        explicitSeparate: true,
        recipient: { type: 'department', id: 'tax' },
      },
      { type: 'self', id: person },
    );
    const r = await e.vault.read({
      subjectId: person,
      actor: taxDept,
      purpose: 'real-name-verification',
      basis: { type: 'consent', consentId: separate.id },
      fields: ['id_number'],
    });
    assert.deepEqual(r.values, { id_number: '11010519491231002X' });
  });

  test('P4.x a purpose unrelated to the collection purpose is refused until fresh consent exists', async () => {
    const read = (basis: Parameters<typeof e.vault.read>[0]['basis']) =>
      e.vault.read({
        subjectId: person,
        actor: { type: 'system', id: 'post', label: 'system:delivery' },
        purpose: 'offline-delivery',
        basis,
        fields: ['address'],
      });
    await assert.rejects(
      read({ type: 'necessity', service: 'post' }),
      refusedWith('vault.incompatible_purpose', 'P4.x'),
    );
    const fresh = await e.consent.give(
      {
        subjectId: person,
        kind: 'use',
        purpose: 'offline-delivery',
        categories: ['address'],
        channel: 'portal',
        shown: await testShown(e.t.db, 'post my certificate'),
      },
      { type: 'self', id: person },
    );
    assert.equal(
      (await read({ type: 'consent', consentId: fresh.id })).values.address,
      '广州市天河区体育西路 1 号',
    );
  });

  test('P8.5.withdraw a withdrawn consent stops the next read at once', async () => {
    const c = await e.consent.give(
      {
        subjectId: person,
        kind: 'use',
        purpose: 'personalisation',
        categories: ['address'],
        channel: 'portal',
        shown: await testShown(e.t.db, 'suggest services near me'),
      },
      { type: 'self', id: person },
    );
    const read = () =>
      e.vault.read({
        subjectId: person,
        actor: { type: 'system', id: 'recommender', label: 'system:personalisation' },
        purpose: 'personalisation',
        basis: { type: 'consent', consentId: c.id },
        fields: ['address'],
      });
    assert.ok((await read()).values.address);
    await e.consent.withdraw(c.id, { type: 'self', id: person });
    await assert.rejects(read(), refusedWith('vault.consent_withdrawn', 'P8.5'));
  });

  test('P5.3.3 the person sees every read by others, newest first, and not their own', async () => {
    const other = await e.vault.createSubject('person');
    await e.vault.write(
      other,
      { name: '李雷', phone: '13900000000' },
      { source: 'user', purpose: 'service-provision', actor: { type: 'self', id: other, label: 'self' } },
    );
    await e.vault.read({
      subjectId: other,
      actor: { type: 'self', id: other, label: 'self' },
      purpose: 'service-provision',
      basis: { type: 'self' },
      fields: ['name'],
    });
    await e.vault.read({
      subjectId: other,
      actor: support,
      purpose: 'customer-support',
      basis: { type: 'necessity', service: 'hotline-12345' },
      fields: ['name'],
    });
    await e.vault.read({
      subjectId: other,
      actor: taxDept,
      purpose: 'service-provision',
      basis: { type: 'necessity', service: 'income-tax-return' },
      fields: ['name', 'phone'],
    });
    const log = await e.vault.accessLog(other);
    assert.deepEqual(
      log.map((l) => [l.actorLabel, l.purpose, l.basis, l.categories]),
      [
        ['department:tax', 'service-provision', 'necessity', ['identity', 'contact']],
        ['role:support', 'customer-support', 'necessity', ['identity']],
      ],
    );
  });

  test('P3.1 every stored value records its source and the purpose it was collected for', async () => {
    const { rows } = await e.t.db.query<{ field: string; source: string; collected_for: string }>(
      'SELECT field, source, collected_for FROM vault_field WHERE subject_id = $1 ORDER BY field',
      [person],
    );
    assert.deepEqual(
      rows.map((r) => [r.field, r.source, r.collected_for]),
      [
        ['address', 'user', 'service-provision'],
        ['id_number', 'user', 'real-name-verification'],
        ['name', 'user', 'service-provision'],
        ['phone', 'user', 'service-provision'],
      ],
    );
  });

  test('P7.2.encrypt lookups by ID number use a keyed blind index; no plaintext is stored', async () => {
    assert.deepEqual(await e.vault.findSubject('id_number', '11010519491231002x'), [person]);
    const { rows } = await e.t.db.query<{ dump: string }>(
      `SELECT string_agg(encode(ciphertext, 'escape') || coalesce(encode(lookup_unique, 'hex'), ''), '') AS dump FROM vault_field`,
    );
    for (const plain of ['11010519491231002X', '13812345678', '王芳'])
      assert.ok(!rows[0]!.dump.includes(plain), plain);
    await assert.rejects(
      e.vault.write(
        await e.vault.createSubject('person'),
        { id_number: '11010519491231002x' },
        { source: 'user', purpose: 'real-name-verification', actor: support },
      ),
      refusedWith('vault.duplicate_value'),
      'one ID number, one person',
    );
  });
});

/**
 * Invariant: reading many people at once (a batch of mail) is the same as reading them one
 * by one: the same values and withheld fields, every read by someone else in that person's
 * "who accessed my data", a refusal refused and audited for that read alone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startPrivacyEngine, type PrivacyEngine } from '../../../test/support/privacy.ts';
import { staffActor, type Actor } from './index.ts';

let e: PrivacyEngine;
const people: string[] = [];
const notifier: Actor = { type: 'system', id: 'notify', label: 'system:notify' };
const support = staffActor({ id: 'staff-1', role: 'support' });

describe('vault reads in a batch', () => {
  before(async () => {
    e = await startPrivacyEngine();
    for (const [i, name] of ['王芳', '李雷', '韩梅梅'].entries()) {
      const id = await e.vault.createSubject('person');
      const values = i === 2 ? { name } : { name, email: `p${i}@example.cn` };
      await e.vault.write(id, values, {
        source: 'user',
        purpose: 'service-provision',
        actor: { type: 'self', id, label: 'self' },
      });
      people.push(id);
    }
  });
  after(() => e.close());

  test('P5.3.3 each read of a batch returns what a single read would, and each shows in that person’s access log', async () => {
    const logged = async () => Promise.all(people.map(async (p) => (await e.vault.accessLog(p)).length));
    const seen = await logged();
    const read = (subjectId: string) => ({
      subjectId,
      actor: notifier,
      purpose: 'service-provision' as const,
      basis: { type: 'necessity' as const, service: 'notify:test' },
      fields: ['email' as const, 'id_number' as const],
    });
    const many = await e.vault.readMany(people.map(read));
    assert.deepEqual(
      many.map((r) => (r.ok ? r.values : r.error.code)),
      [{ email: 'p0@example.cn' }, { email: 'p1@example.cn' }, {}],
    );
    assert.deepEqual(many[2]!.ok && many[2]!.withheld, [
      { field: 'id_number', reason: 'outside-purpose' },
      { field: 'email', reason: 'not-held' },
    ]);
    const single = await e.vault.read(read(people[0]!));
    assert.deepEqual(many[0]!.ok && many[0]!.withheld, single.withheld);

    const now = await logged();
    // One entry per read that found something (the single read adds one more for the first).
    assert.deepEqual(
      now.map((n, i) => n - seen[i]!),
      [2, 1, 0],
    );
    const [latest] = await e.vault.accessLog(people[1]!);
    assert.deepEqual(
      [latest!.actorLabel, latest!.purpose, latest!.basis, latest!.categories],
      ['system:notify', 'service-provision', 'necessity', ['contact']],
    );
  });

  test('P7.2.roles a refused read in a batch is refused and audited alone; the others are read', async () => {
    const refusals = async () =>
      (
        await e.t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM audit_entry WHERE action = 'vault.read_refused' AND subject_id = $1`,
          [people[1]],
        )
      ).rows[0]!.n;
    const before = await refusals();
    const many = await e.vault.readMany([
      {
        subjectId: people[0]!,
        actor: support,
        purpose: 'customer-support',
        basis: { type: 'necessity', service: 'hotline-12345' },
        fields: ['name'],
      },
      {
        subjectId: people[1]!,
        actor: support,
        purpose: 'real-name-verification',
        basis: { type: 'necessity', service: 'hotline-12345' },
        fields: ['name'],
      },
      {
        subjectId: '00000000-0000-4000-8000-000000000000',
        actor: support,
        purpose: 'customer-support',
        basis: { type: 'necessity', service: 'hotline-12345' },
        fields: ['name'],
      },
    ]);
    assert.deepEqual(
      many.map((r) => (r.ok ? r.values : r.error.code)),
      [{ name: '王芳' }, 'vault.role_excludes_purpose', 'vault.unknown_subject'],
    );
    assert.equal(await refusals(), before + 1, 'the refusal is audited');
  });
});

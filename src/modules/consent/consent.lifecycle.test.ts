/**
 * Invariant: a consent moves only along consent.lifecycle.ts: given, then withdrawn once.
 * A second withdrawal is refused with `consent.already_withdrawn` and changes nothing; the
 * state and the time of withdrawal are recorded together.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { compose, type Composed } from '../../../test/support/compose.ts';
import { testShown } from '../../../test/support/policy.ts';
import { AppError } from '../../kernel/errors.ts';

describe('the consent lifecycle', () => {
  let p: Composed<'vault' | 'consent'>;
  before(async () => {
    p = await compose(['vault', 'consent']);
  });
  after(() => p.close());

  test('P8.5 a consent is withdrawn once; withdrawing it again is refused and changes nothing', async () => {
    const person = await p.vault.createSubject('person');
    const self = { type: 'self' as const, id: person };
    const given = await p.consent.give(
      {
        subjectId: person,
        kind: 'use',
        purpose: 'personalisation',
        categories: ['address'],
        channel: 'portal',
        shown: await testShown(p.db, 'address for personalisation'),
      },
      self,
    );
    assert.deepEqual([given.state, given.withdrawnAt], ['given', null]);

    const withdrawn = await p.consent.withdraw(given.id, self);
    assert.equal(withdrawn.state, 'withdrawn');
    assert.ok(withdrawn.withdrawnAt instanceof Date);

    await assert.rejects(
      p.consent.withdraw(given.id, self),
      (err: unknown) => err instanceof AppError && err.code === 'consent.already_withdrawn',
    );
    const [now] = await p.consent.of(person);
    assert.deepEqual(
      [now!.state, now!.withdrawnAt?.getTime()],
      ['withdrawn', withdrawn.withdrawnAt!.getTime()],
    );
    const { rows } = await p.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_entry WHERE action = 'consent.withdrawn' AND subject_id = $1`,
      [person],
    );
    assert.equal(rows[0]!.n, 1, 'one withdrawal audited');
  });
});

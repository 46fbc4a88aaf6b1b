/**
 * Invariant: an attempt moves only along the transition table of verification.lifecycle.ts;
 * every other move is refused, in memory and in the database, and an abandoned attempt
 * expires and can no longer be retried.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { compose, type Composed } from '../../../test/support/compose.ts';
import { createAttemptRunner } from './verification.attempts.ts';
import * as repo from './verification.repository.ts';
import { AppError } from '../../kernel/errors.ts';
import { attemptLifecycle, next, type AttemptEvent } from './verification.lifecycle.ts';

const states = attemptLifecycle.states;
const events: AttemptEvent[] = ['submit', 'match', 'mismatch', 'fail', 'retry', 'expire'];
const illegal = (err: unknown) => err instanceof AppError && err.code === 'verification.illegal_transition';

describe('the verification attempt lifecycle', () => {
  let p: Composed<'audit' | 'vault' | 'verification'>;
  before(async () => {
    p = await compose(['audit', 'vault', 'verification']);
  });
  after(() => p.close());

  test('P2.1 the table allows exactly the drawn transitions and refuses every other one', () => {
    const allowed: string[] = [];
    for (const s of states)
      for (const e of events) {
        try {
          allowed.push(`${s} -${e}-> ${next(s, e)}`);
        } catch (err) {
          assert.ok(illegal(err));
        }
      }
    assert.deepEqual(allowed, [
      'started -submit-> submitted',
      'started -expire-> expired',
      'submitted -match-> matched',
      'submitted -mismatch-> mismatched',
      'submitted -fail-> partner_error',
      'submitted -expire-> expired',
      'partner_error -retry-> submitted',
      'partner_error -expire-> expired',
    ]);
    assert.throws(() => next('matched', 'retry'), /no transition from matched on retry/);
    assert.throws(() => next('mismatched', 'match'), illegal);
    assert.throws(() => next('expired', 'retry'), illegal);
  });

  test('P2.1 an illegal transition of a stored attempt is refused and changes nothing', async () => {
    const runner = createAttemptRunner({ db: p.db, audit: p.audit, attemptsPerDay: 5 });
    const subjectId = await p.vault.createSubject('person');
    const row = await repo.insertAttempt(p.db, {
      subjectId,
      level: 2,
      method: 'population-registry',
      expiresAt: new Date(Date.now() + 60_000),
    });
    await p.db.tx((q) => runner.apply(q, row, 'submit'));
    await p.db.tx((q) => runner.apply(q, row, 'mismatch', { outcome: 'registry-mismatch' }));
    await assert.rejects(
      p.db.tx((q) => runner.apply(q, { ...row, state: 'mismatched' }, 'match')),
      (err: Error & { code?: string }) => err.code === 'verification.illegal_transition',
    );
    // A stale copy (someone else moved it meanwhile) is refused by the database guard.
    await assert.rejects(
      p.db.tx((q) => runner.apply(q, { ...row, state: 'submitted' }, 'match')),
      /changed meanwhile/,
    );
    assert.equal((await repo.attemptById(p.db, row.id))!.state, 'mismatched');
  });

  test('P2.1 an attempt left open past its time expires and cannot be retried', async () => {
    const subjectId = await p.vault.createSubject('person');
    const row = await repo.insertAttempt(p.db, {
      subjectId,
      level: 2,
      method: 'population-registry',
      expiresAt: new Date(Date.now() - 1000),
    });
    // Along the table (the trigger refuses a jump from started to partner_error).
    for (const state of ['submitted', 'partner_error'])
      await p.db.query(`UPDATE verification_attempt SET state = $2 WHERE id = $1`, [row.id, state]);
    const status = await p.verification.status(subjectId);
    assert.deepEqual(
      status.attempts.map((x) => [x.id, x.state]),
      [[row.id, 'expired']],
    );
    assert.equal(await repo.retryable(p.db, subjectId, 'population-registry'), undefined);
    const { rows } = await p.db.query<{ actor_type: string }>(
      `SELECT actor_type FROM audit_entry WHERE action = 'verification.expired' AND subject_id = $1`,
      [subjectId],
    );
    assert.deepEqual(rows, [{ actor_type: 'system' }]);
  });
});

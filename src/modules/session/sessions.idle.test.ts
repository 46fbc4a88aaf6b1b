/**
 * Invariant (P7.3): a citizen session ends after 2 hours without use, as well as 12 hours
 * after sign-in; using it moves the idle clock on, with at most one write a minute.
 *
 * The sessions service composed without HTTP; what a browser sees of an ended session (sent
 * to sign in again) is src/web/portal/security/security.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { compose, type Composed } from '../../../test/support/compose.ts';
import { registerFrom } from '../../../test/support/sign-in.ts';

let c: Composed<'identity' | 'sms' | 'sessions'>;

describe('citizen idle timeout', () => {
  before(async () => {
    c = await compose(['identity', 'sms', 'sessions']);
  });
  after(() => c.close());

  test('P7.3 a session unused for 2 hours ends; one used within them goes on, refreshed', async () => {
    const me = await registerFrom(c, '13900000031', 731);
    const use = () => c.sessions.sessionOf(me.token);
    const seen = async () =>
      (
        await c.db.query<{ idle: number }>(
          `SELECT extract(epoch FROM now() - last_seen_at)::int AS idle FROM citizen_session
            WHERE subject_id = $1`,
          [me.subjectId],
        )
      ).rows[0]!.idle;
    const idleFor = (minutes: number) =>
      c.db.query(
        `UPDATE citizen_session SET last_seen_at = now() - make_interval(mins => $2) WHERE subject_id = $1`,
        [me.subjectId, minutes],
      );

    await idleFor(119);
    assert.equal((await use())?.subjectId, me.subjectId, 'used within 2 hours: still signed in');
    assert.ok((await seen()) < 60, 'the use moved the idle clock on');

    await c.db.query(
      `UPDATE citizen_session SET last_seen_at = now() - interval '20 seconds' WHERE subject_id = $1`,
      [me.subjectId],
    );
    assert.ok(await use());
    assert.ok((await seen()) >= 20, 'a clock less than a minute old is not written again');

    await idleFor(121);
    assert.equal(await use(), undefined, 'unused for more than 2 hours: the session has ended');
  });
});

/**
 * Invariant (P7.3): a citizen session ends after 2 hours without use, as well as 12 hours
 * after sign-in; using it moves the idle clock on, with at most one write a minute.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client } from '../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';

let p: TestPlatform;

describe('citizen idle timeout', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
  });
  after(() => p.stop());

  test('P7.3 a session unused for 2 hours ends; one used within them goes on, refreshed', async () => {
    const c = await client(p).register('13900000031', 731);
    const page = () => fetch(`${p.url}/me/security`, { redirect: 'manual', headers: { cookie: c.session } });
    const seen = async () =>
      (
        await p.storage.db.query<{ idle: number }>(
          `SELECT extract(epoch FROM now() - last_seen_at)::int AS idle FROM citizen_session
            WHERE subject_id = $1`,
          [c.subjectId],
        )
      ).rows[0]!.idle;
    const idleFor = (minutes: number) =>
      p.storage.db.query(
        `UPDATE citizen_session SET last_seen_at = now() - make_interval(mins => $2) WHERE subject_id = $1`,
        [c.subjectId, minutes],
      );

    await idleFor(119);
    assert.equal((await page()).status, 200, 'used within 2 hours: still signed in');
    assert.ok((await seen()) < 60, 'the use moved the idle clock on');

    await p.storage.db.query(
      `UPDATE citizen_session SET last_seen_at = now() - interval '20 seconds' WHERE subject_id = $1`,
      [c.subjectId],
    );
    assert.equal((await page()).status, 200);
    assert.ok((await seen()) >= 20, 'a clock less than a minute old is not written again');

    await idleFor(121);
    const res = await page();
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location') ?? '', /^\/login\?next=/);
  });
});

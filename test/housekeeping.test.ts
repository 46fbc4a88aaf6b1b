/**
 * Invariant (P6.2 kept only while needed): expired provider rows (codes, tokens,
 * sessions), second-step challenges and used one-time codes are deleted by housekeeping;
 * anything still usable, and codes the daily sending limit still counts, stay.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { registerCitizen } from './support/citizens.ts';
import { startTestPlatform, type TestPlatform } from './support/platform.ts';

let p: TestPlatform;

describe('housekeeping', () => {
  before(async () => {
    p = await startTestPlatform();
  });
  after(() => p.stop());

  test('P6.2 expired sign-in state and provider rows are deleted; live ones stay', async () => {
    const person = await registerCitizen(p, '13900001111', '11010519491231002X');
    const db = p.storage.db;
    await db.query(
      `INSERT INTO oidc_model (kind, id, payload, expires_at) VALUES
         ('AccessToken', 'old', '{}', now() - interval '1 minute'),
         ('AccessToken', 'live', '{}', now() + interval '10 minutes')`,
    );
    await db.query(
      `INSERT INTO sign_in_challenge (token_hash, subject_id, first_factor, device, reasons, methods, expires_at)
       VALUES ('\\x01', $1, 'password', 'test', '{new-device}', '{sms}', now() - interval '1 minute'),
              ('\\x02', $1, 'password', 'test', '{new-device}', '{sms}', now() + interval '5 minutes')`,
      [person.subjectId],
    );
    // The registration code: used, but sent today, so the daily limit still counts it.
    await db.query(
      `INSERT INTO one_time_code (phone_token, purpose, code_hash, created_at, expires_at, consumed_at)
       VALUES ('\\x03', 'login', '\\x04', now() - interval '2 days', now() - interval '2 days', now() - interval '2 days')`,
    );
    const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM one_time_code')).rows[0]!.n;

    const swept = await p.housekeeping();
    assert.deepEqual(swept, { oidcRows: 1, signIns: 2, deliveries: 0, limits: 0 });
    const left = await db.query<{ id: string }>(
      `SELECT id FROM oidc_model WHERE kind = 'AccessToken' ORDER BY id`,
    );
    assert.deepEqual(
      left.rows.map((r) => r.id),
      ['live'],
    );
    const challenges = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sign_in_challenge');
    assert.equal(challenges.rows[0]!.n, 1);
    const codes = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM one_time_code');
    assert.equal(codes.rows[0]!.n, before - 1, 'only the two-day-old code went');
  });
});

/**
 * Invariant (P5.3.3, P7.3): the outbox migration (0017_notify_outbox.sql) loses no message owed to a person and sends
 * none twice: every disclosure notice becomes an outbox message due when it was (the
 * person is still told), without the order's reference; every login alert keeps whether
 * its SMS went, as a final outbox message the security page reads; parameters moved
 * satisfy the template catalogue; a kind of notice it does not know stops it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { listMigrations } from '../../kernel/db/migrate.ts';
import { isTemplate, specOf } from './notify.templates.ts';

/** Found by name: its number is whatever the merge gives it. */
const outbox = listMigrations().find((m) => m.name === 'notify_outbox')!;
let t: TestDatabase;
const person = '00000000-0000-4000-8000-000000000017';

describe('the outbox migration moves owed messages into the outbox', () => {
  before(async () => {
    t = await createTestDatabase('empty');
    for (const m of listMigrations().filter((m) => m.version < outbox.version)) await t.db.query(m.sql);
    await t.db.query(
      `INSERT INTO notice (subject_id, kind, payload, deliver_after, created_at) VALUES
         ($1, 'disclosure', '{"recipient":"tianhe-court","authority":"天河区人民法院","reference":"(2026)粤0106民初123号","fields":["name"]}',
          '2026-11-01T02:00:00Z', '2026-11-01T02:00:00Z'),
         ($1, 'disclosure', '{"recipient":"public-security","authority":"市公安局","reference":"穗公(2026)88号","fields":["phone"]}',
          '2099-01-01T00:00:00Z', '2026-11-02T02:00:00Z')`,
      [person],
    );
    await t.db.query(
      `INSERT INTO login_alert (subject_id, device, method, second_step, reasons, created_at, delivered_at) VALUES
         ($1, 'Chrome · Android', 'password', 'sms', '{new-device}', '2026-11-24T19:20:00Z', '2026-11-24T19:20:01Z'),
         ($1, 'Firefox · Windows', 'password', NULL, '{second-step-failures}', '2026-11-25T01:00:00Z', NULL),
         ($1, 'Safari · iOS', 'security-change', NULL, '{passkey-removed}', '2026-11-26T01:00:00Z', '2026-11-26T01:00:02Z')`,
      [person],
    );
  });
  after(() => t.drop());

  test('a notice of a kind the migration does not know stops it', async () => {
    const sql = outbox.sql;
    await t.db.query(
      `INSERT INTO notice (subject_id, kind, payload, deliver_after) VALUES ($1, 'breach', '{}', now())`,
      [person],
    );
    await assert.rejects(
      t.db.tx((q) => q.query(sql)),
      /notice rows of a kind other than disclosure/,
    );
    await t.db.query(`DELETE FROM notice WHERE kind = 'breach'`);
  });

  test('P5.3.3 P7.3 disclosure notices become due messages, login alerts keep whether they went', async () => {
    await t.db.tx((q) => q.query(outbox.sql));
    const { rows } = await t.db.query<{
      template: string;
      state: string;
      params: Record<string, string>;
      due: string;
      last_error: string | null;
    }>(
      `SELECT template, state, params, to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS due, last_error
         FROM notify_outbox ORDER BY created_at`,
    );
    assert.deepEqual(rows, [
      {
        template: 'disclosure-notice',
        state: 'pending',
        params: { time: '2026-11-01 10:00', recipient: 'tianhe-court' },
        due: '2026-11-01',
        last_error: null,
      },
      {
        template: 'disclosure-notice',
        state: 'pending',
        params: { time: '2026-11-02 10:00', recipient: 'public-security' },
        due: '2099-01-01',
        last_error: null,
      },
      {
        template: 'login-alert',
        state: 'sent',
        params: { time: '2026-11-25 03:20', device: 'Chrome · Android' },
        due: '2026-11-24',
        last_error: null,
      },
      {
        template: 'sign-in-attempts',
        state: 'failed',
        params: { time: '2026-11-25 09:00', device: 'Firefox · Windows' },
        due: '2026-11-25',
        last_error: 'before-outbox',
      },
      {
        template: 'security-change',
        state: 'sent',
        params: { time: '2026-11-26 09:00', change: 'passkey-removed' },
        due: '2026-11-26',
        last_error: null,
      },
    ]);
    for (const r of rows) {
      assert.ok(isTemplate(r.template));
      assert.ok(
        specOf(r.template).params.safeParse(r.params).success,
        `${r.template}: parameters fit the catalogue`,
      );
    }
    const linked = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM login_alert a JOIN notify_outbox o ON o.id = a.message_id`,
    );
    assert.equal(linked.rows[0]!.n, 3, 'every alert names its message');
    assert.equal((await t.db.query(`SELECT to_regclass('notice') AS t`)).rows[0]!.t, null, 'notice is gone');
  });
});

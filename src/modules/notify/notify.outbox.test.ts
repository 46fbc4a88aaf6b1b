/**
 * Invariant: the outbox sends each message at most once per claim and settles it by the
 * state table: a message whose gateway is down is retried with growing back-off, up to
 * its last attempt, and each failure is logged with codes, never the number; a person
 * without a phone is not retried; a channel that never answers holds up no other message;
 * two drains at once (two nodes) never send one message twice; the outbox holds no
 * destination; and the states move only along notify.lifecycle.ts, in SQL as well.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SmsUnavailable, type SmsGateway, type SmsMessage } from '../../adapters/sms.ts';
import { openDatabase, type Database } from '../../kernel/db/database.ts';
import { startPrivacyEngine, type PrivacyEngine } from '../../../test/support/privacy.ts';
import type { Actor } from '../vault/index.ts';
import { createSmsChannel } from './notify.sms.ts';
import { backoffSeconds, createNotifyService, type NotifyLog } from './notify.service.ts';
import { canMove, states, type OutboxState } from './notify.states.ts';

let e: PrivacyEngine;
let person: string;
let phoneless: string;
const PHONE = '13700000501';

/** A gateway the test steers: up, down (refuses), or hanging (never answers). */
class TestGateway implements SmsGateway {
  mode: 'up' | 'down' | 'hang' = 'up';
  /** Only these devices hang when `hang` (the others go through). */
  hangFor = new Set<string>();
  readonly sent: SmsMessage[] = [];
  async send(m: SmsMessage): Promise<{ messageId: string }> {
    // A turn of the event loop, as a network call takes: concurrent drains interleave.
    await new Promise((r) => setImmediate(r));
    const device = (m.params as { device?: string }).device ?? '';
    if (this.mode === 'down') throw new SmsUnavailable('status 503');
    if (this.mode === 'hang' && this.hangFor.has(device)) return new Promise(() => undefined);
    this.sent.push(m);
    return { messageId: `t-${this.sent.length}` };
  }
}

const logged: { level: string; detail: object; message: string }[] = [];
const log: NotifyLog = {
  debug: (detail, message) => logged.push({ level: 'debug', detail, message }),
  info: (detail, message) => logged.push({ level: 'info', detail, message }),
  warn: (detail, message) => logged.push({ level: 'warn', detail, message }),
  error: (detail, message) => logged.push({ level: 'error', detail, message }),
};

const alert = (subjectId: string, device: string) => ({
  subjectId,
  template: 'login-alert' as const,
  params: { time: '2026-11-25 03:20', device },
  locale: 'en',
});

const row = async (id: string) =>
  (
    await e.t.db.query<{ state: OutboxState; attempts: number; last_error: string | null; wait: number }>(
      `SELECT state, attempts, last_error, round(extract(epoch FROM next_attempt_at - now()))::int AS wait
         FROM notify_outbox WHERE notification_id = $1 AND channel = 'sms'`,
      [id],
    )
  ).rows[0]!;
/** Time passes: the message's back-off is over. */
const due = (id: string) =>
  e.t.db.query('UPDATE notify_outbox SET next_attempt_at = now() WHERE notification_id = $1', [id]);

describe('the notification outbox', () => {
  before(async () => {
    e = await startPrivacyEngine();
    person = await e.vault.createSubject('person');
    const self: Actor = { type: 'self', id: person, label: 'self' };
    await e.vault.write(
      person,
      { phone: PHONE },
      { source: 'user', purpose: 'service-provision', actor: self },
    );
    phoneless = await e.vault.createSubject('person');
  });
  after(() => e.close());

  test('P7.3 a message whose gateway is down is retried with back-off, then given up; the log has codes only', async () => {
    const gw = new TestGateway();
    const notify = createNotifyService({
      db: e.t.db,
      channels: [createSmsChannel({ vault: e.vault, sms: gw })],
      log,
      maxAttempts: 3,
    });
    const id = await notify.enqueue(e.t.db, alert(person, 'retry · test'));
    const stored = await e.t.db.query(
      `SELECT (SELECT row_to_json(o)::text FROM notify_outbox o WHERE notification_id = $1)
              || (SELECT row_to_json(n)::text FROM notification n WHERE id = $1) AS j`,
      [id],
    );
    assert.doesNotMatch(stored.rows[0]!.j as string, new RegExp(PHONE), 'the outbox holds no destination');

    gw.mode = 'down';
    logged.length = 0;
    assert.deepEqual(await notify.drainOutbox(), { claimed: 1, sent: 0, retrying: 1, failed: 0 });
    assert.deepEqual(await row(id), {
      state: 'retrying',
      attempts: 1,
      last_error: 'gateway-unavailable',
      wait: 30,
    });
    assert.deepEqual(
      await notify.drainOutbox(),
      { claimed: 0, sent: 0, retrying: 0, failed: 0 },
      'not before its time',
    );

    await due(id);
    await notify.drainOutbox();
    assert.deepEqual(await row(id), {
      state: 'retrying',
      attempts: 2,
      last_error: 'gateway-unavailable',
      wait: 60,
    });

    await due(id);
    assert.deepEqual(await notify.drainOutbox(), { claimed: 1, sent: 0, retrying: 0, failed: 1 });
    assert.equal((await row(id)).state, 'failed', 'the last attempt failed: given up');
    assert.deepEqual(
      (await notify.deliveryOf([id])).get(id),
      'failed',
      'what the person is shown: not delivered',
    );
    await due(id);
    gw.mode = 'up';
    assert.equal((await notify.drainOutbox()).claimed, 0, 'a failed message is final');
    assert.equal(gw.sent.length, 0);

    assert.deepEqual(
      logged.map((l) => [l.level, (l.detail as { code?: string }).code]),
      [
        ['warn', 'gateway-unavailable'],
        ['warn', 'gateway-unavailable'],
        ['error', 'gateway-unavailable'],
      ],
    );
    for (const l of logged) {
      assert.equal((l.detail as { messageId?: string }).messageId, id);
      assert.doesNotMatch(JSON.stringify(l), new RegExp(`${PHONE}|retry · test`), 'no number, no parameters');
    }
    assert.deepEqual(
      [1, 2, 3, 4, 8, 9].map(backoffSeconds),
      [30, 60, 120, 240, 3600, 3600],
      'exponential, at most an hour',
    );
  });

  test('P7.3 a message sent after a failure is sent once, and its number is read through the vault each time', async () => {
    const gw = new TestGateway();
    const notify = createNotifyService({
      db: e.t.db,
      channels: [createSmsChannel({ vault: e.vault, sms: gw })],
    });
    const before = (await e.vault.accessLog(person)).filter((a) => a.actorLabel === 'system:notify').length;
    const id = await notify.enqueue(e.t.db, alert(person, 'back · test'));
    gw.mode = 'down';
    await notify.drainOutbox();
    gw.mode = 'up';
    await due(id);
    assert.deepEqual(await notify.drainOutbox(), { claimed: 1, sent: 1, retrying: 0, failed: 0 });
    assert.deepEqual(gw.sent, [
      {
        to: PHONE,
        template: 'login-alert',
        params: { time: '2026-11-25 03:20', device: 'back · test' },
        locale: 'en',
      },
    ]);
    assert.deepEqual((await notify.deliveryOf([id])).get(id), 'sent');
    const reads = (await e.vault.accessLog(person)).filter((a) => a.actorLabel === 'system:notify');
    assert.equal(reads.length - before, 2, 'one recorded read per attempt');
    assert.equal(reads[0]!.purpose, 'account-security');
  });

  test('a person without a phone is not retried', async () => {
    const gw = new TestGateway();
    const notify = createNotifyService({
      db: e.t.db,
      channels: [createSmsChannel({ vault: e.vault, sms: gw })],
    });
    const id = await notify.enqueue(e.t.db, alert(phoneless, 'nobody · test'));
    assert.deepEqual(await notify.drainOutbox(), { claimed: 1, sent: 0, retrying: 0, failed: 1 });
    assert.equal((await row(id)).last_error, 'no-destination');
  });

  test('P7.3 a gateway that never answers fails that attempt and holds up no other message', async () => {
    const gw = new TestGateway();
    gw.mode = 'hang';
    gw.hangFor.add('hangs · test');
    const notify = createNotifyService({
      db: e.t.db,
      channels: [createSmsChannel({ vault: e.vault, sms: gw })],
      // Long beside a send that answers (a vault read and a gateway call, milliseconds),
      // so only the message that never gets an answer runs into it.
      deliveryTimeoutMs: 3000,
      leaseSeconds: 60,
    });
    const stuck = await notify.enqueue(e.t.db, alert(person, 'hangs · test'));
    const other = await notify.enqueue(e.t.db, alert(person, 'goes · test'));
    assert.deepEqual(await notify.drainOutbox(), { claimed: 2, sent: 1, retrying: 1, failed: 0 });
    assert.equal((await row(stuck)).last_error, 'timeout');
    assert.equal((await row(other)).state, 'sent');
  });

  test('P7.3 two drains at once, on two connections as two nodes, never send one message twice', async () => {
    const gw = new TestGateway();
    const otherNode: Database = openDatabase(e.t.url, 5);
    try {
      const a = createNotifyService({
        db: e.t.db,
        channels: [createSmsChannel({ vault: e.vault, sms: gw })],
      });
      const b = createNotifyService({
        db: otherNode,
        channels: [createSmsChannel({ vault: e.vault, sms: gw })],
      });
      const devices = Array.from({ length: 30 }, (_, i) => `node · ${i}`);
      for (const d of devices) await a.enqueue(e.t.db, alert(person, d));
      const drainAll = async (n: typeof a) => {
        let sent = 0;
        for (;;) {
          const r = await n.drainOutbox({ limit: 3 });
          if (r.claimed === 0) return sent;
          sent += r.sent;
        }
      };
      const [byA, byB] = await Promise.all([drainAll(a), drainAll(b)]);
      const got = gw.sent.map((m) => (m.params as { device: string }).device).sort();
      assert.deepEqual(got, [...devices].sort(), 'each message sent exactly once');
      assert.equal(byA + byB, 30);
      assert.ok(byA > 0 && byB > 0, `both drains took part (${byA}, ${byB})`);
    } finally {
      await otherNode.close();
    }
  });

  test('P7.3 a drain run keeps several loops claiming until nothing is due, sending each message once', async () => {
    const gw = new TestGateway();
    const notify = createNotifyService({
      db: e.t.db,
      channels: [createSmsChannel({ vault: e.vault, sms: gw })],
    });
    const devices = Array.from({ length: 23 }, (_, i) => `loop · ${i}`);
    for (const d of devices) await notify.enqueue(e.t.db, alert(person, d));
    const run = await notify.drainUntilEmpty({ workers: 3, batch: 4, budgetMs: 60_000 });
    assert.equal(run.sent, 23);
    assert.deepEqual(
      gw.sent.map((m) => (m.params as { device: string }).device).sort(),
      [...devices].sort(),
      'all of them, each once, in one run',
    );
    assert.equal((await notify.drainUntilEmpty({ workers: 3, batch: 4, budgetMs: 60_000 })).claimed, 0);
  });

  test('the states move only along the lifecycle table, in SQL as in notify.lifecycle.ts', async () => {
    const db = e.t.db;
    const notify = createNotifyService({ db });
    /** A message brought to `s` by allowed transitions. */
    const inState = async (s: OutboxState): Promise<string> => {
      const id = await notify.enqueue(db, alert(person, 'states · test'));
      // Parked far in the future, so no drain of another test takes it.
      await db.query(
        `UPDATE notify_outbox SET next_attempt_at = now() + interval '1 day' WHERE notification_id = $1`,
        [id],
      );
      if (s === 'pending') return id;
      await db.query(`UPDATE notify_outbox SET state = 'sending' WHERE notification_id = $1`, [id]);
      if (s !== 'sending')
        await db.query(
          `UPDATE notify_outbox SET state = $2, sent_at = CASE WHEN $2 = 'sent' THEN now() END WHERE notification_id = $1`,
          [id, s],
        );
      return id;
    };
    const disagreements: string[] = [];
    for (const from of states) {
      for (const to of states) {
        if (from === to) continue;
        const id = await inState(from);
        const allowed = await db
          .query(
            `UPDATE notify_outbox SET state = $2, sent_at = CASE WHEN $2 = 'sent' THEN now() END WHERE notification_id = $1`,
            [id, to],
          )
          .then(
            () => true,
            (err: Error) => {
              assert.match(err.message, /lifecycle notify-outbox: no transition from/);
              return false;
            },
          );
        if (allowed !== canMove(from, to))
          disagreements.push(`${from} → ${to}: SQL ${allowed ? 'allows' : 'refuses'}`);
      }
    }
    assert.deepEqual(disagreements, []);
    await assert.rejects(
      db.query(
        `WITH n AS (INSERT INTO notification (subject_id, template, kind, locale)
                    VALUES ($1, 'login-alert', 'security', 'en') RETURNING id, subject_id)
         INSERT INTO notify_outbox (notification_id, subject_id, channel, state)
         SELECT id, subject_id, 'sms', 'sent' FROM n`,
        [person],
      ),
      /lifecycle notify-outbox: a new row in sent refused/,
    );
  });
});

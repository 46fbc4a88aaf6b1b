/**
 * Invariant (P5.3.3): the notice a disclosure owes the person goes through every channel of
 * the notification core, and only when it may: under a recorded restriction it is neither in
 * the person's inbox nor handed to any channel (SMS, mail, push) before the restriction ends,
 * and it is then; without a restriction it is shown and sent at once.
 *
 * The channels are the outbox's channel port (notify.channel.ts) with recording fakes, so
 * what each channel would send is seen without a gateway. The person is made reachable by
 * mail and push the way notify.reach.ts decides it (its SQL, set for this file), since the
 * e-mail addresses and push subscriptions that make it so in production are other tables.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startPrivacyEngine, type PrivacyEngine } from '../../../test/support/privacy.ts';
import { createNotifyService, type Channel, type ChannelId, type NotifyService } from '../notify/index.ts';
import { reachableSql } from '../notify/notify.reach.ts';
import { staffActor, type Actor } from '../vault/index.ts';
import { createSharingService, type SharingService } from './index.ts';

let e: PrivacyEngine;
let notify: NotifyService;
let sharing: SharingService;
let person: string;
const officer = staffActor({ id: 'dpo-1', role: 'dpo' });
const handed: { channel: ChannelId; notificationId: string; template: string }[] = [];
const reach = { ...reachableSql };

const port = (id: ChannelId): Channel => ({
  id,
  async deliver(m) {
    handed.push({ channel: id, notificationId: m.notificationId, template: m.template });
    return { ok: true };
  },
});

const disclose = (restrictedUntil?: Date) =>
  sharing.disclose({
    subjectId: person,
    recipient: 'public-security',
    fields: ['name'],
    order: { authority: '市公安局', reference: '穗公(2026)88号' },
    ...(restrictedUntil ? { restrictedUntil } : {}),
    locale: 'en',
    by: officer,
  });

/** The deliveries of the person's newest disclosure notice, per channel, with their due time. */
const deliveries = async () =>
  (
    await e.t.db.query<{ id: string; channel: ChannelId; due: Date; visible: Date }>(
      `SELECT n.id, o.channel, o.due_at AS due, n.visible_from AS visible
         FROM notification n JOIN notify_outbox o ON o.notification_id = n.id
        WHERE n.subject_id = $1 AND n.template = 'disclosure-notice'
          AND n.created_at = (SELECT max(created_at) FROM notification WHERE subject_id = $1)
        ORDER BY o.channel`,
      [person],
    )
  ).rows;

describe('disclosure notices through the channels', () => {
  before(async () => {
    reachableSql.mail = 'true';
    reachableSql.push = 'true';
    e = await startPrivacyEngine();
    notify = createNotifyService({ db: e.t.db, channels: [port('sms'), port('mail'), port('push')] });
    sharing = createSharingService({
      db: e.t.db,
      audit: e.audit,
      vault: e.vault,
      consent: e.consent,
      notify,
      residencyRegion: 'CN',
    });
    person = await e.vault.createSubject('person');
    const self: Actor = { type: 'self', id: person, label: 'self' };
    await e.vault.write(
      person,
      { name: '张伟', phone: '13700000001' },
      { source: 'user', purpose: 'service-provision', actor: self },
    );
  });
  after(async () => {
    Object.assign(reachableSql, reach);
    await e.close();
  });

  test('P5.3.3: under a recorded restriction the notice is not in the inbox nor sent by SMS, mail or push before it ends, and is then', async () => {
    const until = new Date(Date.now() + 1500);
    await disclose(until);
    const rows = await deliveries();
    assert.deepEqual(
      rows.map((r) => r.channel),
      ['mail', 'push', 'sms'],
      'one delivery per channel that reaches the person',
    );
    for (const r of rows) {
      assert.equal(r.due.getTime(), until.getTime(), `${r.channel} is due when the restriction ends`);
      assert.equal(r.visible.getTime(), until.getTime());
    }

    assert.deepEqual(await notify.inbox(person, 'en'), [], 'not in the inbox while restricted');
    assert.equal(await notify.unreadCount(person), 0);
    const early = await notify.drainOutbox({ limit: 50 });
    assert.equal(early.claimed, 0);
    assert.equal(handed.length, 0, 'no channel was handed it');

    await new Promise((r) => setTimeout(r, until.getTime() - Date.now() + 100));
    const [shown] = await notify.inbox(person, 'en');
    assert.equal(shown!.template, 'disclosure-notice');
    assert.match(shown!.text, /disclosed some of your data to public-security under a legal order/);
    assert.equal(await notify.unreadCount(person), 1);
    const due = await notify.drainOutbox({ limit: 50 });
    assert.equal(due.sent, 3);
    assert.deepEqual(
      handed.map((h) => [h.channel, h.notificationId, h.template]).sort(),
      rows.map((r) => [r.channel, r.id, 'disclosure-notice']).sort(),
      'each channel is handed it once, when the restriction ended',
    );
  });

  test('P5.3.3: without a restriction the notice is in the inbox and goes out at once', async () => {
    handed.length = 0;
    await notify.markRead(person, 'all');
    await disclose();
    const rows = await deliveries();
    assert.equal(rows.length, 3);
    assert.equal(await notify.unreadCount(person), 1, 'in the inbox at once');
    const result = await notify.drainOutbox({ limit: 50 });
    assert.equal(result.sent, 3);
    assert.deepEqual(handed.map((h) => h.channel).sort(), ['mail', 'push', 'sms']);
    assert.ok(handed.every((h) => h.notificationId === rows[0]!.id));
  });
});

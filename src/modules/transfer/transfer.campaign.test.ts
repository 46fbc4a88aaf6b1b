/**
 * Invariant (P5.3.2): before a merger, an acquisition or a change of operator moves people's
 * data, every affected person, and no one else, is told; the transfer is refused (409,
 * P5.3.2) before the notice went out and until its notice period has passed since then, a
 * cancelled campaign never transfers, sending the notice again tells nobody twice, and every
 * step is in the audit chain. Time moves through the clock seam (manualTime), never by waiting.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { manualTime, useTimeSource } from '../../kernel/clock.ts';
import { startPrivacyEngine, type PrivacyEngine } from '../../../test/support/privacy.ts';
import { testShown } from '../../../test/support/policy.ts';
import { createNotifyService, type NotifyService } from '../notify/index.ts';
import { createTransferService, type DraftInput, type TransferService } from './index.ts';

const DAY = 86_400_000;
const dpo = { id: 'dpo-1', role: 'dpo' };
const day = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

let e: PrivacyEngine;
let notify: NotifyService;
let transfer: TransferService;
let people: string[];
const time = manualTime(Date.now());
let restore: () => void;

const refusedWith = (code: string, clause?: string) => (err: Error & { code?: string; clause?: string }) => {
  assert.equal(err.code, code);
  if (clause) assert.equal(err.clause, clause);
  return true;
};

const draft = (over: Partial<DraftInput> = {}): DraftInput => ({
  recipientName: '粤政数据服务有限公司',
  recipientCreditCode: '91440300MA5D0C7EXQ',
  reason: 'operator-change',
  categories: ['identity', 'contact'],
  scope: 'explicit',
  subjectIds: people.slice(0, 3),
  plannedFor: day(time.now() + 40 * DAY),
  ...over,
});

const told = async (key: string) =>
  (
    await e.t.db.query<{ subject_id: string }>(
      `SELECT n.subject_id FROM notification n JOIN notify_notice nn ON nn.id = n.notice_id
        WHERE nn.key = $1 ORDER BY n.subject_id`,
      [key],
    )
  ).rows.map((r) => r.subject_id);

const actions = async (id: string) =>
  (
    await e.t.db.query<{ action: string; clause: string | null }>(
      `SELECT action, clause FROM audit_entry WHERE subject_type = 'transfer-campaign' AND subject_id = $1 ORDER BY id`,
      [id],
    )
  ).rows;

describe('transfer campaigns', () => {
  before(async () => {
    restore = useTimeSource(time);
    e = await startPrivacyEngine();
    notify = createNotifyService({ db: e.t.db });
    people = [];
    for (let i = 0; i < 5; i++) people.push(await e.vault.createSubject('person'));
    people.sort();
    // One of them reads English: their copy of the notice is in English.
    await e.t.db.query(`INSERT INTO notify_person (subject_id, locale) VALUES ($1, 'en')`, [people[0]]);
    transfer = createTransferService({
      db: e.t.db,
      audit: e.audit,
      notify,
      vault: e.vault,
      consent: e.consent,
      registry: { list: async () => [{ clientId: 'tax-portal', serviceSlug: 'tax-filing' }] as never },
      catalogue: {
        list: async () =>
          [
            { id: 'd', slug: 'tax', name: {}, services: [{ slug: 'tax-filing', name: {}, summary: {} }] },
          ] as never,
      },
      defaultNoticeDays: 30,
      // Small batches, so every computation here crosses several.
      batchSize: 2,
    });
  });
  after(async () => {
    restore();
    await e.close();
  });

  test('P5.3.2: the notice reaches exactly the affected people; the transfer is refused before the notice and during the period, and recorded after it', async () => {
    const c = await transfer.draft(draft(), dpo);
    assert.equal(c.state, 'drafted');
    assert.equal(c.noticeDays, 30, 'the configured default');
    assert.deepEqual(await transfer.affected(c.id), { people: 3, objected: 0 });

    await assert.rejects(
      transfer.recordTransfer(c.id, { reference: 'HO-2026-01' }, dpo),
      refusedWith('transfer.not_notified', 'P5.3.2'),
    );
    assert.deepEqual(await told(`transfer:${c.id}`), [], 'nobody was told by a refusal');

    const sent = await transfer.sendNotice(c.id, dpo);
    assert.deepEqual(sent, { told: 3, people: 3 });
    assert.deepEqual(await told(`transfer:${c.id}`), people.slice(0, 3), 'exactly the affected people');
    const [entry] = await notify.inbox(people[0]!, 'en');
    assert.equal(entry!.template, 'transfer-notice');
    assert.equal(entry!.kind, 'legal');
    assert.match(entry!.text, /粤政数据服务有限公司 \(unified social credit code 91440300MA5D0C7EXQ\)/);
    assert.match(entry!.text, /Because of a change of operator/);
    assert.match(entry!.text, /Identity, Contact details/);
    assert.match(entry!.text, new RegExp(`on ${c.plannedFor}`));
    assert.match(entry!.text, /object, withdraw your consent or close your account/);
    assert.deepEqual(await notify.inbox(people[4]!, 'en'), [], 'someone not affected is not told');
    const progress = await transfer.progress(c.id);
    assert.equal(progress!.people, 3);
    assert.deepEqual(
      progress!.byChannel.map((b) => [b.channel, b.state, b.n]),
      [['sms', 'pending', 3]],
      'one SMS each (the only channel that reaches them here), queued',
    );

    const notified = await transfer.get(c.id);
    assert.equal(notified.state, 'notified');
    assert.equal(notified.transferableFrom!.getTime(), notified.notifiedAt!.getTime() + 30 * DAY);

    time.advance(29 * DAY);
    await assert.rejects(
      transfer.recordTransfer(c.id, { reference: 'HO-2026-01' }, dpo),
      (err: Error & { code?: string; clause?: string; detail?: string }) => {
        assert.equal(err.code, 'transfer.notice_period_running');
        assert.equal(err.clause, 'P5.3.2');
        assert.equal(err.detail, notified.transferableFrom!.toISOString(), 'says when it becomes possible');
        return true;
      },
    );
    assert.equal((await transfer.get(c.id)).state, 'notified');

    time.advance(DAY);
    const done = await transfer.recordTransfer(c.id, { reference: 'HO-2026-01' }, dpo);
    assert.equal(done.state, 'transferred');
    assert.equal(done.transferReference, 'HO-2026-01');
    assert.deepEqual(await actions(c.id), [
      { action: 'transfer.campaign_drafted', clause: 'P5.3.2' },
      { action: 'transfer.transfer_refused', clause: 'P5.3.2' },
      { action: 'transfer.notice_sent', clause: 'P5.3.2' },
      { action: 'transfer.transfer_refused', clause: 'P5.3.2' },
      { action: 'transfer.notice_period_ended', clause: 'P5.3.2' },
      { action: 'transfer.transferred', clause: 'P5.3.2' },
    ]);
    await assert.rejects(
      transfer.recordTransfer(c.id, { reference: 'again' }, dpo),
      refusedWith('transfer.illegal_transition'),
    );
  });

  test('P5.3.2: sending the notice again tells nobody twice and does not restart the period', async () => {
    const c = await transfer.draft(draft({ subjectIds: people.slice(1, 4) }), dpo);
    assert.equal((await transfer.sendNotice(c.id, dpo)).told, 3);
    const first = (await transfer.get(c.id)).notifiedAt!;
    time.advance(DAY);
    assert.deepEqual(await transfer.sendNotice(c.id, dpo), { told: 0, people: 3 });
    assert.deepEqual(await told(`transfer:${c.id}`), people.slice(1, 4));
    assert.equal((await transfer.get(c.id)).notifiedAt!.getTime(), first.getTime());
    const { rows } = await e.t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notify_outbox o JOIN notification n ON n.id = o.notification_id
         JOIN notify_notice nn ON nn.id = n.notice_id WHERE nn.key = $1`,
      [`transfer:${c.id}`],
    );
    assert.equal(rows[0]!.n, 3, 'one delivery per person, not two');
  });

  test('P5.3.2: a cancelled campaign can never transfer, nor be sent', async () => {
    const c = await transfer.draft(draft(), dpo);
    await transfer.sendNotice(c.id, dpo);
    await transfer.cancel(c.id, dpo);
    time.advance(60 * DAY);
    await assert.rejects(
      transfer.recordTransfer(c.id, { reference: 'HO-X' }, dpo),
      refusedWith('transfer.cancelled', 'P5.3.2'),
    );
    await assert.rejects(transfer.sendNotice(c.id, dpo), refusedWith('transfer.cancelled', 'P5.3.2'));
    await assert.rejects(
      e.t.db.query(
        `UPDATE transfer_campaign SET state = 'transferred', transferred_at = now() WHERE id = $1`,
        [c.id],
      ),
      /lifecycle transfer-campaign/,
      'the database refuses it too',
    );
  });

  test('P5.3.2: all people and the people of a service are computed through their owners, in batches', async () => {
    const all = await transfer.draft(draft({ scope: 'all', subjectIds: undefined }), dpo);
    assert.deepEqual(await transfer.affected(all.id), { people: 5, objected: 0 });
    const shown = await testShown(e.t.db, 'use by tax-filing');
    for (const subjectId of [people[1]!, people[3]!, people[4]!]) {
      await e.consent.give(
        {
          subjectId,
          kind: 'use',
          purpose: 'service-provision',
          categories: ['identity'],
          recipient: { type: 'department', id: 'tax-portal' },
          channel: 'sso-consent-screen',
          shown,
        },
        { type: 'self', id: subjectId },
      );
    }
    const service = await transfer.draft(
      draft({ scope: 'service', serviceSlug: 'tax-filing', subjectIds: undefined }),
      dpo,
    );
    assert.deepEqual(await transfer.affected(service.id), { people: 3, objected: 0 });
    assert.deepEqual(await transfer.sendNotice(service.id, dpo), { told: 3, people: 3 });
    assert.deepEqual(await told(`transfer:${service.id}`), [people[1], people[3], people[4]].sort());
    await assert.rejects(
      transfer.draft(draft({ scope: 'service', serviceSlug: 'no-such-service' }), dpo),
      refusedWith('transfer.invalid_campaign', 'P5.3.2'),
    );
  });

  test('P5.3.2: a person who objects is left out of the transfer', async () => {
    const c = await transfer.draft(draft(), dpo);
    await assert.rejects(
      transfer.object(c.id, people[0]!, { type: 'citizen', id: people[0]! }),
      refusedWith('transfer.illegal_transition'),
      'no objection to a notice nobody received',
    );
    await transfer.sendNotice(c.id, dpo);
    await transfer.object(c.id, people[0]!, { type: 'citizen', id: people[0]! });
    await assert.rejects(
      transfer.object(c.id, people[4]!, { type: 'citizen', id: people[4]! }),
      refusedWith('transfer.unknown_people'),
    );
    assert.deepEqual(await transfer.affected(c.id), { people: 3, objected: 1 });
    time.advance(30 * DAY);
    await transfer.recordTransfer(c.id, { reference: 'HO-2' }, dpo);
    const { rows } = await e.t.db.query<{ detail: { people: number; objected: number } }>(
      `SELECT detail FROM audit_entry WHERE action = 'transfer.transferred' AND subject_id = $1`,
      [c.id],
    );
    assert.equal(rows[0]!.detail.people, 2);
    assert.equal(rows[0]!.detail.objected, 1);
  });

  test('P5.3.2: a draft is refused when its date comes before the period could end, names unknown people, or is not the DPO’s', async () => {
    const soon = await transfer.draft(draft({ plannedFor: day(time.now() + 10 * DAY) }), dpo);
    await assert.rejects(
      transfer.sendNotice(soon.id, dpo),
      refusedWith('transfer.planned_too_soon', 'P5.3.2'),
    );
    assert.deepEqual(await told(`transfer:${soon.id}`), []);
    await assert.rejects(
      transfer.draft(draft({ subjectIds: [people[0]!, '00000000-0000-4000-8000-000000000000'] }), dpo),
      refusedWith('transfer.unknown_people', 'P5.3.2'),
    );
    await assert.rejects(
      transfer.draft(draft({ recipientCreditCode: '91440300MA5D0C7EXA' }), dpo),
      refusedWith('transfer.invalid_campaign'),
    );
    await assert.rejects(
      transfer.draft(draft(), { id: 'support-1', role: 'support' }),
      refusedWith('transfer.forbidden', 'P7.2'),
    );
  });
});

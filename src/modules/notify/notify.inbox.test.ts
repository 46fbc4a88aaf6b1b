/**
 * Invariant: every message lands in the person's inbox, in the reader's language, newest
 * first, and nobody else's; it goes by the channels the person chose for its kind that can
 * reach them, and a mandatory kind always reaches them (SMS when nothing chosen can); a
 * notice to many people reaches each once however often it is sent, in their language; a
 * drill writes nothing; a message held back (a restricted disclosure) is neither shown nor
 * sent before its time.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../kernel/errors.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { createNotifyService, type NotifyService } from './notify.service.ts';

let t: TestDatabase;
let notify: NotifyService;

const alert = (subjectId: string, device: string, locale = 'en') => ({
  subjectId,
  template: 'login-alert' as const,
  params: { time: '2026-11-25 03:20', device },
  locale,
});

/** The channels each of a person's messages went by, oldest first. */
const channelsOf = async (subjectId: string): Promise<string[][]> =>
  (
    await t.db.query<{ channels: string[] }>(
      `SELECT COALESCE(array_agg(o.channel ORDER BY o.channel) FILTER (WHERE o.id IS NOT NULL), '{}') AS channels
         FROM notification n LEFT JOIN notify_outbox o ON o.notification_id = n.id
        WHERE n.subject_id = $1 GROUP BY n.id, n.created_at ORDER BY n.created_at`,
      [subjectId],
    )
  ).rows.map((r) => r.channels);

describe('the inbox and the choice of channels', () => {
  before(async () => {
    t = await createTestDatabase();
    notify = createNotifyService({ db: t.db });
  });
  after(() => t.drop());

  test('every message lands in the inbox, newest first, in the reader’s language, and only the owner’s', async () => {
    const me = randomUUID();
    const other = randomUUID();
    const first = await notify.enqueue(t.db, alert(me, 'Chrome · Android'));
    await t.db.query(`UPDATE notification SET visible_from = now() - interval '1 minute' WHERE id = $1`, [
      first,
    ]);
    const second = await notify.enqueue(t.db, alert(me, 'Firefox · Linux'));
    const theirs = await notify.enqueue(t.db, alert(other, 'Safari · iOS'));

    const inbox = await notify.inbox(me, 'cs');
    assert.deepEqual(
      inbox.map((m) => m.id),
      [second, first],
      'newest first, none of another person’s',
    );
    assert.equal(inbox[0]!.title, 'Nové přihlášení k vašemu účtu');
    assert.match(inbox[0]!.text, /ze zařízení Firefox · Linux/);
    assert.deepEqual(inbox[0]!.deliveries, [{ channel: 'sms', state: 'pending' }]);
    assert.equal((await notify.inbox(me, 'zh-CN'))[0]!.title, '新设备登录提醒');

    const page = await notify.inbox(me, 'en', { limit: 1 });
    assert.deepEqual(
      (await notify.inbox(me, 'en', { before: { at: page[0]!.at, id: page[0]!.id } })).map((m) => m.id),
      [first],
      'the next page starts after the last one shown',
    );

    assert.equal(await notify.unreadCount(me), 2);
    assert.equal(await notify.markRead(me, theirs), 0, 'another person’s message is not touched');
    assert.equal((await notify.inbox(other, 'en'))[0]!.read, false);
    assert.equal(
      await notify.markRead(me, 'not-a-message'),
      0,
      'a tampered id marks nothing and breaks nothing',
    );
    assert.equal(
      (await notify.inbox(me, 'en', { before: { at: new Date('nonsense'), id: 'x' } })).length,
      2,
      'a tampered cursor starts at the top',
    );
    assert.equal(await notify.markRead(me, first), 1);
    assert.deepEqual(
      (await notify.inbox(me, 'en')).map((m) => m.read),
      [false, true],
    );
    assert.equal(await notify.markRead(me, 'all'), 1);
    assert.equal(await notify.unreadCount(me), 0);
  });

  test('P7.3 a mandatory kind cannot be switched off; when no chosen channel can reach the person it goes by SMS', async () => {
    const me = randomUUID();
    const before = await notify.preferences(me);
    assert.deepEqual(
      before.kinds.map((k) => [k.kind, k.mandatory, k.channels.join('+'), k.chosen]),
      [
        ['security', true, 'sms+mail+push', false],
        ['incident', true, 'sms+mail+push', false],
        ['legal', true, 'sms+mail+push', false],
        ['policy', false, 'mail+push', false],
        ['service', false, 'push', false],
        ['survey', false, '', false],
      ],
    );
    await assert.rejects(
      notify.choose(me, 'security', []),
      (err: unknown) => err instanceof AppError && err.code === 'notify.mandatory_needs_channel',
    );
    await notify.choose(me, 'survey', []);
    await notify.choose(me, 'security', ['mail']);
    assert.deepEqual(
      (await notify.preferences(me)).kinds.find((k) => k.kind === 'security'),
      { kind: 'security', mandatory: true, channels: ['mail'], chosen: true },
    );
    // Nobody can be reached by mail without an address: the alert still reaches the person.
    await notify.enqueue(t.db, alert(me, 'Chrome · Android'));
    assert.deepEqual(await channelsOf(me), [['sms']]);
    await notify.choose(me, 'security', ['sms', 'push']);
    await notify.enqueue(t.db, alert(me, 'Edge · Windows'));
    assert.deepEqual((await channelsOf(me)).at(-1), ['sms'], 'push cannot reach them yet: SMS, as chosen');
  });

  test('a notice to many reaches each person once, in their language, however often it is sent; a drill writes nothing', async () => {
    const people = Array.from({ length: 50 }, () => randomUUID());
    // One of them has written to us in Czech before: their copy speaks Czech.
    await notify.enqueue(t.db, alert(people[0]!, 'Chrome · Android', 'cs'));
    await notify.choose(people[1]!, 'incident', ['push']);
    const notice = {
      key: `test:${randomUUID()}`,
      template: 'disclosure-notice' as const,
      params: { time: '2026-12-01 10:00', recipient: '天河区人民法院' },
    };
    const drill = await notify.fanOut(t.db, { ...notice, key: `${notice.key}:drill`, drill: true }, people);
    assert.deepEqual(
      [drill.drill, drill.notifications, drill.deliveries],
      [true, 50, { sms: 50 }],
      'a drill counts what would go',
    );
    const written = async () =>
      (
        await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM notification n JOIN notify_notice nn ON nn.id = n.notice_id WHERE nn.key = $1`,
          [`${notice.key}:drill`],
        )
      ).rows[0]!.n;
    assert.equal(await written(), 0, 'and writes nothing');

    const firstHalf = await notify.fanOut(t.db, notice, people.slice(0, 30));
    const again = await notify.fanOut(t.db, notice, people);
    assert.equal(firstHalf.notifications, 30);
    assert.equal(again.notifications, 20, 'those who had it are skipped');
    assert.deepEqual(again.deliveries, { sms: 20 });
    const progress = await notify.noticeProgress(notice.key);
    assert.deepEqual(progress?.people, 50);
    assert.deepEqual(progress?.byChannel, [{ channel: 'sms', state: 'pending', n: 50 }]);

    const czech = await t.db.query<{ locale: string }>(
      `SELECT n.locale FROM notification n JOIN notify_notice nn ON nn.id = n.notice_id
        WHERE nn.key = $1 AND n.subject_id = $2`,
      [notice.key, people[0]],
    );
    assert.deepEqual(czech.rows, [{ locale: 'cs' }]);
    const [mine] = await notify.inbox(people[0]!, 'cs');
    assert.match(mine!.text, /příjemci 天河区人民法院/, 'the shared parameters fill the text');
  });

  test('P7.2i.notify: an incident notice shows each reader the language they read in, zh-CN where it was not translated', async () => {
    const me = randomUUID();
    const zh = (text: string) => ({ 'zh-CN': text });
    await notify.fanOut(
      t.db,
      {
        key: `incident:${randomUUID()}`,
        template: 'incident-notice',
        params: {
          what: {
            'zh-CN': '短信服务商的日志被未授权访问。',
            en: 'The SMS provider’s logs were read without authorisation.',
          },
          data: zh('手机号码'),
          cause: zh('服务商的访问密钥泄露。'),
          harm: zh('可能收到诈骗短信。'),
          measures: zh('已更换密钥并停止向该服务商发送。'),
          advice: zh('警惕冒充客服的短信；在“谁访问了我的数据”中查看记录。'),
          contact: zh('拨打 12345'),
        },
      },
      [me],
    );
    const [inEnglish] = await notify.inbox(me, 'en');
    assert.equal(inEnglish!.title, 'Civitas security incident notice');
    assert.match(
      inEnglish!.text,
      /^What happened: The SMS provider’s logs were read without authorisation\.\n/,
    );
    assert.match(inEnglish!.text, /\nWhich of your information: 手机号码\n/);
    assert.deepEqual(
      inEnglish!.deliveries,
      [],
      'nothing can reach this person by mail or push: the inbox has it',
    );
  });

  test('P5.3.3 a message held back is neither in the inbox nor due on any channel before its time', async () => {
    const me = randomUUID();
    const until = new Date(Date.now() + 3600_000);
    const id = await notify.enqueue(t.db, {
      subjectId: me,
      template: 'disclosure-notice',
      params: { time: '2026-12-01 10:00', recipient: '市公安局' },
      locale: 'zh-CN',
      due: until,
    });
    assert.deepEqual(await notify.inbox(me, 'zh-CN'), []);
    assert.equal(await notify.unreadCount(me), 0);
    assert.equal(await notify.markRead(me, id), 0);
    const { rows } = await t.db.query<{ due: Date }>(
      'SELECT next_attempt_at AS due FROM notify_outbox WHERE notification_id = $1',
      [id],
    );
    assert.deepEqual(
      rows.map((r) => r.due.getTime()),
      [until.getTime()],
    );
  });
});

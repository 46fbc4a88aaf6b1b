/**
 * Invariant (P7.2i, the announcement part; P9 notices next issue): a published announcement
 * is shown to every reader, signed in or not, in the reader's language, from its start until
 * it expires or is withdrawn; a person who dismissed it no longer sees it, and nobody else's
 * view changes; a drill is never shown to citizens; publishing the same key again writes
 * nothing new; publish, withdraw and dismiss are each in the audit chain. Time moves through
 * the clock seam (manualTime), never by waiting.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { compose, type Composed } from '../../../test/support/compose.ts';
import { manualTime, useTimeSource } from '../../kernel/clock.ts';
import { mayPublishAnnouncements, type PublishInput } from './index.ts';

const DAY = 86_400_000;
const officer = { id: 'staff-sec-1', role: 'security_officer' };
const time = manualTime(Date.now());
let restore: () => void;
let c: Composed<'announce' | 'vault'>;
let alice: string;
let bob: string;

const texts = (tag: string) => ({
  'zh-CN': { title: `系统维护${tag}`, text: `周六凌晨系统维护${tag}。` },
  en: { title: `Maintenance ${tag}`, text: `Maintenance on Saturday night ${tag}.` },
  cs: { title: `Údržba ${tag}`, text: `Údržba v sobotu v noci ${tag}.` },
});

const incident = (key: string, over: Partial<PublishInput> = {}): PublishInput =>
  ({
    key,
    kind: 'incident',
    template: 'incident-notice',
    params: {
      what: { 'zh-CN': '未经授权的访问', en: 'Unauthorised access' },
      data: { 'zh-CN': '手机号码' },
      cause: { 'zh-CN': '合作方凭据泄露' },
      harm: { 'zh-CN': '可能收到诈骗短信' },
      measures: { 'zh-CN': '已吊销凭据' },
      advice: { 'zh-CN': '请重置密码' },
      contact: { 'zh-CN': '12345' },
    },
    expiresAt: new Date(time.now() + 7 * DAY),
    drill: false,
    by: officer,
    ...over,
  }) as PublishInput;

const auditOf = async (id: string) =>
  (
    await c.db.query<{ action: string; clause: string | null; actor_type: string }>(
      `SELECT action, clause, actor_type FROM audit_entry WHERE subject_type = 'announcement' AND subject_id = $1 ORDER BY id`,
      [id],
    )
  ).rows;

before(async () => {
  restore = useTimeSource(time);
  c = await compose(['announce', 'vault']);
  alice = await c.vault.createSubject('person');
  bob = await c.vault.createSubject('person');
});
after(async () => {
  restore?.();
  await c?.close();
});

describe('announcements', () => {
  test('P7.2i.notify: an incident announcement is shown to everybody, signed in or out, in each reader’s language, zh-CN where not translated', async () => {
    const { id } = await c.db.tx((q) => c.announce.publish(q, incident(`incident:${randomUUID()}`)));
    const signedOut = await c.announce.active(null, 'en');
    const mine = signedOut.find((a) => a.id === id);
    assert.ok(mine);
    assert.equal(mine.kind, 'incident');
    assert.equal(mine.title, 'Civitas security incident notice');
    assert.match(mine.text, /What happened: Unauthorised access/);
    assert.match(mine.text, /Which of your information: 手机号码/);
    const zh = (await c.announce.active(alice, 'zh-CN')).find((a) => a.id === id)!;
    assert.equal(zh.title, 'Civitas 安全事件通知');
    assert.match(zh.text, /发生了什么：未经授权的访问/);
    const cs = (await c.announce.active(bob, 'cs')).find((a) => a.id === id)!;
    assert.equal(cs.title, 'Oznámení o bezpečnostním incidentu v Civitas');
    assert.deepEqual(
      (await auditOf(id)).map((a) => [a.action, a.clause, a.actor_type]),
      [['announce.published', 'P7.2i', 'staff']],
    );
  });

  test('P7.2i.notify: publishing the same key again returns the first announcement and writes or audits nothing', async () => {
    const key = `incident:${randomUUID()}`;
    const first = await c.db.tx((q) => c.announce.publish(q, incident(key)));
    const again = await c.db.tx((q) =>
      c.announce.publish(q, incident(key, { expiresAt: new Date(time.now() + DAY) })),
    );
    assert.equal(again.id, first.id);
    const rows = await c.db.query(`SELECT 1 FROM announcement WHERE key = $1`, [key]);
    assert.equal(rows.rowCount, 1);
    assert.equal((await auditOf(first.id)).length, 1);
  });

  test('P7.2i.notify: publishing in the caller’s transaction is undone with it', async () => {
    const key = `incident:${randomUUID()}`;
    await assert.rejects(
      c.db.tx(async (q) => {
        await c.announce.publish(q, incident(key));
        throw new Error('the send failed');
      }),
      /the send failed/,
    );
    assert.equal((await c.db.query(`SELECT 1 FROM announcement WHERE key = $1`, [key])).rowCount, 0);
  });

  test('P7.2i.notify: a dismissal hides it from that person only; another person’s or an unknown id changes nothing', async () => {
    const { id } = await c.announce.publishNow({
      key: `console:${randomUUID()}`,
      kind: 'service',
      texts: texts('A'),
      expiresAt: new Date(time.now() + 3 * DAY),
      by: { id: 'admin-1', role: 'administrator' },
    });
    assert.equal(await c.announce.dismiss(alice, id), true);
    assert.equal(await c.announce.dismiss(alice, id), false, 'dismissing twice records once');
    assert.ok(!(await c.announce.active(alice, 'en')).some((a) => a.id === id));
    assert.ok((await c.announce.active(bob, 'en')).some((a) => a.id === id));
    assert.ok((await c.announce.active(null, 'en')).some((a) => a.id === id));
    assert.equal(await c.announce.dismiss(bob, randomUUID()), false);
    assert.equal(await c.announce.dismiss(bob, 'not-an-id'), false);
    assert.ok((await c.announce.active(bob, 'en')).some((a) => a.id === id));
    assert.deepEqual(
      (await auditOf(id)).map((a) => [a.action, a.actor_type]),
      [
        ['announce.published', 'staff'],
        ['announce.dismissed', 'citizen'],
      ],
    );
  });

  test('P7.2i.notify: it shows until its expiry and not a moment after, with no job run', async () => {
    const { id } = await c.announce.publishNow({
      key: `console:${randomUUID()}`,
      kind: 'policy',
      texts: texts('B'),
      expiresAt: new Date(time.now() + DAY),
      by: { id: 'dpo-1', role: 'dpo' },
    });
    time.advance(DAY - 1000);
    assert.ok((await c.announce.active(null, 'cs')).some((a) => a.id === id));
    time.advance(1000);
    assert.ok(!(await c.announce.active(null, 'cs')).some((a) => a.id === id));
    const listed = (await c.announce.list('en')).find((a) => a.id === id)!;
    assert.equal(listed.status, 'expired');
  });

  test('P7.2i.notify: a drill is listed for staff, marked, and never shown to a citizen or a visitor', async () => {
    const { id } = await c.db.tx((q) =>
      c.announce.publish(q, incident(`incident:${randomUUID()}`, { drill: true })),
    );
    assert.ok(!(await c.announce.active(null, 'zh-CN')).some((a) => a.id === id));
    assert.ok(!(await c.announce.active(alice, 'zh-CN')).some((a) => a.id === id));
    const listed = (await c.announce.list('zh-CN')).find((a) => a.id === id)!;
    assert.equal(listed.drill, true);
  });

  test('a withdrawn announcement is shown to nobody; withdrawing again is refused as withdrawn; both audited once', async () => {
    const { id } = await c.announce.publishNow({
      key: `console:${randomUUID()}`,
      kind: 'service',
      texts: texts('C'),
      expiresAt: new Date(time.now() + 3 * DAY),
      by: { id: 'admin-1', role: 'administrator' },
    });
    await c.announce.withdraw({ id: 'admin-1', role: 'administrator' }, id);
    assert.ok(!(await c.announce.active(null, 'en')).some((a) => a.id === id));
    await assert.rejects(c.announce.withdraw({ id: 'admin-1', role: 'administrator' }, id), {
      code: 'announce.withdrawn',
    });
    assert.deepEqual(
      (await auditOf(id)).map((a) => a.action),
      ['announce.published', 'announce.withdrawn'],
    );
    assert.equal((await c.announce.list('en')).find((a) => a.id === id)!.status, 'withdrawn');
  });

  test('refused: a console text missing a language, an expiry in the past, parameters the catalogue does not take, a role that may not publish', async () => {
    const base = {
      key: `console:${randomUUID()}`,
      kind: 'service' as const,
      expiresAt: new Date(time.now() + DAY),
      by: { id: 'admin-1', role: 'administrator' },
    };
    const noCzech: Partial<ReturnType<typeof texts>> = texts('D');
    delete noCzech.cs;
    await assert.rejects(c.announce.publishNow({ ...base, texts: noCzech as ReturnType<typeof texts> }), {
      code: 'announce.invalid',
    });
    await assert.rejects(
      c.announce.publishNow({ ...base, texts: texts('D'), expiresAt: new Date(time.now() - 1) }),
      { code: 'announce.invalid' },
    );
    await assert.rejects(
      c.db.tx((q) => c.announce.publish(q, incident(`incident:${randomUUID()}`, { params: { what: 'x' } }))),
      { code: 'announce.invalid' },
    );
    await assert.rejects(
      c.announce.publishNow({ ...base, texts: texts('D'), by: { id: 'support-1', role: 'support' } }),
      { code: 'announce.forbidden' },
    );
    assert.equal(mayPublishAnnouncements('support'), false);
    assert.equal(mayPublishAnnouncements('service_hall'), false);
    for (const role of ['administrator', 'dpo', 'security_officer'])
      assert.equal(mayPublishAnnouncements(role), true);
  });
});

/**
 * Invariant: telling the people of an incident needs a frozen audience and a reported
 * incident; it gives each of them the incident notice (what happened, which information,
 * cause, harm, measures, advice, contact) once, however often it is sent, under the key
 * `incident:<id>`, and announces it once on the home page; a drill counts the same people
 * and writes no notification, no delivery and no announcement, and says so.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  accountsScope,
  officer,
  opening,
  refusedWith,
  startIncidents,
  type IncidentWorld,
} from '../../../test/support/incidents.ts';
import type { AnnouncePort } from './index.ts';

let w: IncidentWorld;
const published: Parameters<AnnouncePort['publish']>[1][] = [];

const notified = async (key: string) =>
  (
    await w.e.t.db.query<{ subject_id: string; template: string }>(
      `SELECT n.subject_id, nn.template FROM notification n JOIN notify_notice nn ON nn.id = n.notice_id
        WHERE nn.key = $1 ORDER BY n.subject_id`,
      [key],
    )
  ).rows;

const ready = async (drill = false) => {
  const i = await w.incidents.open(officer, opening({ drill }));
  await w.incidents.update(officer, i.id, {
    cause: '运维账号弱口令被利用',
    harm: '您的姓名和手机号可能被用于诈骗电话',
    measures: '已封禁来源地址并重置口令',
    contact: '安全事件专线 020-12345678',
  });
  await w.incidents.freezeAudience(officer, i.id, accountsScope(w.people));
  await w.incidents.submitReport(officer, i.id, { channel: '网信部门报送平台', reference: null });
  return i;
};

describe('incident send', () => {
  before(async () => {
    w = await startIncidents({
      announce: {
        publish: async (_q, input) => {
          published.push(input);
          return { id: `a-${published.length}` };
        },
      },
    });
  });
  after(() => w.close());

  test('P7.2i (incident send, not yet the announcement): sending needs a frozen audience, a report and the notice’s contents', async () => {
    const i = await w.incidents.open(officer, opening());
    await assert.rejects(w.incidents.send(officer, i.id), refusedWith('incident.not_scoped', 'P7.2i'));
    await w.incidents.freezeAudience(officer, i.id, accountsScope(w.people));
    await assert.rejects(w.incidents.send(officer, i.id), refusedWith('incident.transition_refused'));
    await w.incidents.submitReport(officer, i.id, { channel: '电话', reference: null });
    await assert.rejects(w.incidents.send(officer, i.id), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'incident.invalid');
      assert.match(err.message, /harm, measures, contact/);
      return true;
    });
    assert.deepEqual(await notified(`incident:${i.id}`), []);
  });

  test('P7.2i (incident send, not yet the announcement): each affected person gets the incident notice once, however often it is sent', async () => {
    const i = await ready();
    const first = await w.incidents.send(officer, i.id);
    assert.deepEqual(first, { noticeKey: `incident:${i.id}`, queued: 3 });
    assert.deepEqual(await w.incidents.send(officer, i.id), { noticeKey: `incident:${i.id}`, queued: 0 });
    const got = await notified(`incident:${i.id}`);
    assert.deepEqual(
      got.map((r) => r.subject_id),
      w.people,
    );
    assert.ok(got.every((r) => r.template === 'incident-notice'));
    const after = (await w.incidents.get(i.id))!;
    assert.equal(after.incident.state, 'people_told');
    assert.equal(after.incident.noticeKey, `incident:${i.id}`);
    assert.deepEqual(
      after.timeline.filter((t) => t.kind === 'sent').map((t) => [t.state, t.note]),
      [['people_told', '3']],
    );
    assert.equal((await w.incidents.progress(i.id))?.people, 3);
    // The notice's text in the person's language (zh-CN here) carries the officer's parts.
    const { rows } = await w.e.t.db.query<{ params: Record<string, Record<string, string>> }>(
      `SELECT params FROM notify_notice WHERE key = $1`,
      [`incident:${i.id}`],
    );
    assert.equal(rows[0]?.params.harm?.['zh-CN'], '您的姓名和手机号可能被用于诈骗电话');
    assert.equal(rows[0]?.params.data?.['zh-CN'], '身份信息、联系方式');
    assert.match(rows[0]?.params.advice?.['zh-CN'] ?? '', /重置您的密码/);
    const announced = published.filter((p) => p.key === `incident:${i.id}`);
    assert.equal(announced.length, 1, 'announced once');
    assert.deepEqual(
      [announced[0]!.kind, announced[0]!.template, announced[0]!.drill],
      ['incident', 'incident-notice', false],
    );
  });

  test('P7.2i (incident send, not yet the announcement): a drill counts the people and writes no notification, delivery or announcement', async () => {
    const counts = () =>
      w.e.t.db.query<{ n: number; o: number }>(
        'SELECT (SELECT count(*)::int FROM notification) AS n, (SELECT count(*)::int FROM notify_outbox) AS o',
      );
    const before = (await counts()).rows[0];
    const announcedBefore = published.length;
    const i = await ready(true);
    assert.deepEqual(await w.incidents.send(officer, i.id), { noticeKey: `incident:${i.id}`, queued: 3 });
    assert.deepEqual((await counts()).rows[0], before);
    assert.equal(published.length, announcedBefore);
    const { incident, timeline } = (await w.incidents.get(i.id))!;
    assert.equal(incident.state, 'people_told');
    assert.equal(timeline.at(-1)?.note, 'drill: 3');
    // The notice is named as a drill; nobody has it.
    const progress = await w.incidents.progress(i.id);
    assert.deepEqual([progress?.drill, progress?.people, progress?.byChannel], [true, 0, []]);
  });
});

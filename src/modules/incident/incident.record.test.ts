/**
 * Invariant (P7.2i.record): an incident is opened by a security officer with what happened,
 * when it was detected, the systems and categories; it moves only along its lifecycle table
 * (detected → assessed → contained → reported → people told → closed, with reopen), each
 * step on its timeline with its time and author and in the audit chain; an illegal step is
 * refused with a stable code and leaves the state as it was; the class is suggested from
 * the people affected and the categories and confirmed by the officer; a drill is marked.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  accountsScope,
  chain,
  deputy,
  dpo,
  officer,
  opening,
  refusedWith,
  startIncidents,
  type IncidentWorld,
} from '../../../test/support/incidents.ts';
import { createIncidentAudience, createIncidentService, suggestSeverity } from './index.ts';

let w: IncidentWorld;

describe('incident record', () => {
  before(async () => {
    w = await startIncidents();
  });
  after(() => w.close());

  test('P7.2i.record: a security officer opens an incident; it is detected, on the timeline by its author', async () => {
    const detectedAt = new Date(Date.now() - 10 * 60_000);
    const i = await w.incidents.open(officer, opening({ detectedAt, cause: null }));
    assert.equal(i.state, 'detected');
    assert.equal(i.title, '统一身份认证服务日志库未授权访问');
    assert.deepEqual(i.systems, ['统一身份认证', '日志库']);
    assert.deepEqual(i.categories, ['identity', 'contact']);
    assert.equal(i.detectedAt.getTime(), detectedAt.getTime());
    assert.equal(i.cause, null);
    assert.equal(i.drill, false);
    assert.equal(i.severity, null);
    const got = await w.incidents.get(i.id);
    assert.deepEqual(
      got?.timeline.map((t) => [t.kind, t.state, t.author?.name]),
      [['opened', 'detected', '李安全']],
    );
    assert.deepEqual(await chain(w, i.id), [
      { action: 'incident.opened', actor_type: 'staff', actor_id: officer.id, clause: 'P7.2i' },
    ]);
    assert.ok((await w.incidents.list({ open: true })).some((x) => x.id === i.id));
  });

  test('P7.2i.record: an incident without what happened, with unknown categories or detected in the future is refused', async () => {
    await assert.rejects(
      w.incidents.open(officer, opening({ summary: '  ' })),
      refusedWith('incident.invalid', 'P7.2i'),
    );
    await assert.rejects(
      w.incidents.open(officer, opening({ categories: ['biometrics'] })),
      refusedWith('incident.invalid'),
    );
    await assert.rejects(
      w.incidents.open(officer, opening({ detectedAt: new Date(Date.now() + 3_600_000) })),
      refusedWith('incident.invalid'),
    );
  });

  test('P7.2i.record: every step of the lifecycle is on the timeline with its author, in order, and in the chain', async () => {
    const i = await w.incidents.open(officer, opening());
    await w.incidents.advance(officer, i.id, 'assessed', '确认为未授权访问');
    await w.incidents.advance(deputy, i.id, 'contained', '已封禁来源地址');
    await w.incidents.update(deputy, i.id, {
      harm: '可能被用于诈骗',
      measures: '已封禁来源地址并轮换凭据',
      contact: '客服电话 12345',
    });
    await w.incidents.freezeAudience(officer, i.id, accountsScope(w.people));
    await w.incidents.submitReport(officer, i.id, { channel: '网信部门报送平台', reference: 'GD-2026-0001' });
    await w.incidents.send(officer, i.id);
    const closed = await w.incidents.advance(deputy, i.id, 'closed', '处置完毕');
    assert.equal(closed.state, 'closed');
    assert.ok(!(await w.incidents.list({ open: true })).some((x) => x.id === i.id));
    const { timeline } = (await w.incidents.get(i.id))!;
    assert.deepEqual(
      timeline.map((t) => [t.kind, t.state, t.author?.name ?? null]),
      [
        ['opened', 'detected', '李安全'],
        ['state', 'assessed', '李安全'],
        ['state', 'contained', '张值班'],
        ['updated', null, '张值班'],
        ['scoped', null, '李安全'],
        ['reported', 'reported', '李安全'],
        ['sent', 'people_told', '李安全'],
        ['state', 'closed', '张值班'],
      ],
    );
    assert.equal(timeline[1]!.note, '确认为未授权访问');
    for (let k = 1; k < timeline.length; k++) assert.ok(timeline[k]!.at >= timeline[k - 1]!.at);
    assert.deepEqual(
      (await chain(w, i.id)).map((c) => c.action),
      [
        'incident.opened',
        'incident.state_changed',
        'incident.state_changed',
        'incident.updated',
        'incident.scoped',
        'incident.report_submitted',
        'incident.notice_sent',
        'incident.state_changed',
      ],
    );
  });

  test('P7.2i.record: an illegal step is refused 409 with a stable code, audited, and the state stays', async () => {
    const i = await w.incidents.open(officer, opening());
    await assert.rejects(
      w.incidents.advance(officer, i.id, 'contained'),
      refusedWith('incident.transition_refused', 'P7.2i'),
    );
    // Reported and told are reached by doing the step, not by saying it was done.
    await assert.rejects(
      w.incidents.advance(officer, i.id, 'reported'),
      refusedWith('incident.not_reported'),
    );
    await assert.rejects(
      w.incidents.advance(officer, i.id, 'people_told'),
      refusedWith('incident.transition_refused'),
    );
    await assert.rejects(w.incidents.send(officer, i.id), refusedWith('incident.not_scoped'));
    assert.equal((await w.incidents.get(i.id))?.incident.state, 'detected');
    const refusals = (await chain(w, i.id)).filter((c) => c.action === 'incident.step_refused');
    assert.equal(refusals.length, 4);
    assert.ok(refusals.every((r) => r.clause === 'P7.2i'));
    assert.equal((await w.incidents.get(i.id))?.timeline.length, 1, 'a refused step is not a step');
  });

  test('P7.2i.record: a reported incident whose affected people were not told cannot be closed', async () => {
    const i = await w.incidents.open(officer, opening());
    await w.incidents.freezeAudience(officer, i.id, accountsScope(w.people.slice(0, 1)));
    await w.incidents.submitReport(officer, i.id, { channel: '电话', reference: null });
    await assert.rejects(
      w.incidents.advance(officer, i.id, 'closed'),
      refusedWith('incident.transition_refused'),
    );
    // Nobody affected: there is nobody to tell.
    const none = await w.incidents.open(officer, opening());
    assert.equal(await w.incidents.freezeAudience(officer, none.id, accountsScope([])), 0);
    await w.incidents.submitReport(officer, none.id, { channel: '电话', reference: null });
    assert.equal((await w.incidents.advance(officer, none.id, 'closed')).state, 'closed');
  });

  test('P7.2i.record: a closed incident is reopened to assessed with the reason; a closed one takes no other step', async () => {
    const i = await w.incidents.open(officer, opening());
    await w.incidents.freezeAudience(officer, i.id, accountsScope([]));
    await w.incidents.submitReport(officer, i.id, { channel: '电话', reference: null });
    await w.incidents.advance(officer, i.id, 'closed');
    await assert.rejects(w.incidents.advance(officer, i.id, 'contained'), refusedWith('incident.closed'));
    await assert.rejects(
      w.incidents.update(officer, i.id, { cause: '弱口令' }),
      refusedWith('incident.closed'),
    );
    await assert.rejects(w.incidents.reopen(officer, i.id, ' '), refusedWith('incident.invalid'));
    const reopened = await w.incidents.reopen(deputy, i.id, '发现更多受影响账号');
    assert.equal(reopened.state, 'assessed');
    const last = (await w.incidents.get(i.id))!.timeline.at(-1)!;
    assert.deepEqual(
      [last.kind, last.state, last.author?.name, last.note],
      ['reopened', 'assessed', '张值班', '发现更多受影响账号'],
    );
    await assert.rejects(
      w.incidents.reopen(officer, i.id, '再次'),
      refusedWith('incident.transition_refused'),
    );
  });

  test('P7.2i.record: only the security officer changes an incident; the DPO may not', async () => {
    await assert.rejects(w.incidents.open(dpo, opening()), refusedWith('incident.not_allowed', 'P7.2'));
    const i = await w.incidents.open(officer, opening());
    await assert.rejects(w.incidents.advance(dpo, i.id, 'assessed'), refusedWith('incident.not_allowed'));
    await assert.rejects(w.incidents.confirmSeverity(dpo, i.id, 'I'), refusedWith('incident.not_allowed'));
    await assert.rejects(
      w.incidents.advance({ id: 'x', role: 'support' }, i.id, 'assessed'),
      refusedWith('incident.not_allowed'),
    );
    assert.equal((await w.incidents.get(i.id))?.incident.state, 'detected');
  });

  test('P7.2i.record: the class is suggested from the number of people affected; sensitive categories raise it by one', () => {
    const t = { I: 100_000_000, II: 10_000_000, III: 1_000_000, IV: 100_000 };
    assert.equal(suggestSeverity(100_000_001, ['contact'], t), 'I');
    assert.equal(suggestSeverity(100_000_000, ['contact'], t), 'II');
    assert.equal(suggestSeverity(10_000_001, ['contact'], t), 'II');
    assert.equal(suggestSeverity(1_000_001, ['contact'], t), 'III');
    assert.equal(suggestSeverity(100_001, ['contact'], t), 'IV');
    assert.equal(suggestSeverity(100_000, ['contact'], t), null);
    assert.equal(suggestSeverity(100_001, ['contact', 'biometric'], t), 'III');
    assert.equal(suggestSeverity(100_000_001, ['id_document'], t), 'I');
    assert.equal(suggestSeverity(5, ['minor'], t), 'IV');
    assert.equal(suggestSeverity(0, ['minor'], t), null);
  });

  test('P7.2i.record: class thresholds that do not decrease from I to IV are refused when the service is built', () => {
    const build = (thresholds: { I: number; II: number; III: number; IV: number }) =>
      createIncidentService({
        db: w.e.t.db,
        audit: w.e.audit,
        audience: createIncidentAudience({ db: w.e.t.db, vault: w.e.vault, audit: w.e.audit }),
        notify: w.notify,
        thresholds,
        reportHours: { cii: 1, state_organ: 2, other: 4 },
      });
    assert.throws(() => build({ I: 10, II: 100, III: 5, IV: 1 }), /must decrease from class I to class IV/);
    assert.ok(build({ I: 4, II: 3, III: 2, IV: 1 }));
  });

  test('P7.2i.record: freezing the audience suggests the class; the officer confirms it, on the timeline', async () => {
    // Thresholds of this world: I > 1000, II > 100, III > 10, IV > 2 people.
    const plain = await w.incidents.open(officer, opening({ categories: ['contact'] }));
    assert.equal(await w.incidents.previewAudience(officer, plain.id, accountsScope(w.people)), 3);
    assert.equal((await w.incidents.get(plain.id))?.incident.affectedCount, null, 'a preview writes nothing');
    assert.equal(await w.incidents.freezeAudience(officer, plain.id, accountsScope(w.people)), 3);
    let got = (await w.incidents.get(plain.id))!.incident;
    assert.deepEqual([got.affectedCount, got.suggestedSeverity, got.severity], [3, 'IV', null]);
    await assert.rejects(
      w.incidents.freezeAudience(officer, plain.id, accountsScope(w.people.slice(0, 1))),
      refusedWith('incident.already_scoped', 'P7.2i'),
    );
    const confirmed = await w.incidents.confirmSeverity(officer, plain.id, 'III');
    assert.deepEqual([confirmed.severity, confirmed.suggestedSeverity], ['III', 'IV']);
    const last = (await w.incidents.get(plain.id))!.timeline.at(-1)!;
    assert.deepEqual([last.kind, last.note, last.author?.name], ['severity', 'III', '李安全']);

    const face = await w.incidents.open(officer, opening({ categories: ['biometric'] }));
    await w.incidents.freezeAudience(officer, face.id, accountsScope(w.people));
    got = (await w.incidents.get(face.id))!.incident;
    assert.equal(got.suggestedSeverity, 'III', 'biometric data raises IV to III');
    await assert.rejects(
      w.incidents.confirmSeverity(officer, face.id, 'V' as never),
      refusedWith('incident.invalid'),
    );
  });

  test('P7.2i.record: a drill is marked on the record, its opening and its report', async () => {
    const i = await w.incidents.open(officer, opening({ drill: true }));
    assert.equal(i.drill, true);
    assert.equal((await w.incidents.get(i.id))!.timeline[0]!.note, 'drill');
    assert.match((await w.incidents.report(i.id)).text, /^【演练】网络安全事件报告/);
    const opened = await w.e.t.db.query<{ detail: { drill: boolean } }>(
      `SELECT detail FROM audit_entry WHERE subject_type = 'incident' AND subject_id = $1`,
      [i.id],
    );
    assert.equal(opened.rows[0]?.detail.drill, true);
  });
});

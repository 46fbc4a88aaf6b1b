/**
 * Invariant (P7.2i.report): the report to the cyberspace authority is due by a clock that
 * starts at detection (1 h for critical information infrastructure, 2 h for a state organ,
 * 4 h otherwise, here as configured); the clock job reminds once when half the time is gone
 * and escalates once when the report is overdue, never for an incident already reported;
 * the report is generated in Chinese from the record, unknown parts saying 待查明; its
 * submission (channel, reference, who, when) is recorded and the incident is reported.
 * Time moves through the clock seam (manualTime), never by waiting.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { manualTime, useTimeSource } from '../../kernel/clock.ts';
import {
  accountsScope,
  chain,
  deputy,
  officer,
  opening,
  refusedWith,
  startIncidents,
  type IncidentWorld,
} from '../../../test/support/incidents.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
let w: IncidentWorld;
const time = manualTime(Date.parse('2026-12-02T02:00:00Z'));
let restore: () => void;

const entries = async (id: string, kind: string) =>
  (await w.incidents.get(id))!.timeline.filter((t) => t.kind === kind);

describe('incident report', () => {
  before(async () => {
    restore = useTimeSource(time);
    w = await startIncidents();
  });
  after(async () => {
    await w.close();
    restore();
  });

  test('P7.2i.report: the report clock starts at detection: 1 h for CII, 2 h for a state organ, 4 h otherwise', async () => {
    const detectedAt = new Date(time.now() - 20 * MIN);
    const due = async (operatorType: 'cii' | 'state_organ' | 'other') =>
      (await w.incidents.open(officer, opening({ detectedAt, operatorType }))).reportDueAt.getTime() -
      detectedAt.getTime();
    assert.equal(await due('cii'), HOUR);
    assert.equal(await due('state_organ'), 2 * HOUR);
    assert.equal(await due('other'), 4 * HOUR);
    const cii = await w.incidents.open(officer, opening({ detectedAt, operatorType: 'cii' }));
    assert.deepEqual(w.incidents.clock(cii, new Date(time.now())), {
      dueAt: new Date(detectedAt.getTime() + HOUR),
      remainingMs: 40 * MIN,
      overdue: false,
    });
    const late = w.incidents.clock(cii, new Date(detectedAt.getTime() + HOUR + MIN));
    assert.deepEqual([late.remainingMs, late.overdue], [-MIN, true]);
  });

  test('P7.2i.report: the clock job reminds once at half time and escalates once at the deadline (test clock)', async () => {
    // Earlier incidents of this file are overdue too: settle them first, then watch one.
    time.advance(10 * HOUR);
    await w.incidents.runClock();
    const i = await w.incidents.open(
      officer,
      opening({ detectedAt: new Date(time.now()), operatorType: 'cii' }),
    );
    time.advance(29 * MIN);
    assert.deepEqual(await w.incidents.runClock(), { reminded: 0, escalated: 0 });
    time.advance(1 * MIN);
    assert.deepEqual(await w.incidents.runClock(), { reminded: 1, escalated: 0 });
    assert.deepEqual(await w.incidents.runClock(), { reminded: 0, escalated: 0 }, 'reminded once');
    time.advance(29 * MIN);
    assert.deepEqual(await w.incidents.runClock(), { reminded: 0, escalated: 0 });
    time.advance(1 * MIN);
    assert.deepEqual(await w.incidents.runClock(), { reminded: 0, escalated: 1 });
    time.advance(HOUR);
    assert.deepEqual(await w.incidents.runClock(), { reminded: 0, escalated: 0 }, 'escalated once');
    const reminded = await entries(i.id, 'reminded');
    const escalated = await entries(i.id, 'escalated');
    assert.equal(reminded.length, 1);
    assert.equal(escalated.length, 1);
    // The platform wrote them: no staff author.
    assert.equal(reminded[0]!.author, null);
    assert.equal(reminded[0]!.at.getTime() - i.detectedAt.getTime(), 30 * MIN);
    assert.equal(escalated[0]!.at.getTime() - i.detectedAt.getTime(), HOUR);
    const system = (await chain(w, i.id)).filter((c) => c.actor_type === 'system');
    assert.deepEqual(
      system.map((c) => [c.action, c.clause]),
      [
        ['incident.report_reminded', 'P7.2i'],
        ['incident.report_escalated', 'P7.2i'],
      ],
    );
    assert.equal(w.incidents.clock((await w.incidents.get(i.id))!.incident).overdue, true);
  });

  test('P7.2i.report: an incident reported in time is neither reminded nor escalated', async () => {
    const i = await w.incidents.open(
      officer,
      opening({ detectedAt: new Date(time.now()), operatorType: 'cii' }),
    );
    time.advance(10 * MIN);
    await w.incidents.submitReport(officer, i.id, { channel: '网信部门报送平台', reference: null });
    time.advance(3 * HOUR);
    await w.incidents.runClock();
    assert.deepEqual(await entries(i.id, 'reminded'), []);
    assert.deepEqual(await entries(i.id, 'escalated'), []);
    const c = w.incidents.clock((await w.incidents.get(i.id))!.incident);
    assert.deepEqual([c.remainingMs, c.overdue], [50 * MIN, false], 'the clock stopped at the report');
  });

  test('P7.2i.report: the Chinese report carries the record’s fields; what is not known says 待查明', async () => {
    const i = await w.incidents.open(
      officer,
      opening({ detectedAt: new Date('2026-12-02T09:30:00Z'), operatorType: 'state_organ' }),
    );
    const bare = await w.incidents.report(i.id);
    assert.equal(bare.fields['事件名称'], '统一身份认证服务日志库未授权访问');
    assert.equal(bare.fields['发现时间'], '2026-12-02 17:30（北京时间）');
    assert.equal(bare.fields['事件经过'], '安全监测发现日志库在 10:05 至 10:40 间被境外地址批量查询。');
    assert.equal(bare.fields['原因'], '待查明');
    assert.equal(bare.fields['已采取措施'], '待查明');
    assert.equal(bare.fields['联系方式'], '待查明');
    assert.equal(bare.fields['联系人'], '李安全');
    assert.match(bare.fields['报告单位']!, /国家机关/);
    assert.match(
      bare.fields['影响范围']!,
      /涉及人数：待查明；数据类别：身份信息、联系方式；涉及系统：统一身份认证、日志库/,
    );
    assert.equal(bare.fields['事件分级'], '待确定');

    await w.incidents.update(officer, i.id, {
      cause: '运维账号弱口令被利用',
      measures: '已封禁来源地址，重置运维账号口令',
      contact: '安全事件专线 020-12345678',
    });
    await w.incidents.freezeAudience(officer, i.id, accountsScope(w.people));
    await w.incidents.confirmSeverity(officer, i.id, 'IV');
    const full = await w.incidents.report(i.id);
    assert.match(full.fields['影响范围']!, /^涉及人数：3 人；/);
    assert.equal(full.fields['事件分级'], 'IV 级（一般）');
    assert.equal(full.fields['原因'], '运维账号弱口令被利用');
    assert.equal(full.fields['已采取措施'], '已封禁来源地址，重置运维账号口令');
    assert.equal(full.fields['联系方式'], '安全事件专线 020-12345678');
    assert.ok(full.fields['下一步']);
    // The text is the fields, in the plan's order, under the title.
    const lines = full.text.split('\n');
    assert.equal(lines[0], '网络安全事件报告');
    assert.deepEqual(
      lines.slice(1).map((l) => l.split('：')[0]),
      [
        '报告单位',
        '联系人',
        '事件名称',
        '发现时间',
        '事件经过',
        '影响范围',
        '事件分级',
        '原因',
        '已采取措施',
        '下一步',
        '联系方式',
      ],
    );
    assert.ok(lines.includes(`原因：运维账号弱口令被利用`));
  });

  test('P7.2i.report: the submission is recorded (channel, reference, who, when) and the incident is reported', async () => {
    const i = await w.incidents.open(
      officer,
      opening({ detectedAt: new Date(time.now()), operatorType: 'cii' }),
    );
    await w.incidents.advance(officer, i.id, 'assessed');
    time.advance(45 * MIN);
    await assert.rejects(
      w.incidents.submitReport(deputy, i.id, { channel: ' ', reference: null }),
      refusedWith('incident.invalid'),
    );
    const done = await w.incidents.submitReport(deputy, i.id, {
      channel: '网信部门报送平台',
      reference: 'GD-2026-0042',
    });
    assert.equal(done.state, 'reported');
    assert.equal(done.reportedAt?.getTime(), time.now());
    const { rows } = await w.e.t.db.query<{
      channel: string;
      reference: string;
      submitted_by: string;
      at: Date;
    }>(
      `SELECT channel, reference, submitted_by, submitted_at AS at FROM incident_report WHERE incident_id = $1`,
      [i.id],
    );
    assert.deepEqual(rows, [
      {
        channel: '网信部门报送平台',
        reference: 'GD-2026-0042',
        submitted_by: deputy.id,
        at: new Date(time.now()),
      },
    ]);
    const last = (await w.incidents.get(i.id))!.timeline.at(-1)!;
    assert.deepEqual(
      [last.kind, last.state, last.author?.name, last.note],
      ['reported', 'reported', '张值班', '网信部门报送平台 · GD-2026-0042'],
    );
    const audit = await w.e.t.db.query<{ detail: { channel: string; reference: string; overdue: boolean } }>(
      `SELECT detail FROM audit_entry WHERE subject_type = 'incident' AND subject_id = $1
          AND action = 'incident.report_submitted'`,
      [i.id],
    );
    assert.deepEqual(
      [audit.rows[0]?.detail.channel, audit.rows[0]?.detail.reference, audit.rows[0]?.detail.overdue],
      ['网信部门报送平台', 'GD-2026-0042', false],
    );
    // Reported once: a second submission of the same incident is not a step.
    await assert.rejects(
      w.incidents.submitReport(officer, i.id, { channel: '电话', reference: null }),
      refusedWith('incident.transition_refused'),
    );
  });
});

/**
 * Invariant (P7.2i.report): when the report clock reminds, the enabled security officers get
 * a mail; when it escalates, the security officers, the DPO and the administrators do; other
 * roles and disabled accounts do not. The mail names the incident, its deadline in Beijing
 * time and its console page, and a drill says so in the subject. Real SMTP (the local sink);
 * time through the clock seam.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createSmtpTransport, type MailTransport } from '../../adapters/mail.ts';
import { manualTime, useTimeSource } from '../../kernel/clock.ts';
import { staffEmailsOfRoles } from '../staff/index.ts';
import { startSmtpSink, type SmtpSink } from '../../../test/support/smtp-sink.ts';
import { officer, opening, startIncidents, type IncidentWorld } from '../../../test/support/incidents.ts';
import { createClockAlerts } from './index.ts';

const MIN = 60_000;
const time = manualTime(Date.parse('2026-12-02T02:00:00Z'));
let restore: () => void;
let sink: SmtpSink;
let mail: MailTransport;
let w: IncidentWorld;

const staff = [
  ['sec@civitas.example', 'security_officer', false],
  ['sec-gone@civitas.example', 'security_officer', true],
  ['dpo@civitas.example', 'dpo', false],
  ['admin@civitas.example', 'administrator', false],
  ['support@civitas.example', 'support', false],
] as const;

describe('incident clock alerts', () => {
  before(async () => {
    restore = useTimeSource(time);
    sink = await startSmtpSink();
    mail = createSmtpTransport({ url: sink.url, from: 'civitas@civitas.example', requireTls: false });
    w = await startIncidents({
      alert: createClockAlerts({
        mail,
        recipients: (roles) => staffEmailsOfRoles(w.e.t.db, roles),
        consoleUrl: () => 'https://civitas.example',
      }),
    });
    for (const [email, role, disabled] of staff)
      await w.e.t.db.query(
        `INSERT INTO staff_account (email, display_name, role, password_hash, disabled_at)
         VALUES ($1, $1, $2, 'x', CASE WHEN $3 THEN now() END)`,
        [email, role, disabled],
      );
  });
  after(async () => {
    await w?.close();
    await mail?.close();
    await sink?.close();
    restore();
  });

  test('P7.2i.report: the reminder mails the security officers, the escalation also the DPO and administrators', async () => {
    const i = await w.incidents.open(
      officer,
      opening({ detectedAt: new Date(time.now()), operatorType: 'cii' }),
    );
    time.advance(30 * MIN);
    assert.deepEqual(await w.incidents.runClock(), { reminded: 1, escalated: 0 });
    const [reminder] = await sink.waitFor(1);
    assert.deepEqual(reminder!.envelope.to, ['sec@civitas.example']);
    assert.match(
      reminder!.mail.subject ?? '',
      /^事件报告时限已过半 · Report half-time: 统一身份认证服务日志库未授权访问$/,
    );
    assert.match(reminder!.mail.text ?? '', /报告截止时间：2026-12-02 11:00（北京时间）/);
    assert.match(reminder!.mail.text ?? '', new RegExp(`https://civitas\\.example/admin/incidents/${i.id}`));

    time.advance(30 * MIN);
    assert.deepEqual(await w.incidents.runClock(), { reminded: 0, escalated: 1 });
    const escalation = (await sink.waitFor(4)).slice(1);
    assert.deepEqual(escalation.map((m) => m.envelope.to[0]).sort(), [
      'admin@civitas.example',
      'dpo@civitas.example',
      'sec@civitas.example',
    ]);
    assert.ok(escalation.every((m) => /^事件报告已逾期 · Report overdue: /.test(m.mail.subject ?? '')));
    await w.incidents.runClock();
    assert.equal(sink.received.length, 4, 'each alert once');
  });

  test('P7.2i.report: a drill wakes the same people and says it is a drill', async () => {
    const before = sink.received.length;
    await w.incidents.open(
      officer,
      opening({ detectedAt: new Date(time.now()), operatorType: 'cii', drill: true }),
    );
    time.advance(30 * MIN);
    await w.incidents.runClock();
    const [got] = (await sink.waitFor(before + 1)).slice(before);
    assert.match(got!.mail.subject ?? '', /^【演练 DRILL】事件报告时限已过半/);
  });
});

/**
 * Who is woken when the report clock runs down (P7.2i.report: "jobs remind and escalate").
 * A timeline entry nobody opens reminds nobody, so the clock job also mails the people on
 * call: at half time the security officers, at the deadline the security officers, the DPO
 * and the administrators (the people who can get a late report out, or answer for it).
 *
 * Rules:
 * - Recipients are the enabled staff accounts of those roles, read when the mail goes (a
 *   role changed an hour ago is the role that counts).
 * - The mail is Chinese first (the console's and the report's language) with an English
 *   line, names the incident by title, class and deadline in Beijing time, and links to its
 *   console page. It carries nothing about any affected person.
 * - A drill says so in the subject: the exercise includes waking people, and nobody must
 *   mistake it for a real incident.
 * - The timeline entry is the record and is written first; a mail that fails is logged (no
 *   address) and does not undo it. The console shows the overdue clock either way.
 */
import type { MailTransport } from '../../adapters/mail.ts';
import type { Logger } from '../../kernel/logger.ts';
import type { Incident } from './incident.types.ts';

export type ClockAlert = (kind: 'reminded' | 'escalated', incident: Incident) => Promise<void>;

/** The roles each alert goes to. */
export const alertRoles = {
  reminded: ['security_officer'],
  escalated: ['security_officer', 'dpo', 'administrator'],
} as const;

const beijing = (d: Date) =>
  `${new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')}（北京时间）`;
const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function composeClockAlert(
  kind: 'reminded' | 'escalated',
  i: Incident,
  consoleUrl: string,
): { subject: string; text: string; html: string } {
  const drill = i.drill ? '【演练 DRILL】' : '';
  const subject =
    kind === 'reminded'
      ? `${drill}事件报告时限已过半 · Report half-time: ${i.title}`
      : `${drill}事件报告已逾期 · Report overdue: ${i.title}`;
  const link = `${consoleUrl}/admin/incidents/${i.id}`;
  const lines = [
    kind === 'reminded'
      ? `事件“${i.title}”向网信部门报告的时限已过半，尚未报告。`
      : `事件“${i.title}”向网信部门报告的时限已到，尚未报告。`,
    `报告截止时间：${beijing(i.reportDueAt)}`,
    `发现时间：${beijing(i.detectedAt)}`,
    `事件分级：${i.severity ?? i.suggestedSeverity ?? '未定级'}`,
    `处理页面：${link}`,
    '',
    kind === 'reminded'
      ? 'Half of the time to report this incident to the cyberspace authority is gone; it is not reported yet.'
      : 'The time to report this incident to the cyberspace authority is up; it is not reported yet.',
  ];
  const text = lines.join('\n');
  const html = `<!doctype html><html lang="zh-CN"><body>${lines
    .map((l) => (l === '' ? '' : `<p>${escapeHtml(l)}</p>`))
    .join('')}</body></html>`;
  return { subject, text, html };
}

export function createClockAlerts(deps: {
  mail: MailTransport;
  /** Enabled staff e-mail addresses with these roles (the staff module). */
  recipients: (roles: readonly string[]) => Promise<string[]>;
  /** The console's base URL, for the link (known once the server listens). */
  consoleUrl: () => string;
  log?: Logger;
}): ClockAlert {
  return async (kind, incident) => {
    const message = composeClockAlert(kind, incident, deps.consoleUrl());
    const to = await deps.recipients(alertRoles[kind]);
    let failed = 0;
    for (const address of to) {
      try {
        await deps.mail.send({ to: address, locale: 'zh-CN', ...message });
      } catch {
        failed++;
      }
    }
    if (failed > 0 || to.length === 0)
      deps.log?.warn(
        { incident: incident.id, kind, recipients: to.length, failed },
        'incident clock alert not delivered to everybody on call',
      );
  };
}

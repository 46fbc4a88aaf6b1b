/**
 * The operator's text view of the jobs (`civitas jobs`): every recurring job with its
 * schedule, last run, last outcome and next run; then the one-off jobs that failed or wait
 * to retry after a failure. Error texts are the recorded ones (type, code, redacted message).
 */
import type { JobsStatus } from './jobs.runner.ts';

const at = (d: Date | null): string => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

export function formatJobsStatus(s: JobsStatus, now: Date): string {
  const lines: string[] = ['Recurring jobs (times in UTC):'];
  if (s.recurring.length === 0)
    lines.push('  none registered yet (they are registered when a server starts)');
  else {
    const rows = [['  job', 'schedule', 'last run', 'outcome', 'next run', 'runs']];
    for (const r of s.recurring) {
      const running = r.locked_until && r.locked_until > now ? `running on ${r.locked_by}` : null;
      const outcome =
        r.last_outcome === 'failed'
          ? `FAILED${r.failures > 1 ? ` ${r.failures} times in a row` : ''}`
          : (r.last_outcome ?? 'not run yet');
      rows.push([
        `  ${r.name}`,
        r.schedule,
        at(r.last_started_at),
        running ?? outcome,
        at(r.next_run_at),
        String(r.runs),
      ]);
    }
    lines.push(...table(rows));
    for (const r of s.recurring)
      if (r.last_outcome === 'failed' && r.last_error) lines.push(`  ${r.name} last error: ${r.last_error}`);
  }
  lines.push(
    '',
    `One-off jobs: ${s.counts.pending} waiting, ${s.counts.running} running, ${s.counts.failed} failed.`,
  );
  if (s.troubled.length === 0) lines.push('No failed or retrying jobs.');
  else {
    lines.push('Failed or retrying jobs (newest first):');
    const rows = [['  id', 'job', 'state', 'attempts', 'when', 'last error']];
    for (const j of s.troubled)
      rows.push([
        `  ${j.id}`,
        j.name,
        j.state === 'failed' ? 'FAILED' : j.state === 'running' ? 'retrying (running)' : 'retrying',
        `${j.attempts}/${j.max_attempts}`,
        j.state === 'failed' ? `failed ${at(j.failed_at)}` : `next ${at(j.run_at)}`,
        j.last_error ?? '',
      ]);
    lines.push(...table(rows));
  }
  return lines.join('\n');
}

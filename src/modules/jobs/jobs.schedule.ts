/**
 * When a recurring job runs next, and how long a failed run waits before it is retried.
 *
 * Rules:
 * - A schedule is `{ everySeconds }` (start to start) or `{ cron }`: five fields, minute
 *   hour day-of-month month day-of-week, each `*`, a number, a range `a-b`, a list `a,b`
 *   or a step `*\/n` / `a-b/n`, evaluated in UTC. As in cron, when both day fields are
 *   restricted a day matching either one runs. A schedule that never fires is refused.
 * - Back-off doubles from the retry delay with each consecutive failure, up to an hour;
 *   a failed recurring job is retried after that back-off, but never later than its next
 *   regular run.
 */
import { clock } from '../../kernel/clock.ts';

export type Schedule = { everySeconds: number } | { cron: string };

const MAX_BACKOFF_MS = 3_600_000;

interface CronFields {
  minute: Set<number>;
  hour: Set<number>;
  dom: Set<number>;
  month: Set<number>;
  dow: Set<number>;
  domAny: boolean;
  dowAny: boolean;
}

function field(text: string, min: number, max: number, what: string): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`cron ${what}: cannot read "${part}"`);
    const from = m[1] === '*' ? min : Number(m[2]);
    const to = m[1] === '*' ? max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < min || to > max || from > to || step < 1)
      throw new Error(`cron ${what}: "${part}" is outside ${min}-${max}`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

function parseCron(expr: string): CronFields {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5)
    throw new Error(`cron "${expr}": five fields expected (minute hour day month weekday)`);
  const [mi, h, dom, mo, dow] = parts as [string, string, string, string, string];
  const weekdays = field(dow, 0, 7, 'weekday');
  if (weekdays.delete(7)) weekdays.add(0); // 7 is Sunday too
  return {
    minute: field(mi, 0, 59, 'minute'),
    hour: field(h, 0, 23, 'hour'),
    dom: field(dom, 1, 31, 'day of month'),
    month: field(mo, 1, 12, 'month'),
    dow: weekdays,
    domAny: dom === '*',
    dowAny: dow === '*',
  };
}

function cronAfter(c: CronFields, after: Date): Date | undefined {
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  const limit = after.getTime() + 5 * 366 * 86_400_000;
  while (t.getTime() <= limit) {
    if (!c.month.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    const domOk = c.dom.has(t.getUTCDate());
    const dowOk = c.dow.has(t.getUTCDay());
    const dayOk = c.domAny && c.dowAny ? true : c.domAny ? dowOk : c.dowAny ? domOk : domOk || dowOk;
    if (!dayOk) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!c.hour.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!c.minute.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    return t;
  }
  return undefined;
}

/** Checks a schedule and returns its stored description ("every 10 s", "cron 0 3 * * *"). */
export function describeSchedule(s: Schedule): string {
  if ('everySeconds' in s) {
    if (!(Number.isFinite(s.everySeconds) && s.everySeconds > 0))
      throw new Error(`every ${s.everySeconds} s: a positive number of seconds expected`);
    return `every ${s.everySeconds} s`;
  }
  if (!cronAfter(parseCron(s.cron), clock.date())) throw new Error(`cron "${s.cron}" never fires`);
  return `cron ${s.cron.trim().split(/\s+/).join(' ')}`;
}

/** The first regular run strictly after `after`. */
export function nextRun(s: Schedule, after: Date): Date {
  if ('everySeconds' in s) return new Date(after.getTime() + s.everySeconds * 1000);
  const next = cronAfter(parseCron(s.cron), after);
  if (!next) throw new Error(`cron "${s.cron}" never fires`);
  return next;
}

/** Delay before retry number `failures` (1 = after the first failure). */
export function backoffMs(retrySeconds: number, failures: number): number {
  return Math.min(MAX_BACKOFF_MS, retrySeconds * 1000 * 2 ** Math.max(0, failures - 1));
}

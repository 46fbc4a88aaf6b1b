/**
 * Deadlines in Chinese working days (P8.2, P8.5.cancel; ADR 0034): public holidays and the
 * make-up working days (调休) the State Council publishes each year, from the maintained
 * `chinese-days` calendar, plus the operator's own additions for a year the package does
 * not have yet.
 *
 * Rules:
 * - Days are calendar days in China Standard Time (UTC+8, no daylight saving), whatever
 *   the server's time zone.
 * - A deadline of n working days counts from the day after the start: a request made on
 *   a Friday evening with 1 working day is due by the end of the next working day.
 * - A deadline is the end of its day (24:00 in China): `due` is the first instant past it.
 * - A due date in a year the calendar has not published is computed on weekends alone and
 *   marked `provisional`; `publishedThrough` lets a readiness check warn the operator.
 * - Lookups are O(1): the calendar is flattened once into a list of working days.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

const DAY = 86_400_000;
const CST = 8 * 3_600_000;

/** `YYYY-MM-DD` in China of the last instant before `t` (the last day a deadline or link allows). */
export const chinaDayBefore = (t: Date): string => new Date(t.getTime() - 1 + CST).toISOString().slice(0, 10);

export interface CalendarData {
  /** `YYYY-MM-DD` days off that would otherwise be working days. */
  holidays: readonly string[];
  /** `YYYY-MM-DD` weekend days that are working days (调休). */
  workdays: readonly string[];
}

export interface DueDate {
  /** The first instant past the deadline (00:00 CST of the next day). */
  due: Date;
  /** The last day the deadline allows, `YYYY-MM-DD` in China. */
  lastDay: string;
  /** The calendar for that year is not published: weekends only. */
  provisional: boolean;
}

export type Span = Readonly<{ days: number; unit: 'working' | 'calendar' }>;

export interface WorkingDays {
  isWorkingDay(day: string): boolean;
  /** Due date of a span started at `from`. */
  dueDate(from: Date, span: Span): DueDate;
  /** Working days left from `now` to a deadline (0 on its last day, negative when past). */
  workingDaysLeft(now: Date, due: Date): number;
  /** The last year whose holidays and make-up days are known. */
  publishedThrough: number;
}

const dayNumber = (instant: Date): number => Math.floor((instant.getTime() + CST) / DAY);
const parseDay = (day: string): number => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a day: ${day}`);
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY);
};
const formatDay = (n: number): string => new Date(n * DAY).toISOString().slice(0, 10);
const yearOf = (n: number): number => new Date(n * DAY).getUTCFullYear();

const dayList = z
  .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'))
  .max(2000)
  .default([]);
const calendarFile = z.strictObject({ holidays: dayList, workdays: dayList });

/**
 * The operator's additions (WORKING_DAYS_FILE, ADR 0034): a year the package does not carry
 * yet. A file that is missing or malformed stops the start with its path and the problem.
 */
export function calendarFromFile(path: string): CalendarData {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`WORKING_DAYS_FILE ${path}: ${(err as Error).message}`);
  }
  const parsed = calendarFile.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      `WORKING_DAYS_FILE ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/** The package's own data: holidays and make-up days from 2004 on. */
export const packagedCalendar: CalendarData = {
  holidays: Object.keys(chineseDays.holidays),
  workdays: Object.keys(chineseDays.workdays),
};

export function createWorkingDays(extra: Partial<CalendarData> = {}, yearsAhead = 6): WorkingDays {
  const holidays = new Set([...packagedCalendar.holidays, ...(extra.holidays ?? [])].map(parseDay));
  const madeUp = new Set([...packagedCalendar.workdays, ...(extra.workdays ?? [])].map(parseDay));
  const known = [...holidays, ...madeUp];
  const first = Math.min(...known);
  const publishedThrough = yearOf(Math.max(...known));
  const start = parseDay(`${yearOf(first)}-01-01`);
  const end = parseDay(`${publishedThrough + yearsAhead}-12-31`);

  // ordinal[d - start]: how many working days fall on or before day d; list[k]: the k-th one.
  const ordinal = new Int32Array(end - start + 1);
  const list: number[] = [];
  for (let d = start; d <= end; d++) {
    const weekday = (d + 4) % 7; // 1970-01-01 was a Thursday: 0 = Sunday
    const weekend = weekday === 0 || weekday === 6;
    if (madeUp.has(d) || (!weekend && !holidays.has(d))) list.push(d);
    ordinal[d - start] = list.length;
  }
  const inRange = (d: number) => {
    if (d < start || d > end) throw new Error(`outside the working-day calendar: ${formatDay(d)}`);
    return d;
  };
  const finish = (last: number): DueDate => ({
    due: new Date((last + 1) * DAY - CST),
    lastDay: formatDay(last),
    provisional: yearOf(last) > publishedThrough,
  });

  return {
    publishedThrough,
    isWorkingDay(day) {
      const d = inRange(parseDay(day));
      return ordinal[d - start]! - (d > start ? ordinal[d - start - 1]! : 0) === 1;
    },
    dueDate(from, span) {
      if (!Number.isInteger(span.days) || span.days < 1) throw new Error('a span is at least one day');
      const d = inRange(dayNumber(from));
      if (span.unit === 'calendar') return finish(inRange(d + span.days));
      const last = list[ordinal[d - start]! + span.days - 1];
      if (last === undefined) throw new Error('deadline beyond the working-day calendar');
      return finish(last);
    },
    workingDaysLeft(now, due) {
      const today = inRange(dayNumber(now));
      const last = inRange(dayNumber(due) - 1);
      const through = (d: number) => ordinal[d - start]!;
      return last >= today ? through(last) - through(today) : -(through(today) - through(last));
    },
  };
}

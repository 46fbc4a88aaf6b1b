/**
 * Invariant: deadlines skip weekends and public holidays and count the make-up working
 * days (调休), in China's calendar day, over the 2026 Spring Festival and National Day.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createWorkingDays } from './working-days.ts';

const cal = createWorkingDays();
const cst = (s: string) => new Date(`${s}+08:00`);

describe('working days', () => {
  test('the 2026 Spring Festival: holidays off, Saturday 2026-02-28 a make-up working day', () => {
    assert.equal(cal.isWorkingDay('2026-02-13'), true, 'Friday before the holiday');
    assert.equal(cal.isWorkingDay('2026-02-14'), true, 'Saturday 14 February is a make-up day');
    for (const d of ['2026-02-15', '2026-02-18', '2026-02-23']) assert.equal(cal.isWorkingDay(d), false, d);
    assert.equal(cal.isWorkingDay('2026-02-28'), true);
    assert.equal(cal.isWorkingDay('2026-03-01'), false, 'an ordinary Sunday');
  });

  test('counting starts the day after; a deadline ends at 24:00 China time', () => {
    // Friday 13 Feb 2026, 23:30 CST (15:30 UTC): the 15 days off and on skip to 24 Feb.
    const d1 = cal.dueDate(cst('2026-02-13T23:30:00'), { days: 1, unit: 'working' });
    assert.equal(d1.lastDay, '2026-02-14');
    const d2 = cal.dueDate(cst('2026-02-14T09:00:00'), { days: 1, unit: 'working' });
    assert.equal(d2.lastDay, '2026-02-24', 'the whole Spring Festival holiday is skipped');
    assert.equal(d2.due.toISOString(), '2026-02-24T16:00:00.000Z');
    assert.equal(d2.provisional, false);
  });

  test('15 working days over the Spring Festival count 28 February', () => {
    // From Monday 9 Feb: 10, 11, 12, 13, 14 (make-up), 24, 25, 26, 27, 28 (make-up),
    // 2, 3, 4, 5, 6 March.
    assert.equal(
      cal.dueDate(cst('2026-02-09T10:00:00'), { days: 15, unit: 'working' }).lastDay,
      '2026-03-06',
    );
  });

  test('National Day 2026: 1–7 October off, make-up days on 20 September and 10 October', () => {
    assert.equal(cal.dueDate(cst('2026-09-30T12:00:00'), { days: 1, unit: 'working' }).lastDay, '2026-10-08');
    assert.equal(cal.dueDate(cst('2026-10-09T12:00:00'), { days: 1, unit: 'working' }).lastDay, '2026-10-10');
  });

  test('calendar days and days left', () => {
    assert.equal(
      cal.dueDate(cst('2026-02-09T10:00:00'), { days: 30, unit: 'calendar' }).lastDay,
      '2026-03-11',
    );
    const { due } = cal.dueDate(cst('2026-02-09T10:00:00'), { days: 15, unit: 'working' });
    assert.equal(cal.workingDaysLeft(cst('2026-02-09T10:00:00'), due), 15);
    assert.equal(cal.workingDaysLeft(cst('2026-03-06T10:00:00'), due), 0);
    assert.equal(cal.workingDaysLeft(cst('2026-03-09T10:00:00'), due), -1);
  });

  test('a year not yet published is weekends only and says so; the operator can add it', () => {
    const y = cal.publishedThrough + 1;
    // The first Monday of June that year, and the Tuesday after it.
    const monday = new Date(Date.UTC(y, 5, 1));
    while (monday.getUTCDay() !== 1) monday.setUTCDate(monday.getUTCDate() + 1);
    const day = (offset: number) =>
      new Date(monday.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    const from = cst(`${day(0)}T10:00:00`);
    const guessed = cal.dueDate(from, { days: 1, unit: 'working' });
    assert.deepEqual([guessed.lastDay, guessed.provisional], [day(1), true]);
    const added = createWorkingDays({ holidays: [day(1)], workdays: [] });
    assert.equal(added.publishedThrough, y);
    const known = added.dueDate(from, { days: 1, unit: 'working' });
    assert.deepEqual([known.lastDay, known.provisional], [day(2), false]);
  });
});

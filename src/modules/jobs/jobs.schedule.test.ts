/**
 * Invariant: a recurring job's next run is where its schedule says (every N seconds, or a
 * five-field cron expression in UTC), a schedule that cannot be read or never fires is
 * refused at registration, and retry delays double up to an hour.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffMs, describeSchedule, nextRun } from './jobs.schedule.ts';

const at = (iso: string) => new Date(iso);

test('every N seconds counts from the run before', () => {
  assert.equal(
    nextRun({ everySeconds: 10 }, at('2026-12-01T10:00:00Z')).toISOString(),
    '2026-12-01T10:00:10.000Z',
  );
  assert.equal(describeSchedule({ everySeconds: 600 }), 'every 600 s');
  assert.throws(() => describeSchedule({ everySeconds: 0 }));
});

test('cron expressions: minutes, hours, steps, lists, ranges and weekdays, in UTC', () => {
  const next = (cron: string, after: string) => nextRun({ cron }, at(after)).toISOString();
  assert.equal(next('0 3 * * *', '2026-12-01T10:00:00Z'), '2026-12-02T03:00:00.000Z');
  assert.equal(next('0 3 * * *', '2026-12-01T02:59:30Z'), '2026-12-01T03:00:00.000Z');
  assert.equal(next('*/15 * * * *', '2026-12-01T10:00:00Z'), '2026-12-01T10:15:00.000Z');
  assert.equal(next('5,35 8-9 * * *', '2026-12-01T09:40:00Z'), '2026-12-02T08:05:00.000Z');
  // 2026-12-01 is a Tuesday; the next Sunday (0 or 7) is the 6th.
  assert.equal(next('30 1 * * 0', '2026-12-01T00:00:00Z'), '2026-12-06T01:30:00.000Z');
  assert.equal(next('30 1 * * 7', '2026-12-01T00:00:00Z'), '2026-12-06T01:30:00.000Z');
  // Both day fields restricted: either matches, as in cron.
  assert.equal(next('0 0 15 * 0', '2026-12-01T00:00:00Z'), '2026-12-06T00:00:00.000Z');
  assert.equal(next('0 0 1 1 *', '2026-12-01T00:00:00Z'), '2027-01-01T00:00:00.000Z');
  assert.equal(next('0 12 29 2 *', '2026-12-01T00:00:00Z'), '2028-02-29T12:00:00.000Z');
  assert.equal(describeSchedule({ cron: ' 0  3 * * * ' }), 'cron 0 3 * * *');
});

test('a cron expression that cannot be read or never fires is refused', () => {
  assert.throws(() => describeSchedule({ cron: '0 3 * *' }), /five fields/);
  assert.throws(() => describeSchedule({ cron: '61 * * * *' }), /outside 0-59/);
  assert.throws(() => describeSchedule({ cron: 'a * * * *' }), /cannot read/);
  assert.throws(() => describeSchedule({ cron: '0 0 31 2 *' }), /never fires/);
});

test('retry delays double from the retry delay, up to an hour', () => {
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => backoffMs(5, n)),
    [5000, 10_000, 20_000, 40_000],
  );
  assert.equal(backoffMs(5, 30), 3_600_000);
});

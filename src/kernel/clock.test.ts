/**
 * Invariant: business time comes from one seam. A test that moves the clock moves every rule
 * that reads "now" (here, the ID-number check's "born in the future"), and putting the
 * previous source back restores real time.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkIdNumber, idCheckCharacter } from '../modules/account/index.ts';
import { clock, manualTime, useTimeSource } from './clock.ts';

test('a manual time source moves only when told, and restoring it brings back real time', () => {
  const time = manualTime(new Date('2030-01-01T00:00:00Z'));
  const restore = useTimeSource(time);
  try {
    assert.equal(clock.date().toISOString(), '2030-01-01T00:00:00.000Z');
    time.advance(90_000);
    assert.equal(clock.epochSeconds(), Date.UTC(2030, 0, 1) / 1000 + 90);
  } finally {
    restore();
  }
  assert.ok(Math.abs(clock.now() - Date.now()) < 1000, 'real time again');
});

test('a rule that reads the clock follows the seam: a birth date tomorrow is valid the day after', () => {
  const first17 = '11010120300102123';
  const id = first17 + idCheckCharacter(first17);
  const restore = useTimeSource(manualTime(new Date('2030-01-01T12:00:00Z')));
  try {
    assert.equal(checkIdNumber(id), 'birth-date', 'born tomorrow: no such person yet');
  } finally {
    restore();
  }
  const later = useTimeSource(manualTime(new Date('2030-01-03T00:00:00Z')));
  try {
    assert.equal(checkIdNumber(id), undefined);
  } finally {
    later();
  }
});

/**
 * Invariant (P2.1): only resident ID numbers that can exist are accepted:
 * right shape, a real region, a real past birth date, a correct check character.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkIdNumber, idCheckCharacter } from './id-numbers.ts';

describe('resident ID numbers (GB 11643)', () => {
  test('P2.1 well-known valid numbers pass, with the check letter in either case', () => {
    // Numbers with the check letter X (in both cases) and with a digit.
    for (const id of ['11010519491231002X', '11010519491231002x', '110101199003074477']) {
      assert.equal(checkIdNumber(id), undefined, id);
    }
  });

  test('P2.1 a wrong check character is refused', () => {
    assert.equal(checkIdNumber('110105194912310021'), 'checksum');
    assert.equal(checkIdNumber('110101199003074478'), 'checksum');
  });

  test('P2.1 a checksum-valid number with an impossible birth date is refused', () => {
    const body = '11010519490230002'; // 30 February 1949
    assert.equal(checkIdNumber(body + idCheckCharacter(body)), 'birth-date');
    const future = '11010520990101002';
    assert.equal(checkIdNumber(future + idCheckCharacter(future), new Date('2026-11-24')), 'birth-date');
    // The standard's own example (born 1880) is well-formed, but nobody alive has it.
    assert.equal(checkIdNumber('440524188001010014'), 'birth-date');
  });

  test('P2.1 an unknown region and a wrong shape are refused', () => {
    const body = '99010519491231002';
    assert.equal(checkIdNumber(body + idCheckCharacter(body)), 'region');
    for (const bad of [
      '',
      '11010519491231002',
      '1101051949123100XX',
      '11010519491231002Y',
      '110105 19491231002X',
    ]) {
      assert.equal(checkIdNumber(bad), 'format', bad);
    }
  });
});

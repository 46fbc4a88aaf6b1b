/**
 * Invariant (P2.1): only resident ID numbers and credit codes that can exist are accepted:
 * right shape, a real region, a real past birth date, a correct check character.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkCreditCode, checkIdNumber, creditCodeCheckCharacter, idCheckCharacter } from './id-numbers.ts';

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

describe('unified social credit codes (GB 32100)', () => {
  test('P2.1 valid codes pass', () => {
    // Published codes of well-known organisations, and one built from a valid organisation code.
    for (const code of ['91350100M000100Y43', '91110000802100433B', '9144030071526726XG']) {
      assert.equal(checkCreditCode(code), undefined, code);
    }
  });

  test('P2.1 a wrong check character, a bad organisation code or forbidden letters are refused', () => {
    assert.equal(checkCreditCode('91350100M000100Y44'), 'checksum');
    const body = '91110000802100434';
    assert.equal(checkCreditCode(body + creditCodeCheckCharacter(body)), 'organisation-code');
    assert.equal(checkCreditCode('91350100M000100YI3'), 'format', 'I is not in the alphabet');
    assert.equal(checkCreditCode('0135010'), 'format');
  });
});

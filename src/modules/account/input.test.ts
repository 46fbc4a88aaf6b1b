/**
 * Invariant: what people actually type is accepted as the value it means (full-width
 * digits, spaces, dashes, the country code), and what a registry would refuse is refused
 * with the reason (P2.1).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normaliseDigits, normaliseMobile, parseIdNumber, parseLegalName } from './input.ts';

describe('input normalisation', () => {
  test('mobile numbers in the forms people write them', () => {
    for (const typed of [
      '13812345678',
      '+86 138 1234 5678',
      '+86-138-1234-5678',
      '0086 13812345678',
      '86 138 1234 5678',
      '138-1234-5678',
      '(+86) 138 1234 5678',
      '１３８１２３４５６７８',
      '＋８６　１３８　１２３４　５６７８',
    ]) {
      assert.equal(normaliseMobile(typed), '13812345678', typed);
    }
  });

  test('what is no mobile number stays refused', () => {
    for (const typed of ['1381234567', '23812345678', '+1 415 555 0100', '12812345678', 'abc', '']) {
      assert.equal(normaliseMobile(typed), undefined, typed);
    }
  });

  test('P2.1 ID numbers with spaces, full-width digits or a small x are accepted', () => {
    assert.deepEqual(parseIdNumber('110105 19491231 002x'), { value: '11010519491231002X' });
    assert.deepEqual(parseIdNumber('１１０１０１１９９００３０７４４７７'), { value: '110101199003074477' });
  });

  test('P2.1 a refused ID number says which part is wrong', () => {
    assert.deepEqual(parseIdNumber('11010519491231002'), { problem: 'length' });
    assert.deepEqual(parseIdNumber('1101051949123100AX'), { problem: 'characters' });
    assert.deepEqual(parseIdNumber('990105194912310029'), { problem: 'region' });
    assert.deepEqual(parseIdNumber('110105194902300021'), { problem: 'birth-date' });
    assert.deepEqual(parseIdNumber('110105194912310021'), { problem: 'checksum' });
  });

  test('P2.1 legal names of any script, with the middle dot of minority and foreign names', () => {
    assert.deepEqual(parseLegalName(' 张伟 '), { value: '张伟' });
    assert.deepEqual(parseLegalName('买买提・艾力'), { value: '买买提·艾力' });
    assert.deepEqual(parseLegalName('阿依古丽 · 买买提'), { value: '阿依古丽·买买提' });
    assert.deepEqual(parseLegalName('Jana Nováková-Dvořáková'), { value: 'Jana Nováková-Dvořáková' });
    assert.deepEqual(parseLegalName("O'Brien"), { value: "O'Brien" });
  });

  test('P2.1 markup, emoji, digits and stray symbols are refused as a legal name, with the reason', () => {
    for (const typed of ['<b>张伟</b>', '张伟😀', 'Agent 007', '张·', '·张', 'a--b', 'x@y']) {
      assert.deepEqual(parseLegalName(typed), { problem: 'characters' }, typed);
    }
    assert.deepEqual(parseLegalName('   '), { problem: 'empty' });
    assert.deepEqual(parseLegalName('张'.repeat(101)), { problem: 'length' });
  });

  test('card numbers keep their digits only', () => {
    assert.equal(normaliseDigits('6222 0212-3456 ７８９０'), '6222021234567890');
  });
});

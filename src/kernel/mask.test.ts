/**
 * Invariant: a masked number shows its first three and last four digits (an ID number its
 * first and last four), and nothing else ever passes through.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskIdNumber, maskPhone } from './mask.ts';

test('a mobile number is masked to its first three and last four digits', () => {
  assert.equal(maskPhone('13812345678'), '138****5678');
  assert.equal(maskPhone('+8613812345678'), '+86138****5678');
  assert.equal(maskPhone('123456'), '****', 'too short to mask: hidden whole');
  assert.equal(maskPhone('not a number'), '****', 'never passed through');
});

test('a resident ID number is masked to its first and last four characters', () => {
  assert.equal(maskIdNumber('110101199001011234'), '1101**********1234');
  assert.equal(maskIdNumber('11010119900101123X'), '1101**********123X');
  assert.equal(maskIdNumber('1101011990'), '****', 'not an ID number: hidden whole');
});

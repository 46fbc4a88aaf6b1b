/** Invariant: a masked number shows its first three and last four digits, and nothing else ever passes through. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskPhone } from './mask.ts';

test('a mobile number is masked to its first three and last four digits', () => {
  assert.equal(maskPhone('13812345678'), '138****5678');
  assert.equal(maskPhone('+8613812345678'), '+86138****5678');
  assert.equal(maskPhone('123456'), '****', 'too short to mask: hidden whole');
  assert.equal(maskPhone('not a number'), '****', 'never passed through');
});

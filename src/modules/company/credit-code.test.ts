/**
 * Invariant (P2.1): only unified social credit codes that can exist are accepted: right
 * shape, a valid organisation code, a correct check character.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkCreditCode, creditCodeCheckCharacter } from './credit-code.ts';

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

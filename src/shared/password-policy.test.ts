/**
 * Invariant (ASVS 6.2.4, P7.2, P7.3): a new password on the shipped list of common and
 * breached passwords is refused whatever its case or surrounding spaces; the list is the
 * file in the repository, with its source and licence written at its top.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { isCommonPassword, passwordProblem } from './password-policy.ts';

test('P7.3 common and breached passwords are refused, in any case', () => {
  for (const p of ['password', 'Password', ' PASSWORD ', 'iloveyou', 'qwertyuiop', '12345678', 'sunshine1']) {
    assert.equal(passwordProblem(p, 8), 'common', p);
  }
  assert.equal(passwordProblem('correct horse', 8), undefined, 'the test suites’ own password passes');
  assert.equal(passwordProblem('a long staff passphrase', 12), undefined);
  assert.equal(passwordProblem('short', 8), 'length');
  assert.equal(passwordProblem('x'.repeat(129), 8), 'length');
});

test('the list says where it comes from and under which licence, and holds thousands of entries', () => {
  const text = readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8');
  assert.match(text, /^# Source: .*zxcvbn/m);
  assert.match(text, /^# Licence of the list \(MIT\)/m);
  const entries = text.split('\n').filter((l) => l && !l.startsWith('#'));
  assert.ok(entries.length > 10_000, `${entries.length} entries`);
  assert.ok(entries.every((l) => l.length >= 8 && l === l.toLowerCase()));
  assert.equal(isCommonPassword('dragon1234'), entries.includes('dragon1234'));
});

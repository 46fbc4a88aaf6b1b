/**
 * What a new password must be, for citizens and staff alike (P7.2, P7.3; OWASP ASVS 6.2.1,
 * 6.2.4, 6.2.9).
 *
 * Rules:
 * - Length only, no composition rules (ASVS 6.2.5): at least `min` characters (8 for
 *   citizens, 12 for staff), at most 128 (argon2 costs the same, but a bound stops abuse).
 * - Refused when it is on the list of common and breached passwords shipped beside this file
 *   (`common-passwords.txt`: source and licence in its header), compared without regard to
 *   case or surrounding spaces: "Password1" is as guessable as "password1".
 * - The list is read once, on first use, into a Set: ~18 k entries, about 1 MB of memory, and
 *   no file read per request.
 */
import { readFileSync } from 'node:fs';

export const MAX_PASSWORD = 128;

export type PasswordProblem = 'length' | 'common';

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  if (!common) {
    const text = readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8');
    common = new Set(text.split('\n').filter((l) => l.length > 0 && !l.startsWith('#')));
  }
  return common;
}

export const isCommonPassword = (password: string): boolean =>
  commonPasswords().has(password.normalize('NFKC').trim().toLowerCase());

/** Why a new password is refused, or undefined when it may be used. */
export function passwordProblem(password: string, min: number): PasswordProblem | undefined {
  if (password.length < min || password.length > MAX_PASSWORD) return 'length';
  if (isCommonPassword(password)) return 'common';
  return undefined;
}

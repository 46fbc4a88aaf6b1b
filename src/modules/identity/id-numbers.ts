/**
 * Checks of the two national identifiers (P2.1): the resident ID number (GB 11643-1999)
 * and the unified social credit code of organisations (GB 32100-2015). A checksum
 * catches typing errors; the date and region rules catch numbers no person can have.
 */

// GB/T 2260 province-level codes: the first two digits of a resident ID number.
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82, 83, 91,
]);

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export type IdNumberProblem = 'format' | 'region' | 'birth-date' | 'checksum';

/** ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/** Returns why an 18-character resident ID number is impossible, or undefined if it is valid. */
export function checkIdNumber(raw: string, today = new Date()): IdNumberProblem | undefined {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return 'format';
  if (!PROVINCES.has(Number(id.slice(0, 2)))) return 'region';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  const real = birth.getUTCFullYear() === y && birth.getUTCMonth() === m - 1 && birth.getUTCDate() === d;
  if (!real || y < 1900 || birth.getTime() > today.getTime()) return 'birth-date';
  if (idCheckCharacter(id.slice(0, 17)) !== id[17]) return 'checksum';
  return undefined;
}

// GB 32100: 31 characters (digits and capitals without I, O, Z, S, V).
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
// GB 11714 organisation code (characters 9-17): its own MOD 11 check.
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export type CreditCodeProblem = 'format' | 'organisation-code' | 'checksum';

export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

function organisationCodeValid(code: string): boolean {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = code[i]!;
    const v = /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55; // A = 10 … Z = 35
    sum += v * ORG_WEIGHTS[i]!;
  }
  const check = 11 - (sum % 11);
  const expected = check === 10 ? 'X' : check === 11 ? '0' : String(check);
  return code[8] === expected;
}

/** Returns why a unified social credit code is invalid, or undefined if it is valid. */
export function checkCreditCode(raw: string): CreditCodeProblem | undefined {
  const code = raw.trim().toUpperCase();
  if (!/^[1-9A-HJ-NP-RTUWXY][0-9A-HJ-NP-RTUWXY]\d{6}[0-9A-HJ-NP-RTUWXY]{10}$/.test(code)) return 'format';
  if (!organisationCodeValid(code.slice(8, 17))) return 'organisation-code';
  if (creditCodeCheckCharacter(code.slice(0, 17)) !== code[17]) return 'checksum';
  return undefined;
}

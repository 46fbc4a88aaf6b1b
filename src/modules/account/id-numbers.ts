/**
 * Check of the resident ID number (P2.1, GB 11643-1999). A checksum catches typing
 * errors; the date and region rules catch numbers no person can have. (The unified social
 * credit code of organisations is checked by `modules/company/credit-code.ts`.)
 */
import { clock } from '../../kernel/clock.ts';

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
export function checkIdNumber(raw: string, today = clock.date()): IdNumberProblem | undefined {
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

/**
 * Check of the unified social credit code of organisations (P2.1, GB 32100-2015): shape,
 * the embedded organisation code (GB 11714) and the check character catch codes no
 * organisation can have.
 */

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

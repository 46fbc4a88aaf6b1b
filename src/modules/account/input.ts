/**
 * Input normalisation: the one place that turns what people type into the values the
 * rules check. Pages and the JSON API reach it through the services, so both accept the
 * same forms.
 *
 * Rules:
 * - Full-width characters (typed with a Chinese input method) count as their ASCII forms;
 *   the ideographic space and no-break spaces count as spaces.
 * - A mainland mobile number may be written with spaces, dashes, dots or brackets, and
 *   with the country code `+86`, `0086` or `86` in front.
 * - A resident ID number may be written with spaces or dashes and a small `x`; a refusal
 *   says which part is wrong (length, characters, region, birth date, check character).
 * - P2.1 a legal name is what a registry would hold: letters of any script with their
 *   combining marks, the middle dot of minority and foreign names (`·`, its look-alikes
 *   folded to U+00B7), and single spaces, hyphens or apostrophes between letters. Digits,
 *   markup, emoji and other symbols are refused with the reason.
 */
import { checkIdNumber, type IdNumberProblem } from './id-numbers.ts';

/** Full-width ASCII (U+FF01–FF5E) to ASCII; the ideographic and no-break spaces to spaces. */
export function foldWidth(raw: string): string {
  return raw
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\u3000\u00A0\u2007\u202F]/g, ' ');
}

// Separators people put inside numbers: spaces, hyphens and dashes of every width, dots, brackets.
const NUMBER_SEPARATORS = /[\s\-\u2010-\u2015\u2212.()（）]/g;

const MOBILE = /^1[3-9]\d{9}$/;

/** The 11-digit mainland mobile number in what was typed, or undefined if there is none. */
export function normaliseMobile(raw: string): string | undefined {
  let n = foldWidth(raw).replace(NUMBER_SEPARATORS, '');
  if (n.startsWith('+86')) n = n.slice(3);
  else if (n.startsWith('0086')) n = n.slice(4);
  else if (n.length === 13 && n.startsWith('86')) n = n.slice(2);
  return MOBILE.test(n) ? n : undefined;
}

/** Digits only (bank card numbers): full-width folded, separators dropped. */
export function normaliseDigits(raw: string): string {
  return foldWidth(raw).replace(NUMBER_SEPARATORS, '');
}

export type IdNumberReason = Exclude<IdNumberProblem, 'format'> | 'length' | 'characters';

/** A resident ID number as stored (18 characters, capital X), or why it cannot be one. */
export function parseIdNumber(raw: string): { value: string } | { problem: IdNumberReason } {
  const id = foldWidth(raw).replace(NUMBER_SEPARATORS, '').toUpperCase();
  if (id.length !== 18) return { problem: 'length' };
  const problem = checkIdNumber(id);
  if (problem === 'format') return { problem: 'characters' };
  return problem ? { problem } : { value: id };
}

export type NameReason = 'empty' | 'length' | 'characters';

const MIDDLE_DOTS = /[\u2022\u2027\u30FB\uFF65\u2219\u22C5\u0387]/g;
// A name part: letters of any script with their combining marks.
const NAME = /^\p{L}\p{M}*(?:\p{L}\p{M}*|[ '\u2019\-·]\p{L}\p{M}*)*$/u;
const MAX_NAME = 100;

/** A legal name as stored (trimmed, spaces collapsed, middle dots unified), or why not. */
export function parseLegalName(raw: string): { value: string } | { problem: NameReason } {
  const name = foldWidth(raw)
    .normalize('NFC')
    .replace(MIDDLE_DOTS, '·')
    .replace(/\s+/g, ' ')
    .replace(/\s*·\s*/g, '·')
    .trim();
  if (name.length === 0) return { problem: 'empty' };
  if ([...name].length > MAX_NAME) return { problem: 'length' };
  return NAME.test(name) ? { value: name } : { problem: 'characters' };
}

/**
 * Keeps personal data out of logs (P7.2 confidentiality). Two layers:
 * 1. serializers never log query strings, bodies, cookies or authorization headers;
 * 2. every string that does reach the log is scrubbed of things shaped like personal
 *    data (resident ID numbers, phone numbers, bank cards, e-mail addresses), so a
 *    value that slips into a message or an error is still not written out.
 */
const patterns: RegExp[] = [
  /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g, // e-mail
  /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])/g, // resident ID (GB 11643, 18 chars)
  /(?<![0-9])[0-9]{15,19}(?![0-9])/g, // old 15-digit IDs, bank card numbers
  /\+?(?<![0-9])(?:86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}(?![0-9])/g, // mainland mobile
  /\+[0-9][0-9 -]{7,18}[0-9]/g, // other international numbers
];

export const REDACTED = '[redacted]';

export function redactText(text: string): string {
  let out = text;
  for (const p of patterns) out = out.replace(p, REDACTED);
  return out;
}

export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, depth + 1);
  return out;
}

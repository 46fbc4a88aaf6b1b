/**
 * The one redirect guard (P7.3): where a `next` parameter may send the browser, after a
 * sign-in, a language switch or a verification. Every page that honours `next` calls
 * `localPath`; there is no other copy.
 *
 * Rules:
 * - Only a path on the portal itself. The value is parsed with `URL` against the portal's
 *   own origin and must keep that origin; what is returned is re-serialised from the
 *   parsed URL (path, query, fragment), never the raw input.
 * - Refused before parsing: anything but printable ASCII (control characters such as the
 *   tab of `/%09/evil.example`, which browsers strip to leave `//evil.example`; CR/LF,
 *   which would break the Location header; spaces; non-Latin-1 text, which Node refuses in
 *   a header), backslashes (browsers read `/\evil` as `//evil`), and protocol-relative
 *   `//host`. Every legitimate `next` is made by `encodeURIComponent` of a path, so it
 *   arrives as printable ASCII.
 * - The result never starts with `//` or `/\` (a dot segment such as `/.//evil` would
 *   normalise to one).
 * - Anything refused gives `undefined`; callers use their safe default, so a bad `next`
 *   is a clean redirect, never an error.
 */

/** Stands for the portal's origin while parsing: only the path of the result is used. */
const ORIGIN = 'http://portal.invalid';
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const MAX_LENGTH = 2048;

export function localPath(next: unknown): string | undefined {
  if (typeof next !== 'string' || next.length > MAX_LENGTH) return undefined;
  if (!PRINTABLE_ASCII.test(next) || next.includes('\\')) return undefined;
  if (!next.startsWith('/') || next.startsWith('//')) return undefined;
  let url: URL;
  try {
    url = new URL(next, ORIGIN);
  } catch {
    return undefined;
  }
  if (url.origin !== ORIGIN) return undefined;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith('//') || path.startsWith('/\\') ? undefined : path;
}

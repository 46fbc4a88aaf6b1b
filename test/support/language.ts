/**
 * The one judgement of whether a text a person reads is in the page's language (issue 12,
 * group 3). Used by the page scan of fetched HTML (visible-text.ts: pages.language.test and
 * the console tests) and by the browser walk (test/browser/walk/checks.ts), which extract the
 * texts differently (from HTML, from the live DOM) but must judge them alike.
 *
 * Rules, for zh-CN and cs pages (English pages are not judged):
 * - No raw identifier on any page: slugs and snake_case codes (`transit-card`), message keys
 *   (`sso.logout.title`), camelCase names (`clientId`), policy clause IDs (`P2.1`) as bare text.
 * - zh-CN: no Latin-script word of prose (two letters or more).
 * - cs: no English sentence: two or more distinct common English words (words that are also
 *   Czech, like `to`, are not on the list).
 * - Allowed everywhere: the brand, product and protocol names below, units and levels, URLs,
 *   e-mail addresses and host names, UUIDs, masked numbers, upper-case reference codes
 *   (`DPA-…`), and "e-mail" with its Czech forms.
 */

/** Names and technical words that stay as they are in every language (longest first when stripped). */
export const ALLOWED_NAMES = [
  'Civitas',
  'DevPay (local)',
  'DevPay',
  'OpenID',
  'Connect',
  'WebAuthn',
  'Google Authenticator',
  'Microsoft Authenticator',
  'passkey',
  'SMS',
  'ID',
  'PIN',
  'TOTP',
  'QR',
  'PDF',
  'JSON',
  'CSV',
  'API',
  'URL',
  'HTTP',
  'HTTPS',
  'GB',
  'KB',
  'MB',
  'px',
  'Chrome',
  'Chromium',
  'HeadlessChrome',
  'Firefox',
  'Safari',
  'Edge',
  'JavaScript',
  'Cookie',
  'HarmonyOS',
  'Linux',
  'Windows',
  'macOS',
  'Android',
  'iOS',
  'iPhone',
  'WeChat',
  'Alipay',
  'English',
  'Čeština',
];

/** Common English words that are not Czech words too: two of them make an English sentence. */
const ENGLISH = new Set(
  (
    'the and your you is are with for this that not has have been will can please sign from of or an ' +
    'in was were be it at account service services page code password number here who what when which ' +
    'there their they we our us into only about before after again data continue back error request'
  ).split(' '),
);

/** Top-level domains a host name in visible text may end with (an address, not an identifier). */
const HOST_TLD = /\.(example|cn|com|org|net|gov|local|localhost|test|cz|eu)\b/;

export interface Finding {
  kind: 'latin' | 'english' | 'identifier' | 'clause';
  text: string;
  word: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ALLOWED_RE = new RegExp(
  `(?<![\\p{L}\\d])(?:${[...ALLOWED_NAMES]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|')})(?![\\p{L}\\d])`,
  'giu',
);

/** The text without what is allowed in every language (addresses, ids, masked numbers, names). */
function stripAllowed(text: string): string {
  return (
    text
      .replace(/\b(?:https?|otpauth):\/\/\S+/g, ' ')
      .replace(/\b[\w.+-]+@[\w-]+(\.[\w-]+)+/g, ' ')
      .replace(/\b(?:[\w-]+\.)+[a-z]{2,}(?::\d+)?(?:\/\S*)?/g, (m) => (HOST_TLD.test(m) ? ' ' : m))
      .replace(/\blocalhost(:\d+)?\S*/g, ' ')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ' ')
      .replace(/\S*\d\*+\d\S*/g, ' ')
      // "e-mail" and its Czech forms (e-mailová, e-mailovou) are words, not slugs.
      .replace(/(?<![\w-])e-mail[\p{L}]*/giu, ' ')
      .replace(ALLOWED_RE, ' ')
  );
}

/** What in one text a person reads on a `locale` page is not in that language (empty: it passes). */
export function judge(text: string, locale: string): Finding[] {
  if (locale !== 'zh-CN' && locale !== 'cs') return [];
  const out: Finding[] = [];
  const t = stripAllowed(text);
  for (const m of t.matchAll(/(?<![\w.-])P\d{1,2}(?:\.[0-9a-z]+)*(?![\w-])/g))
    out.push({ kind: 'clause', text, word: m[0] });
  for (const re of [
    /(?<![\w.-])[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+(?![\w-])/g,
    /(?<![\w.])[a-z]+(?:\.[a-z][a-zA-Z]+)+(?![\w.])/g,
    /(?<![\w])[a-z]+[A-Z][a-zA-Z]*(?![\w])/g,
  ])
    for (const m of t.matchAll(re))
      if (!out.some((f) => f.word.includes(m[0]))) out.push({ kind: 'identifier', text, word: m[0] });
  const words = (t.match(/[A-Za-z\u00C0-\u017F]+/g) ?? []).filter(
    (w) => !/^L[1-4]$/.test(w) && !/^[A-Z0-9-]+$/.test(w),
  );
  const english = [...new Set(words.map((w) => w.toLowerCase()).filter((w) => ENGLISH.has(w)))];
  if (english.length >= 2) out.push({ kind: 'english', text, word: english.join(' ') });
  else if (locale === 'zh-CN')
    for (const w of words)
      if (w.length > 1 && /^[A-Za-z]+$/.test(w)) out.push({ kind: 'latin', text, word: w });
  return out;
}

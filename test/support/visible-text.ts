/**
 * What a person reads on a page, and the words on it that are not in the page's language.
 *
 * Rules (issue 12, group 3):
 * - Visible text only: tags, attribute values, scripts and styles are dropped; an element
 *   that declares its own `lang` (the language switch) speaks that language and is skipped;
 *   `<code>` holds references a person quotes to the hotline (error codes) and is skipped.
 * - On a zh-CN page no Latin-script word of prose; on a cs page no English sentence (two
 *   or more common English words together; words that are also Czech, like `to`, do not count).
 * - On every page no raw identifier: client ids and slugs (`transit-card`), message keys
 *   (`sso.logout.title`), snake_case codes, and policy clause IDs (`P2.1`) as bare text.
 * - Allowed: the brand and protocol names below, units and levels, e-mail addresses and
 *   URLs, masked or numeric references, upper-case reference codes (`DPA-…`).
 */
import type { Locale } from '../../src/kernel/locale.ts';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** The text runs a person sees, in document order (the `<title>` included). */
export function visibleTexts(html: string): string[] {
  const body = html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<code\b[\s\S]*?<\/code>/gi, ' ')
    .replace(/<(\w+)\b[^>]*\slang="[^"]*"[^>]*>[^<]*<\/\1>/g, ' ')
    // The root element's lang is the page's own; any other declares a foreign passage.
    .replace(/<html\b[^>]*>/i, ' ');
  return body
    .split(/<[^>]*>/)
    .map((t) =>
      t
        .replace(/&(#x?[0-9a-f]+|\w+);/gi, (_, e: string) =>
          e.startsWith('#')
            ? String.fromCodePoint(parseInt(e.slice(e[1] === 'x' ? 2 : 1), e[1] === 'x' ? 16 : 10))
            : (ENTITIES[e] ?? `&${e};`),
        )
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter(Boolean);
}

/** Names that stay in Latin script in every language. */
const ALLOWED_WORDS = new Set(
  [
    'Civitas',
    'OpenID',
    'SMS',
    'ID',
    'PIN',
    'TOTP',
    'QR',
    'Chrome',
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
    'English',
    'WeChat',
    'Alipay',
    'px',
    'KB',
    'MB',
  ].map((w) => w.toLowerCase()),
);

const URL_OR_MAIL = /\b(?:(?:https?|otpauth):\/\/\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)/g;

/** Common English words: two of them together on a cs page are an English sentence. */
const ENGLISH = new Set(
  'the and you your is are for with this that not be of in from was has have will can sign service services data page continue back error request'.split(
    ' ',
  ),
);

export interface Finding {
  kind: 'latin' | 'english' | 'identifier' | 'clause';
  text: string;
  word: string;
}

/** Raw identifiers on any page, in any language. */
function identifiers(text: string): Finding[] {
  const out: Finding[] = [];
  const t = text.replace(URL_OR_MAIL, ' ');
  for (const m of t.matchAll(/(?<![\w.-])P\d{1,2}(?:\.[0-9a-z]+)*(?![\w-])/g))
    out.push({ kind: 'clause', text, word: m[0] });
  for (const m of t.matchAll(/(?<![\w.-])[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+(?![\w-])/g))
    // "e-mail" and its Czech forms (e-mailová, e-mailovou) are words, not slugs.
    if (!m[0].startsWith('e-mail')) out.push({ kind: 'identifier', text, word: m[0] });
  return out;
}

/** What on a page in `locale` is not in that language (empty: the page passes). */
export function foreignWords(html: string, locale: Locale): Finding[] {
  const findings: Finding[] = [];
  for (const text of visibleTexts(html)) {
    findings.push(...identifiers(text));
    const words = (text.replace(URL_OR_MAIL, ' ').match(/[A-Za-z\u00C0-\u017F]+/g) ?? []).filter(
      (w) => !ALLOWED_WORDS.has(w.toLowerCase()) && !/^L[1-4]$/.test(w) && !/^[A-Z0-9-]+$/.test(w),
    );
    if (locale === 'zh-CN') {
      for (const w of words) if (w.length > 1) findings.push({ kind: 'latin', text, word: w });
    } else if (locale === 'cs') {
      const english = words.filter((w) => ENGLISH.has(w.toLowerCase()));
      if (english.length >= 2) findings.push({ kind: 'english', text, word: english.join(' ') });
    }
  }
  return findings;
}

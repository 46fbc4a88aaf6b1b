/**
 * What a person reads on a page fetched as HTML, and the words on it that are not in the
 * page's language.
 *
 * Visible text only: tags, attribute values, scripts and styles are dropped; an element
 * that declares its own `lang` (the language switch) speaks that language and is skipped;
 * `<code>` holds references a person quotes to the hotline (error codes) and is skipped.
 * The judgement of each text is the one the browser walk uses too: language.ts.
 */
import type { Locale } from '../../src/kernel/locale.ts';
import { judge, type Finding } from './language.ts';

export type { Finding } from './language.ts';

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

/** What on a page in `locale` is not in that language (empty: the page passes; rules: language.ts). */
export function foreignWords(html: string, locale: Locale): Finding[] {
  return visibleTexts(html).flatMap((text) => judge(text, locale));
}

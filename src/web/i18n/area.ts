import type { Locale } from '../../kernel/locale.ts';

/** One area's texts in every language, keyed alike. */
export type Area<K extends string> = Record<Locale, Record<K, string>>;

/**
 * `en` defines an area's keys; the other languages must have exactly those keys, so a
 * missing or stray translation is a compile error.
 */
export function area<const K extends string>(
  en: Record<K, string>,
  zhCN: Record<NoInfer<K>, string>,
  cs: Record<NoInfer<K>, string>,
): Area<K> {
  return { en, 'zh-CN': zhCN, cs };
}

import type { Locale } from '../../kernel/locale.ts';

/** Joins a list the way the language does: 「姓名、手机号和地址」, "name, phone, and address", "jméno, telefon a adresa". */
export function listOf(locale: Locale, items: readonly string[]): string {
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items);
}

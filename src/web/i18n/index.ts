/**
 * The request's language: the switch (remembered in the `civitas_lang` cookie), else
 * Accept-Language, else zh-CN. The cookie is strictly necessary (it only remembers a
 * choice the person made) and so needs no consent (P3.2, P3.3).
 */
import type { FastifyRequest } from 'fastify';
import { cookies } from '../http/cookies.ts';
import { defaultLocale, isLocale, negotiateLocale, type Locale } from '../../kernel/locale.ts';

export const LANG_COOKIE = cookies.lang.name;

export function localeOf(req: FastifyRequest): Locale {
  const chosen = req.cookies?.[LANG_COOKIE];
  if (isLocale(chosen)) return chosen;
  return negotiateLocale(req.headers['accept-language']) ?? defaultLocale;
}

export { locales, isLocale, defaultLocale, negotiateLocale, type Locale } from '../../kernel/locale.ts';
export { translator, localeNames, type Translate, type MessageKey } from './messages.ts';
export { listOf } from './list.ts';
export { deviceName } from './device.ts';

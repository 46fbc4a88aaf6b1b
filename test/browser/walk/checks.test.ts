/**
 * Invariant: the portal walk's untranslated-text check flags what a zh-CN or Czech reader
 * meets as foreign (an English sentence, an English service name, a raw identifier) and
 * lets through what stays the same in every language (brand names, URLs, masked numbers).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { untranslated } from './checks.ts';

test('an English sentence or name in a zh-CN or Czech page is flagged', () => {
  assert.match(untranslated('zh-CN', '您正在退出 Public transport card')!, /Latin-script/);
  assert.match(untranslated('cs', 'the service sent an incomplete delivery request')!, /English sentence/);
  assert.match(untranslated('zh-CN', 'the service sent an incomplete delivery request')!, /English/);
});

test('a raw identifier is flagged in zh-CN and Czech', () => {
  assert.match(untranslated('zh-CN', '接收方: transit-card')!, /raw identifier "transit-card"/);
  assert.match(untranslated('cs', 'sso.logout.title')!, /raw identifier/);
  assert.match(untranslated('cs', 'clientId')!, /raw identifier/);
});

test('brand names, URLs, masked numbers and Czech prose pass', () => {
  for (const [locale, text] of [
    ['zh-CN', 'Chrome · Linux · 登录于 2026年12月2日'],
    ['zh-CN', '138****0002'],
    ['zh-CN', '请在 http://localhost:3000/login 登录'],
    ['zh-CN', '使用 DevPay (local) 登录'],
    ['zh-CN', 'English'],
    ['cs', 'Zadejte 11místné mobilní číslo'],
    ['cs', 'Číslo nebo heslo není správné, zkuste to znovu'],
    ['cs', 'Přihlásit se přes DevPay'],
    ['cs', 'Zatím jste neuvedli e-mailovou adresu; e-mail si přidejte níže'],
  ] as const)
    assert.equal(untranslated(locale, text), undefined, text);
});

test('English pages are not judged by the untranslated check', () => {
  assert.equal(untranslated('en', 'The service sent an incomplete request'), undefined);
});

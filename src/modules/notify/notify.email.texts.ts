/**
 * The two mails about the address itself, sent directly and not through the outbox: the code
 * that proves the address (a code must not wait in a queue, like SMS codes), and the notice
 * to the old address that another one replaced it (once replaced, the outbox could no longer
 * find the old one). Neither names an address.
 */
import type { Locale } from '../../kernel/locale.ts';

type Texts = Record<Locale, string>;

export const codeMail = {
  title: {
    'zh-CN': '您的 Civitas 邮箱验证码',
    en: 'Your Civitas e-mail code',
    cs: 'Váš kód pro e-mail v Civitas',
  } satisfies Texts,
  text: {
    'zh-CN':
      '您的验证码是 {code}，30 分钟内有效。请在 Civitas 的“电子邮箱”页面输入，以确认这是您的邮箱。请勿将验证码告诉他人。\n\n如果您没有在 Civitas 添加此邮箱，请忽略本邮件：未经验证的邮箱不会被使用。',
    en: 'Your code is {code}. It is valid for 30 minutes. Type it on the E-mail page of Civitas to confirm that this address is yours. Do not share it.\n\nIf you did not add this address on Civitas, ignore this message: an address nobody confirms is never used.',
    cs: 'Váš kód je {code}. Platí 30 minut. Zadejte ho na stránce E-mail v Civitas a potvrďte tak, že tato adresa je vaše. Nikomu ho nesdělujte.\n\nPokud jste tuto adresu v Civitas nepřidali, zprávu ignorujte: nepotvrzená adresa se nikdy nepoužije.',
  } satisfies Texts,
};

export const replacedMail = {
  title: {
    'zh-CN': '您的 Civitas 账号已改用其他邮箱',
    en: 'Your Civitas account now uses another e-mail address',
    cs: 'Váš účet Civitas teď používá jinou e-mailovou adresu',
  } satisfies Texts,
  text: {
    'zh-CN':
      '您 Civitas 账号的电子邮箱已更换，今后 Civitas 不再向本邮箱发送邮件。如非本人操作，请登录 Civitas，重置密码并查看“账号安全”，或拨打 12345。',
    en: 'The e-mail address of your Civitas account was changed: Civitas will not write to this address any more. Not you? Sign in to Civitas, reset your password and check Account security, or call 12345.',
    cs: 'E-mailová adresa vašeho účtu Civitas byla změněna: Civitas už na tuto adresu nebude psát. Nebyli jste to vy? Přihlaste se do Civitas, obnovte si heslo a zkontrolujte Zabezpečení účtu, nebo volejte 12345.',
  } satisfies Texts,
};

/**
 * How a message becomes a mail: subject, plain text and HTML in the reader's language, with
 * the link to the portal and, on mail the person may switch off, the link that does it.
 *
 * Rules:
 * - Everything that goes into the HTML is escaped: texts, parameters (a department's notice
 *   text) and links alike; the layout is one column of plain paragraphs, the language on
 *   `<html lang>`, no images, no tracking, no script, readable without styles.
 * - The plain text says the same as the HTML (the alternative a reader without HTML sees).
 */
import type { Locale } from '../../kernel/locale.ts';

type Texts = Record<Locale, string>;

const footer = {
  portal: {
    'zh-CN': '打开 Civitas',
    en: 'Open Civitas',
    cs: 'Otevřít Civitas',
  },
  automatic: {
    'zh-CN': '这是 Civitas 自动发送的邮件，请勿回复。',
    en: 'Civitas sent this message automatically; replies are not read.',
    cs: 'Tuto zprávu odeslal Civitas automaticky; odpovědi nikdo nečte.',
  },
  unsubscribe: {
    'zh-CN': '不再通过电子邮件接收此类消息',
    en: 'Stop e-mails of this kind',
    cs: 'Už neposílat e-maily tohoto druhu',
  },
} satisfies Record<string, Texts>;

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const paragraphs = (text: string) =>
  text
    .split(/\n{2,}/)
    .map((p) => `<p style="margin:0 0 1em">${escape(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

export function composeMail(m: {
  locale: Locale;
  title: string;
  text: string;
  portalUrl: string;
  unsubscribeUrl?: string | undefined;
}): ComposedMail {
  const { locale } = m;
  const text = [
    m.text,
    `${footer.portal[locale]}: ${m.portalUrl}`,
    footer.automatic[locale],
    ...(m.unsubscribeUrl ? [`${footer.unsubscribe[locale]}: ${m.unsubscribeUrl}`] : []),
  ].join('\n\n');
  const html = `<!doctype html>
<html lang="${escape(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(m.title)}</title>
</head>
<body style="margin:0;padding:1em;background:#ffffff;color:#1a1a1a;font-family:system-ui,sans-serif;font-size:16px;line-height:1.5">
<main style="max-width:36em;margin:0 auto">
<h1 style="font-size:1.25em;margin:0 0 1em">${escape(m.title)}</h1>
${paragraphs(m.text)}
<p style="margin:1.5em 0"><a href="${escape(m.portalUrl)}" style="color:#0b57d0">${escape(footer.portal[locale])}</a></p>
<p style="margin:0 0 1em;color:#444;font-size:0.875em">${escape(footer.automatic[locale])}</p>
${m.unsubscribeUrl ? `<p style="margin:0;color:#444;font-size:0.875em"><a href="${escape(m.unsubscribeUrl)}" style="color:#444">${escape(footer.unsubscribe[locale])}</a></p>\n` : ''}</main>
</body>
</html>
`;
  return { subject: m.title, text, html };
}

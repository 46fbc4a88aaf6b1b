/**
 * The checks the portal walk runs on every page, and the words they judge by.
 *
 * Page-side code is kept as strings: this project's TypeScript has no DOM library, and
 * playwright runs a string in the page through the DevTools protocol, which the page's
 * content-security policy does not govern (so axe-core runs without weakening the CSP).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { judge, type Finding } from '../../support/language.ts';

const require = createRequire(import.meta.url);

/** axe-core's browser bundle, evaluated as it is (no inline <script>, the CSP stays on). */
export const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const AXE_RUN = `(async () => {
  const r = await axe.run(document, { resultTypes: ['violations'] });
  if (r.passes.length + r.violations.length === 0) return [{ id: 'did-not-run', impact: 'critical', help: 'axe-core checked nothing', nodes: [] }];
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
})()`;

export const HORIZONTAL_SCROLL = `({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })`;

/**
 * Visible text a person reads (text nodes and the attributes read aloud or shown), each
 * with where it sits. Text marked as another language (`lang="en"` on the language
 * switch's "English"), code samples and hidden templates are left out.
 */
export const VISIBLE_TEXTS = `(() => {
  const out = [];
  const seen = new Set();
  const where = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const skip = (el) => {
    const other = el.closest('[lang]');
    if (other && other.getAttribute('lang') !== document.documentElement.lang) return true;
    if (el.closest('script,style,noscript,template,code,kbd,pre,[hidden],[aria-hidden="true"]')) return true;
    const s = getComputedStyle(el);
    return s.display === 'none' || s.visibility === 'hidden';
  };
  const add = (text, el) => {
    const t = (text || '').replace(/\\s+/g, ' ').trim();
    if (!t || seen.has(t)) return;
    seen.add(t);
    out.push({ text: t, where: where(el) });
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (el && !skip(el)) add(n.textContent, el);
  }
  for (const el of document.querySelectorAll('[placeholder],[aria-label],[title],img[alt],input[type=submit][value],input[type=button][value]')) {
    if (skip(el)) continue;
    for (const a of ['placeholder', 'aria-label', 'title', 'alt']) if (el.hasAttribute(a)) add(el.getAttribute(a), el);
    if (el.matches('input[type=submit],input[type=button]')) add(el.value, el);
  }
  add(document.title, document.documentElement);
  return out;
})()`;

/**
 * After a form submission: when the page shows an error, the GOV.UK pattern must be there:
 * an error summary whose links point at existing fields, each field marked aria-invalid.
 * Returns null when no error is shown.
 */
export const ERROR_SUMMARY = `(() => {
  const vis = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const shown = [...document.querySelectorAll('[role=alert], .error-summary, .error, [aria-invalid=true]')].filter(vis);
  if (!shown.length) return null;
  const text = shown.map((a) => (a.textContent || '').replace(/\\s+/g, ' ').trim()).filter(Boolean).join(' | ').slice(0, 160);
  const summary = [...document.querySelectorAll('.error-summary, [role=alert]')].filter(vis)
    .find((el) => el.querySelector('a[href^="#"]'));
  if (!summary) return { text, problems: ['no error summary linking to the fields'] };
  const problems = [];
  for (const a of summary.querySelectorAll('a[href^="#"]')) {
    const id = decodeURIComponent(a.getAttribute('href').slice(1));
    const target = document.getElementById(id);
    if (!target) { problems.push('summary link #' + id + ' points at nothing'); continue; }
    const field = target.matches('input,select,textarea') ? target
      : target.querySelector('input:not([type=hidden]),select,textarea');
    if (!field) { problems.push('#' + id + ' is not a form field'); continue; }
    if (field.getAttribute('aria-invalid') !== 'true') problems.push('#' + id + ' has no aria-invalid="true"');
  }
  return { text, problems };
})()`;

export interface FormInfo {
  index: number;
  action: string;
  method: string;
  fields: { name: string; type: string }[];
  label: string;
}

/** The page's forms: where each posts, its fillable fields and its submit button's text. */
export const FORMS = `[...document.forms].map((f, index) => {
  const button = f.querySelector('button:not([type=button]):not([type=reset]),input[type=submit]')
    || (f.id ? document.querySelector('[form="' + f.id + '"]') : null);
  return {
    index,
    action: f.getAttribute('action') || location.pathname + location.search,
    method: (f.getAttribute('method') || 'get').toLowerCase(),
    fields: [...f.elements]
      .filter((e) => /^(INPUT|TEXTAREA|SELECT)$/.test(e.tagName) &&
        !['hidden', 'submit', 'button', 'checkbox', 'radio', 'file', 'reset'].includes(e.type))
      .map((e) => ({ name: e.name, type: e.type })),
    label: button ? (button.textContent || button.value || '').replace(/\\s+/g, ' ').trim() : '',
  };
})`;

/**
 * Prepares form `index` for a submission the browser's own validation would stop (the
 * server must answer bad input itself), fills it, and marks its submit button.
 */
export function prepareForm(index: number, values: Record<string, string>): string {
  return `(() => {
    const f = document.forms[${index}];
    f.noValidate = true;
    const values = ${JSON.stringify(values)};
    for (const e of f.elements) {
      if (!/^(INPUT|TEXTAREA|SELECT)$/.test(e.tagName)) continue;
      if (['hidden', 'submit', 'button', 'checkbox', 'radio', 'file', 'reset'].includes(e.type)) continue;
      if (e.tagName === 'SELECT') continue;
      e.value = values[e.name] ?? '';
    }
    const button = f.querySelector('button:not([type=button]):not([type=reset]),input[type=submit]')
      || (f.id ? document.querySelector('[form="' + f.id + '"]') : null);
    if (!button) return false;
    button.setAttribute('data-walk-submit', '');
    return true;
  })()`;
}

/** Same-origin links of the page, with their text. */
export const LINKS = `[...document.querySelectorAll('a[href]')].map((a) => ({
  href: a.href, text: (a.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 60),
})).filter((l) => l.href.startsWith(location.origin + '/'))`;

/** One plausible wrong value per kind of field, as a person might type it. */
export function badValue(field: { name: string; type: string }): string {
  const n = field.name.toLowerCase();
  if (field.type === 'tel' || n.includes('phone')) return '12345';
  if (n.includes('credit')) return '91330106MA2H8K4P4E';
  if (n.endsWith('code')) return '000000';
  if (n.includes('idnumber')) return '110101199013011234';
  if (field.type === 'date' || n.includes('until')) return '2000-01-01';
  if (field.type === 'password') return 'x';
  if (field.type === 'email') return 'not-an-email';
  if (n.includes('card')) return '6222';
  if (n === 'name' || n.includes('recipient')) return '<b>x</b>';
  return 'x';
}

// ——— untranslated text ———

const reasons: Record<Finding['kind'], (w: string) => string> = {
  identifier: (w) => `raw identifier "${w}"`,
  clause: (w) => `raw identifier "${w}"`,
  english: (w) => `English sentence (${w.split(' ').join(', ')})`,
  latin: (w) => `Latin-script words "${w}"`,
};

/**
 * Why `text` reads as untranslated on a `locale` page, or undefined: the first of the
 * findings of the one language judgement the page scan uses too (test/support/language.ts).
 */
export function untranslated(locale: string, text: string): string | undefined {
  const f = judge(text, locale)[0];
  return f ? reasons[f.kind](f.word) : undefined;
}

/**
 * The two copies of an archive (docs/export-format.md, ADR 0036): the JSON document
 * (machine-readable, versioned) and the HTML page (readable, in the person's language,
 * one table per section). Both are written section by section from the same rows.
 *
 * Rules:
 * - Values are written as the JSON document gives them: instants as ISO 8601 with their
 *   offset, binary values as lower-case hex, arrays and objects as JSON. The HTML copy shows
 *   the same values (instants in China Standard Time, `YYYY-MM-DD HH:MM:SS`, the same in
 *   every language), every text escaped.
 * - The format has a version (`FORMAT_VERSION`): a change that removes or renames a key is a
 *   new version, documented in docs/export-format.md.
 */
import type { Locale } from '../../kernel/locale.ts';
import type { JsonRows, Row, SectionColumn } from './export.engine.ts';

export const FORMAT = 'civitas-personal-data-export';
export const FORMAT_VERSION = 1;

/** A JSON value of a row cell. */
export function jsonValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return v.toString('hex');
  if (typeof v === 'bigint') return v.toString();
  return v ?? null;
}

/** An instant as PostgreSQL's JSON or `toISOString` writes it. */
const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const CST_MS = 8 * 3600_000;

/** `YYYY-MM-DD HH:MM:SS` in China Standard Time (UTC+8, no daylight saving): fast for 100,000 cells. */
export const chinaTime = (d: Date): string =>
  Number.isNaN(d.getTime())
    ? ''
    : new Date(d.getTime() + CST_MS).toISOString().slice(0, 19).replace('T', ' ');

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const SPECIAL = /[&<>"']/;
export const escapeHtml = (s: string) => (SPECIAL.test(s) ? s.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : s);

export interface ArchiveTexts {
  title: string;
  intro: string;
  generated: string;
  rows: string;
  empty: string;
  contents: string;
  timeZone: string;
}

interface SectionHead {
  table: string;
  owner: string;
  label: string;
  columns: readonly SectionColumn[];
  /** Labels for a column's codes in the readable copy (the exporter's `display`). */
  display?: Readonly<Record<string, (code: string, locale: Locale) => string>> | undefined;
}

/** Writes both copies as lists of chunks, section by section. */
export function createArchiveWriter(meta: {
  jobId: string;
  subjectId: string;
  locale: Locale;
  generatedAt: Date;
  texts: ArchiveTexts;
}) {
  const { locale, texts } = meta;
  const json: string[] = [];
  const html: string[] = [];
  const toc: string[] = [];
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    if (v instanceof Date) return chinaTime(v);
    if (typeof v === 'string')
      // Cheap checks first: 100,000 rows make a million cells.
      return v.length >= 19 && v.charCodeAt(10) === 84 && INSTANT.test(v)
        ? chinaTime(new Date(v))
        : escapeHtml(v);
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (Buffer.isBuffer(v)) return v.toString('hex');
    if (Array.isArray(v))
      return escapeHtml(v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', '));
    return escapeHtml(JSON.stringify(v));
  };
  let sectionCount = 0;
  let rowsInSection = 0;
  let current: SectionHead | undefined;

  json.push(
    `{"format":${JSON.stringify(FORMAT)},"version":${FORMAT_VERSION},"archive":${JSON.stringify(meta.jobId)},` +
      `"subject":${JSON.stringify(meta.subjectId)},"language":${JSON.stringify(locale)},` +
      `"generatedAt":${JSON.stringify(meta.generatedAt.toISOString())},"sections":[`,
  );

  return {
    begin(s: SectionHead) {
      current = s;
      rowsInSection = 0;
      json.push(
        `${sectionCount > 0 ? ',' : ''}{"table":${JSON.stringify(s.table)},"owner":${JSON.stringify(s.owner)},` +
          `"label":${JSON.stringify(s.label)},"columns":${JSON.stringify(s.columns.map((c) => ({ name: c.name, label: c.label[locale] })))},"rows":[`,
      );
      const anchor = `s-${s.table}`;
      toc.push(`<li><a href="#${anchor}">${escapeHtml(s.label)}</a></li>`);
      html.push(
        `<section id="${anchor}"><h2>${escapeHtml(s.label)}</h2><table><thead><tr>${s.columns
          .map((c) => `<th scope="col">${escapeHtml(c.label[locale])}</th>`)
          .join('')}</tr></thead><tbody>`,
      );
      sectionCount++;
    },
    rows(batch: readonly Row[] | JsonRows) {
      const cols = current!.columns;
      const given = !Array.isArray(batch) ? (batch as JsonRows) : undefined;
      const rows = given ? (JSON.parse(`[${given.json}]`) as Row[]) : (batch as readonly Row[]);
      if (rows.length === 0) return;
      const h: string[] = [];
      const shown = current!.display ?? {};
      const shows = cols.map((c) => shown[c.name]);
      const show = (v: unknown, f: ((code: string, l: Locale) => string) | undefined) => {
        if (!f || v === null || v === undefined) return cell(v);
        if (Array.isArray(v)) return escapeHtml(v.map((x) => f(String(x), locale)).join(', '));
        return escapeHtml(f(String(v), locale));
      };
      for (const r of rows) {
        let tr = '<tr>';
        for (let i = 0; i < cols.length; i++) tr += `<td>${show(r[cols[i]!.name], shows[i])}</td>`;
        h.push(`${tr}</tr>`);
      }
      const j = given
        ? given.json
        : rows
            .map((r) => {
              const o: Record<string, unknown> = {};
              for (const c of cols) o[c.name] = jsonValue(r[c.name]);
              return JSON.stringify(o);
            })
            .join(',');
      json.push(`${rowsInSection > 0 ? ',' : ''}${j}`);
      html.push(h.join(''));
      rowsInSection += rows.length;
    },
    end() {
      json.push(']}');
      html.push(
        rowsInSection === 0
          ? `<tr><td colspan="${current!.columns.length}">${escapeHtml(texts.empty)}</td></tr></tbody></table></section>`
          : `</tbody></table><p>${escapeHtml(texts.rows.replace('{n}', String(rowsInSection)))}</p></section>`,
      );
      current = undefined;
    },
    finish(): { json: Buffer; html: Buffer } {
      json.push(']}\n');
      const head =
        `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(texts.title)}</title>` +
        `<style>body{font-family:system-ui,sans-serif;margin:2rem;line-height:1.4}table{border-collapse:collapse;margin-bottom:.5rem}` +
        `th,td{border:1px solid #999;padding:.2rem .4rem;text-align:left;vertical-align:top}th{background:#eee}</style></head><body>` +
        `<h1>${escapeHtml(texts.title)}</h1><p>${escapeHtml(texts.intro)}</p>` +
        `<p>${escapeHtml(texts.generated)} ${chinaTime(meta.generatedAt)} (${escapeHtml(texts.timeZone)})</p>` +
        `<nav><h2>${escapeHtml(texts.contents)}</h2><ol>${toc.join('')}</ol></nav>`;
      return {
        json: Buffer.from(json.join(''), 'utf8'),
        html: Buffer.from(`${head}${html.join('')}</body></html>\n`, 'utf8'),
      };
    },
  };
}

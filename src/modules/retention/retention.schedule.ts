/**
 * The retention schedule as a person reads it (P6.2.schedule): every kind of record the
 * platform keeps about a person, and how long, in their language, derived from the same
 * declarations the purge enforces, so the page cannot promise what the purge does not do.
 */
import type { Locale } from '../../kernel/locale.ts';
import {
  holdsSubjectData,
  legalBases,
  type Labels,
  type LegalBasis,
  type RetentionEvent,
  type RetentionTrigger,
  type SubjectData,
} from '../../kernel/subject-data.ts';
import { fields, retentionRules } from '../inventory/index.ts';

export interface ScheduleRow {
  what: Labels;
  /** How long, whichever comes first; or kept under a basis. */
  keptFor: readonly { days: number; after: RetentionEvent }[] | { keep: LegalBasis };
}

const namesPerson = (s: unknown) => s === 'person' || (Array.isArray(s) && s.includes('person'));

export function personSchedule(data: readonly SubjectData[]): ScheduleRow[] {
  const rows: ScheduleRow[] = [];
  for (const owner of data)
    for (const decl of Object.values(owner.tables)) {
      if (!holdsSubjectData(decl) || !('zh-CN' in decl.export)) continue;
      if (!Object.values(decl.columns).some((c) => namesPerson(c.subject))) continue;
      const r = decl.retention;
      if ('byField' in r) {
        // The vault's values: each field by its own rule.
        for (const f of Object.values(fields)) {
          const rule = retentionRules[f.retention];
          rows.push({ what: f.label, keptFor: [{ days: rule.days, after: rule.after }] });
        }
        continue;
      }
      rows.push({
        what: decl.export,
        keptFor:
          'keep' in r
            ? { keep: r.keep }
            : (Array.isArray(r) ? (r as readonly RetentionTrigger[]) : [r as RetentionTrigger]).map((t) => ({
                days: t.days,
                after: t.after,
              })),
      });
    }
  return rows;
}

const events: Record<RetentionEvent, Labels> = {
  given: { 'zh-CN': '提供或记录', en: 'it was given or recorded', cs: 'poskytnutí či zaznamenání' },
  'last-used': { 'zh-CN': '最后一次使用', en: 'it was last used', cs: 'posledního použití' },
  expired: { 'zh-CN': '到期', en: 'it expired', cs: 'vypršení platnosti' },
  consumed: { 'zh-CN': '使用', en: 'it was used', cs: 'použití' },
  ended: { 'zh-CN': '结束或撤销', en: 'it ended or was revoked', cs: 'ukončení nebo odvolání' },
  withdrawn: { 'zh-CN': '撤回同意', en: 'the consent was withdrawn', cs: 'odvolání souhlasu' },
  decided: { 'zh-CN': '相关事项办结', en: 'its case was decided', cs: 'rozhodnutí případu' },
  closed: { 'zh-CN': '相关事项结案', en: 'its case was closed', cs: 'uzavření případu' },
  'account-closed': { 'zh-CN': '您的账号注销', en: 'your account is closed', cs: 'zrušení vašeho účtu' },
};

function amount(days: number, locale: Locale): string {
  const years = days % 365 === 0 && days >= 365 ? days / 365 : undefined;
  const n = years ?? days;
  if (locale === 'zh-CN') return `${n}${years ? '年' : '天'}`;
  if (locale === 'en') return `${n} ${years ? (n === 1 ? 'year' : 'years') : n === 1 ? 'day' : 'days'}`;
  const few = n >= 2 && n <= 4;
  return `${n} ${years ? (n === 1 ? 'rok' : few ? 'roky' : 'let') : n === 1 ? 'den' : few ? 'dny' : 'dní'}`;
}

/** One rule as a sentence fragment: "180 days after it was given", "注销后30天", … */
function ruleText(t: { days: number; after: RetentionEvent }, locale: Locale): string {
  const e = events[t.after][locale];
  if (locale === 'zh-CN') return t.days === 0 ? `${e}后立即删除` : `${e}后${amount(t.days, locale)}`;
  if (locale === 'en')
    return t.days === 0 ? `deleted as soon as ${e}` : `${amount(t.days, locale)} after ${e}`;
  return t.days === 0 ? `smaže se ihned od ${e}` : `${amount(t.days, locale)} od ${e}`;
}

const first: Labels = {
  'zh-CN': '，以先到者为准',
  en: ', whichever comes first',
  cs: ', podle toho, co nastane dřív',
};
const or: Labels = { 'zh-CN': '或', en: ' or ', cs: ' nebo ' };
const keptUnder: Labels = { 'zh-CN': '依以下依据保存：', en: 'Kept as: ', cs: 'Uchovává se jako: ' };

/** How long, as the person reads it in their language. */
export function keptForText(row: ScheduleRow, locale: Locale): string {
  if ('keep' in row.keptFor) return `${keptUnder[locale]}${legalBases[row.keptFor.keep].label[locale]}`;
  const parts = row.keptFor.map((t) => ruleText(t, locale));
  return parts.length > 1 ? `${parts.join(or[locale])}${first[locale]}` : parts[0]!;
}

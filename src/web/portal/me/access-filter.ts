/**
 * The query of "who accessed my data": filter (who, purpose, a range of days) and a keyset
 * cursor (`before` an entry for older ones, `after` one for newer ones).
 *
 * Rules:
 * - Nothing in the query answers an error status: an unreadable value is dropped; a date
 *   that is not a real day is kept as typed and said beside its field, and not applied.
 * - Days are China Standard Time days (the page shows times in Asia/Shanghai): `to` includes
 *   the whole of its day.
 * - Links to other pages carry the filter that was applied, never a cursor of their own.
 */
import { z } from 'zod';
import type { AccessFilter } from '../../../modules/vault/index.ts';

const text = z.string().trim().max(200).optional().catch(undefined);
const cursor = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().catch(undefined);
const schema = z.object({ who: text, purpose: text, from: text, to: text, before: cursor, after: cursor });

export type DateProblem = 'date' | 'range';

export interface AccessQueryForm {
  filter: AccessFilter;
  before?: number | undefined;
  after?: number | undefined;
  /** What the person typed, to show again in the form. */
  typed: { who: string; purpose: string; from: string; to: string };
  problems: { from?: DateProblem; to?: DateProblem };
  /** The applied filter as query parameters, for the paging links. */
  params: URLSearchParams;
}

const CST_OFFSET_MS = 8 * 3600_000;

/** The instant a China Standard Time day starts, or undefined if `s` is not a real day. */
function dayStart(s: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = new Date(Date.UTC(y, mo - 1, d));
  if (utc.getUTCFullYear() !== y || utc.getUTCMonth() !== mo - 1 || utc.getUTCDate() !== d) return undefined;
  return new Date(utc.getTime() - CST_OFFSET_MS);
}

export function readAccessQuery(raw: unknown): AccessQueryForm {
  const q = schema.parse(typeof raw === 'object' && raw !== null ? raw : {});
  const typed = { who: q.who ?? '', purpose: q.purpose ?? '', from: q.from ?? '', to: q.to ?? '' };
  const problems: AccessQueryForm['problems'] = {};
  const filter: AccessFilter = {};
  const params = new URLSearchParams();
  if (typed.who) {
    filter.who = typed.who;
    params.set('who', typed.who);
  }
  if (typed.purpose) {
    filter.purpose = typed.purpose;
    params.set('purpose', typed.purpose);
  }
  const from = typed.from ? dayStart(typed.from) : undefined;
  const toDay = typed.to ? dayStart(typed.to) : undefined;
  if (typed.from && !from) problems.from = 'date';
  if (typed.to && !toDay) problems.to = 'date';
  if (from && toDay && from > toDay) problems.to = 'range';
  if (from && !problems.to) {
    filter.from = from;
    params.set('from', typed.from);
  }
  if (toDay && !problems.to) {
    filter.to = new Date(toDay.getTime() + 24 * 3600_000);
    params.set('to', typed.to);
  }
  return {
    filter,
    ...(q.before !== undefined ? { before: q.before } : q.after !== undefined ? { after: q.after } : {}),
    typed,
    problems,
    params,
  };
}

/** The address of another page of the same filter. */
export function pageLink(params: URLSearchParams, cursor: { before: number } | { after: number }): string {
  const p = new URLSearchParams(params);
  if ('before' in cursor) p.set('before', String(cursor.before));
  else p.set('after', String(cursor.after));
  return `/me/access?${p.toString()}`;
}

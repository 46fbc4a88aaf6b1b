/**
 * The retention module's SQL: its own tables (legal holds), and the one generic statement it
 * runs on other owners' tables, the purge of rows past their declared time (ADR 0040 says why
 * this exception to "a module never touches another module's tables" is the right one: the
 * declarations are the owners' own words, and the statement deletes nothing they did not
 * declare as past its time). Table and column names come from the declarations only.
 */
import type { Queryable } from '../../kernel/db/database.ts';
import type { SubjectKind } from '../../kernel/subject-data.ts';
import type { PurgeStep, SubjectColumn } from './retention.plan.ts';

/**
 * When a subject's account closed, per kind, as SQL: a sub-select of the ids (as text) whose
 * account closed before the given cutoff expression. Given by the owners of those accounts.
 */
export type SubjectEvents = Partial<Record<SubjectKind, (cutoff: string) => string>>;

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain identifier: ${name}`);
  return `"${name}"`;
};
const valueOf = (c: SubjectColumn) =>
  c.json ? `(${ident(c.column)} ->> '${c.json}')` : `${ident(c.column)}::text`;
const cutoff = (days: number) => `($1::timestamptz - make_interval(days => ${Math.trunc(days)}))`;

/**
 * What is past its time in a step, as a WHERE clause. Parameters: $1 now, $2 the ids of
 * the people a hold keeps this table for (text[]).
 */
export function pastTime(step: PurgeStep, events: SubjectEvents): string {
  const due = [
    ...step.rowTriggers.map((t) => `${ident(t.column)} < ${cutoff(t.days)}`),
    ...step.subjectTriggers.map((t) => `${valueOf(t.column)} IN (${events[t.kind]!(cutoff(t.days))})`),
  ];
  const held = step.personColumns.map((c) => `COALESCE(${valueOf(c)} = ANY($2::text[]), false)`);
  // $2 is typed even where no column names a person (a statement's parameters must all be used).
  return `(${due.join(' OR ')}) AND ${held.length > 0 ? `NOT (${held.join(' OR ')})` : '$2::text[] IS NOT NULL'}`;
}

/** Deletes one batch ($3 rows at most) without waiting for rows another transaction holds. */
export async function purgeBatch(
  q: Queryable,
  step: PurgeStep,
  where: string,
  p: { now: Date; held: readonly string[]; limit: number },
): Promise<number> {
  const t = ident(step.table);
  const r = await q.query(
    `WITH doomed AS (SELECT ctid FROM ${t} WHERE ${where} LIMIT $3 FOR UPDATE SKIP LOCKED)
     DELETE FROM ${t} WHERE ctid IN (SELECT ctid FROM doomed)`,
    [p.now, p.held, p.limit],
  );
  return r.rowCount ?? 0;
}

/** How many rows a purge would delete now (the dry run). */
export async function countPastTime(
  q: Queryable,
  step: PurgeStep,
  where: string,
  p: { now: Date; held: readonly string[] },
): Promise<number> {
  const { rows } = await q.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${ident(step.table)} WHERE ${where}`,
    [p.now, p.held],
  );
  return Number(rows[0]!.n);
}

// ---- legal holds ----

export const holdBases = ['law', 'court-order', 'authority', 'dispute'] as const;
export type HoldBasis = (typeof holdBases)[number];
export type HoldScope = 'person' | 'case' | 'category';

export interface HoldRow {
  id: string;
  state: 'active' | 'released' | 'ended';
  scope: HoldScope;
  categories: string[] | null;
  basis: HoldBasis;
  reason: string;
  authority: string;
  documentRef: string;
  caseRef: string | null;
  createdBy: string;
  createdAt: Date;
  endsAt: Date | null;
  reviewAt: Date | null;
  endedAt: Date | null;
  endedBy: string | null;
  endNote: string | null;
  subjects: string[];
}

const HOLD = `h.id, h.state, h.scope, h.categories, h.basis, h.reason, h.authority,
  h.document_ref AS "documentRef", h.case_ref AS "caseRef", h.created_by AS "createdBy",
  h.created_at AS "createdAt", h.ends_at AS "endsAt", h.review_at AS "reviewAt",
  h.ended_at AS "endedAt", h.ended_by AS "endedBy", h.end_note AS "endNote",
  COALESCE((SELECT array_agg(s.subject_id::text ORDER BY s.subject_id) FROM legal_hold_subject s WHERE s.hold_id = h.id), '{}') AS subjects`;

/** In force now: active, and its end date (if any) not passed. */
const IN_FORCE = `h.state = 'active' AND (h.ends_at IS NULL OR h.ends_at > $1)`;

export async function insertHold(
  q: Queryable,
  h: {
    scope: HoldScope;
    categories: readonly string[] | null;
    basis: HoldBasis;
    reason: string;
    authority: string;
    documentRef: string;
    caseRef: string | null;
    createdBy: string;
    endsAt: Date | null;
    reviewAt: Date | null;
    subjects: readonly string[];
  },
): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO legal_hold (state, scope, categories, basis, reason, authority, document_ref, case_ref, created_by, ends_at, review_at)
     VALUES ('active', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      h.scope,
      h.categories,
      h.basis,
      h.reason,
      h.authority,
      h.documentRef,
      h.caseRef,
      h.createdBy,
      h.endsAt,
      h.reviewAt,
    ],
  );
  const id = rows[0]!.id;
  if (h.subjects.length > 0)
    await q.query(
      `INSERT INTO legal_hold_subject (hold_id, subject_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [id, h.subjects],
    );
  return id;
}

export async function hold(q: Queryable, id: string, lock = false): Promise<HoldRow | undefined> {
  const { rows } = await q.query<HoldRow>(
    `SELECT ${HOLD} FROM legal_hold h WHERE h.id = $1${lock ? ' FOR UPDATE OF h' : ''}`,
    [id],
  );
  return rows[0];
}

/** Holds in force now, or every hold still marked active (the desk shows both). */
export async function holds(
  q: Queryable,
  now: Date,
  which: 'in-force' | 'all',
  limit = 500,
): Promise<HoldRow[]> {
  const { rows } = await q.query<HoldRow>(
    `SELECT ${HOLD} FROM legal_hold h WHERE ${which === 'in-force' ? IN_FORCE : `$1::timestamptz IS NOT NULL`}
      ORDER BY h.state = 'active' DESC, COALESCE(h.review_at, h.ends_at), h.created_at DESC LIMIT ${Math.trunc(limit)}`,
    [now],
  );
  return rows;
}

/** Holds in force now that cover a person (theirs, their case's, or a category hold on everyone). */
export async function holdsOn(q: Queryable, subjectId: string, now: Date): Promise<HoldRow[]> {
  const { rows } = await q.query<HoldRow>(
    `SELECT ${HOLD} FROM legal_hold h
      WHERE ${IN_FORCE}
        AND (h.scope = 'category' OR EXISTS (SELECT 1 FROM legal_hold_subject s WHERE s.hold_id = h.id AND s.subject_id = $2))
      ORDER BY h.created_at`,
    [now, subjectId],
  );
  return rows;
}

export async function endHold(
  q: Queryable,
  id: string,
  e: { state: 'released' | 'ended'; by: string | null; note: string | null; at: Date },
): Promise<boolean> {
  const r = await q.query(
    `UPDATE legal_hold SET state = $2, ended_at = $3, ended_by = $4, end_note = $5 WHERE id = $1 AND state = 'active'`,
    [id, e.state, e.at, e.by, e.note],
  );
  return (r.rowCount ?? 0) === 1;
}

/** Active holds whose end date has passed: the job marks them ended. */
export async function holdsPastEnd(q: Queryable, now: Date): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT id FROM legal_hold WHERE state = 'active' AND ends_at IS NOT NULL AND ends_at <= $1 ORDER BY ends_at LIMIT 500`,
    [now],
  );
  return rows.map((r) => r.id);
}

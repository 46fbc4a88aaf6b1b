/** All SQL on `suspicious_report` (only the activity module touches it). No rules here. */
import type { Queryable } from '../../kernel/db/database.ts';
import type { ReportState } from './activity.lifecycle.ts';

export interface ReportRow {
  id: string;
  subjectId: string;
  entryId: number;
  entryAction: string;
  entryAt: Date;
  locale: string;
  state: ReportState;
  reportedAt: Date;
  sessionsEnded: number;
  closedAt: Date | null;
  closedBy: string | null;
  closeNote: string | null;
}

const COLUMNS = `id, subject_id AS "subjectId", entry_id::int AS "entryId", entry_action AS "entryAction",
  entry_at AS "entryAt", locale, state, reported_at AS "reportedAt", sessions_ended AS "sessionsEnded",
  closed_at AS "closedAt", closed_by AS "closedBy", close_note AS "closeNote"`;

/** Opens a report, or finds the open one about the same entry (`created` false). */
export async function openReport(
  q: Queryable,
  r: {
    subjectId: string;
    entryId: number;
    entryAction: string;
    entryAt: Date;
    locale: string;
    sessionsEnded: number;
  },
): Promise<{ row: ReportRow; created: boolean }> {
  const { rows } = await q.query<ReportRow>(
    `INSERT INTO suspicious_report (subject_id, entry_id, entry_action, entry_at, locale, state, sessions_ended)
     VALUES ($1, $2, $3, $4, $5, 'open', $6)
     ON CONFLICT (subject_id, entry_id) WHERE state = 'open' DO NOTHING
     RETURNING ${COLUMNS}`,
    [r.subjectId, r.entryId, r.entryAction, r.entryAt, r.locale, r.sessionsEnded],
  );
  if (rows[0]) return { row: rows[0], created: true };
  const found = await q.query<ReportRow>(
    `SELECT ${COLUMNS} FROM suspicious_report WHERE subject_id = $1 AND entry_id = $2 AND state = 'open'`,
    [r.subjectId, r.entryId],
  );
  return { row: found.rows[0]!, created: false };
}

export async function findReport(q: Queryable, id: string, o: { forUpdate?: boolean } = {}) {
  const { rows } = await q.query<ReportRow>(
    `SELECT ${COLUMNS} FROM suspicious_report WHERE id = $1${o.forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

/** Open cases, oldest first; and the newest closed ones. */
export async function openReports(q: Queryable, limit: number): Promise<ReportRow[]> {
  const { rows } = await q.query<ReportRow>(
    `SELECT ${COLUMNS} FROM suspicious_report WHERE state = 'open' ORDER BY reported_at, id LIMIT $1`,
    [limit],
  );
  return rows;
}

export async function closeReport(
  q: Queryable,
  id: string,
  from: ReportState,
  to: ReportState,
  by: string,
  note: string,
): Promise<ReportRow | undefined> {
  const { rows } = await q.query<ReportRow>(
    `UPDATE suspicious_report SET state = $3, closed_at = now(), closed_by = $4, close_note = $5
      WHERE id = $1 AND state = $2 RETURNING ${COLUMNS}`,
    [id, from, to, by, note],
  );
  return rows[0];
}

/** The person's reports, newest first (their activity page marks the entries reported). */
export async function reportsOf(q: Queryable, subjectId: string): Promise<ReportRow[]> {
  const { rows } = await q.query<ReportRow>(
    `SELECT ${COLUMNS} FROM suspicious_report WHERE subject_id = $1 ORDER BY reported_at DESC LIMIT 200`,
    [subjectId],
  );
  return rows;
}

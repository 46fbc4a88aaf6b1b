/**
 * SQL of the export module: its own table `export_job`, and the one generic read of the
 * archive (ADR 0036).
 *
 * Rules:
 * - `export_job` is read and written only here.
 * - `sectionRows` is the one statement this module runs on other owners' tables: a SELECT,
 *   never a change, of the columns the owner's `*.data.ts` labels for export, of the rows
 *   whose declared subject column holds the person. Every identifier in it comes from those
 *   declarations (checked against a plain-identifier pattern and quoted), never from input.
 *   The vault's tables are never read this way: their values go through the vault.
 */
import type { Queryable } from '../../kernel/db/database.ts';
import type { ExportState } from './export.lifecycle.ts';

const IDENT = /^[a-z_][a-z0-9_]*$/;
const ident = (name: string): string => {
  if (!IDENT.test(name)) throw new Error(`not a plain identifier: ${name}`);
  return `"${name}"`;
};

/** Where a section finds the person: a column holding their id, or a key of a JSON column. */
export type SubjectMatch = { column: string } | { column: string; json: string };

/** The rows of one declared table that are about the person, only the given columns. */
export async function sectionRows(
  q: Queryable,
  table: string,
  columns: readonly string[],
  matches: readonly SubjectMatch[],
  subjectId: string,
): Promise<Record<string, unknown>[]> {
  // One parameter per condition, so PostgreSQL types each after its own column (uuid, text).
  const where = matches
    .map(
      (m, i) =>
        ('json' in m ? `${ident(m.column)} ->> '${m.json.replace(/'/g, "''")}'` : ident(m.column)) +
        ` = $${i + 1}`,
    )
    .join(' OR ');
  const { rows } = await q.query<Record<string, unknown>>(
    `SELECT ${columns.map(ident).join(', ')} FROM ${ident(table)} WHERE ${where}`,
    matches.map(() => subjectId),
  );
  return rows;
}

export interface JobRow {
  id: string;
  subjectId: string;
  locale: string;
  state: ExportState;
  sectionsDone: number;
  sectionsTotal: number;
  requestedAt: Date;
  readyAt: Date | null;
  expiresAt: Date | null;
  failure: string | null;
  jsonBytes: number | null;
  htmlBytes: number | null;
  downloads: number;
}

const JOB = `id, subject_id AS "subjectId", locale, state, sections_done AS "sectionsDone",
  sections_total AS "sectionsTotal", requested_at AS "requestedAt", ready_at AS "readyAt",
  expires_at AS "expiresAt", failure, json_bytes AS "jsonBytes", html_bytes AS "htmlBytes", downloads`;

/** A new archive asked for; undefined when one is already on its way (export_job_live_idx). */
export async function insertJob(
  q: Queryable,
  subjectId: string,
  locale: string,
): Promise<string | undefined> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO export_job (subject_id, locale, state) VALUES ($1, $2, 'requested')
     ON CONFLICT (subject_id) WHERE state IN ('requested', 'preparing') DO NOTHING RETURNING id`,
    [subjectId, locale],
  );
  return rows[0]?.id;
}

export async function job(q: Queryable, id: string): Promise<JobRow | undefined> {
  const { rows } = await q.query<JobRow>(`SELECT ${JOB} FROM export_job WHERE id = $1`, [id]);
  return rows[0];
}

/** The person's archives, newest first. */
export async function jobsOf(q: Queryable, subjectId: string, limit: number): Promise<JobRow[]> {
  const { rows } = await q.query<JobRow>(
    `SELECT ${JOB} FROM export_job WHERE subject_id = $1 ORDER BY requested_at DESC, id LIMIT $2`,
    [subjectId, limit],
  );
  return rows;
}

export async function startJob(
  q: Queryable,
  id: string,
  from: readonly ExportState[],
  total: number,
): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE export_job SET state = 'preparing', sections_total = $3, sections_done = 0
      WHERE id = $1 AND state = ANY ($2::text[])`,
    [id, from, total],
  );
  return rowCount === 1;
}

export async function progress(q: Queryable, id: string, done: number): Promise<void> {
  await q.query(`UPDATE export_job SET sections_done = $2 WHERE id = $1 AND state = 'preparing'`, [id, done]);
}

export async function finishJob(
  q: Queryable,
  id: string,
  a: {
    keyId: string;
    wrappedKey: Buffer;
    json: Buffer;
    html: Buffer;
    jsonBytes: number;
    htmlBytes: number;
    days: number;
  },
): Promise<Date | undefined> {
  const { rows } = await q.query<{ expiresAt: Date }>(
    `UPDATE export_job
        SET state = 'ready', ready_at = now(), expires_at = now() + make_interval(days => $2),
            sections_done = sections_total, key_id = $3, wrapped_key = $4, json_archive = $5, html_archive = $6,
            json_bytes = $7, html_bytes = $8
      WHERE id = $1 AND state = 'preparing'
      RETURNING expires_at AS "expiresAt"`,
    [id, a.days, a.keyId, a.wrappedKey, a.json, a.html, a.jsonBytes, a.htmlBytes],
  );
  return rows[0]?.expiresAt;
}

export async function failJob(q: Queryable, id: string, failure: string): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE export_job SET state = 'failed', ended_at = now(), failure = $2
      WHERE id = $1 AND state IN ('requested', 'preparing')`,
    [id, failure.slice(0, 200)],
  );
  return rowCount === 1;
}

/** One copy of a ready archive of this person, counted as downloaded; undefined if none. */
export async function takeArchive(
  q: Queryable,
  id: string,
  subjectId: string,
  format: 'json' | 'html',
): Promise<{ keyId: string; wrappedKey: Buffer; sealed: Buffer } | undefined> {
  const { rows } = await q.query<{ keyId: string; wrappedKey: Buffer; sealed: Buffer }>(
    `UPDATE export_job SET downloads = downloads + 1
      WHERE id = $1 AND subject_id = $2 AND state = 'ready' AND expires_at > now()
      RETURNING key_id AS "keyId", wrapped_key AS "wrappedKey", ${format === 'json' ? 'json_archive' : 'html_archive'} AS sealed`,
    [id, subjectId],
  );
  return rows[0];
}

/** Ready archives whose link expired: the copies and their key go, the row stays (export.sweep). */
export async function expireDue(q: Queryable): Promise<{ id: string; subjectId: string }[]> {
  const { rows } = await q.query<{ id: string; subjectId: string }>(
    `UPDATE export_job
        SET state = 'expired', ended_at = now(), json_archive = NULL, html_archive = NULL, key_id = NULL, wrapped_key = NULL
      WHERE state = 'ready' AND expires_at <= now()
      RETURNING id, subject_id AS "subjectId"`,
  );
  return rows;
}

/** Rows of archives that ended (expired or failed) more than `days` ago: their retention is over. */
export async function deleteEnded(q: Queryable, days: number): Promise<number> {
  const { rowCount } = await q.query(
    `DELETE FROM export_job WHERE state IN ('expired', 'failed') AND ended_at < now() - make_interval(days => $1)`,
    [days],
  );
  return rowCount ?? 0;
}

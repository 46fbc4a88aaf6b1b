/** SQL for policy versions' editorial records and people's acceptance of them (migration 0038). */
import type { Queryable } from '../../kernel/db/database.ts';
import type { PolicyVersionState } from './policy.lifecycle.ts';

export interface VersionRow {
  documentId: string;
  version: string;
  state: PolicyVersionState;
  material: boolean;
  changedSections: string[];
  changedPurposes: string[];
  summary: Record<string, string>;
  draftTexts: Record<string, string>;
  effectiveFrom: Date | null;
  createdAt: Date;
  createdBy: string;
  scheduledAt: Date | null;
  scheduledBy: string | null;
}

const COLUMNS = `document_id AS "documentId", version, state, material, changed_sections AS "changedSections",
  changed_purposes AS "changedPurposes", summary, draft_texts AS "draftTexts", effective_from AS "effectiveFrom",
  created_at AS "createdAt", created_by AS "createdBy", scheduled_at AS "scheduledAt", scheduled_by AS "scheduledBy"`;

export async function versions(q: Queryable, documentId: string): Promise<VersionRow[]> {
  const { rows } = await q.query<VersionRow>(
    `SELECT ${COLUMNS} FROM policy_version WHERE document_id = $1
      ORDER BY coalesce(effective_from, created_at) DESC, version DESC`,
    [documentId],
  );
  return rows;
}

export async function version(
  q: Queryable,
  documentId: string,
  v: string,
  lock = false,
): Promise<VersionRow | undefined> {
  const { rows } = await q.query<VersionRow>(
    `SELECT ${COLUMNS} FROM policy_version WHERE document_id = $1 AND version = $2${lock ? ' FOR UPDATE' : ''}`,
    [documentId, v],
  );
  return rows[0];
}

export async function insertVersion(
  q: Queryable,
  r: Pick<
    VersionRow,
    | 'documentId'
    | 'version'
    | 'state'
    | 'material'
    | 'changedSections'
    | 'changedPurposes'
    | 'summary'
    | 'draftTexts'
    | 'createdBy'
  > &
    Partial<Pick<VersionRow, 'effectiveFrom' | 'scheduledAt' | 'scheduledBy'>>,
): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO policy_version (document_id, version, state, material, changed_sections, changed_purposes, summary,
                                 draft_texts, created_by, effective_from, scheduled_at, scheduled_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
    [
      r.documentId,
      r.version,
      r.state,
      r.material,
      r.changedSections,
      r.changedPurposes,
      JSON.stringify(r.summary),
      JSON.stringify(r.draftTexts),
      r.createdBy,
      r.effectiveFrom ?? null,
      r.scheduledAt ?? null,
      r.scheduledBy ?? null,
    ],
  );
  return (rowCount ?? 0) > 0;
}

export async function updateDraft(
  q: Queryable,
  r: Pick<
    VersionRow,
    'documentId' | 'version' | 'material' | 'changedSections' | 'changedPurposes' | 'summary' | 'draftTexts'
  >,
): Promise<void> {
  await q.query(
    `UPDATE policy_version SET material = $3, changed_sections = $4, changed_purposes = $5, summary = $6, draft_texts = $7
      WHERE document_id = $1 AND version = $2 AND state = 'draft'`,
    [
      r.documentId,
      r.version,
      r.material,
      r.changedSections,
      r.changedPurposes,
      JSON.stringify(r.summary),
      JSON.stringify(r.draftTexts),
    ],
  );
}

export async function markScheduled(
  q: Queryable,
  r: { documentId: string; version: string; effectiveFrom: Date; at: Date; by: string },
): Promise<void> {
  await q.query(
    `UPDATE policy_version SET state = 'scheduled', effective_from = $3, scheduled_at = $4, scheduled_by = $5
      WHERE document_id = $1 AND version = $2`,
    [r.documentId, r.version, r.effectiveFrom, r.at, r.by],
  );
}

export async function markDiscarded(q: Queryable, documentId: string, v: string): Promise<void> {
  await q.query(`UPDATE policy_version SET state = 'discarded' WHERE document_id = $1 AND version = $2`, [
    documentId,
    v,
  ]);
}

/** Scheduled material versions (the few that ask for a notice and re-consent), oldest first. */
export async function materialVersions(q: Queryable, documentId: string): Promise<VersionRow[]> {
  const { rows } = await q.query<VersionRow>(
    `SELECT ${COLUMNS} FROM policy_version WHERE document_id = $1 AND state = 'scheduled' AND material
      ORDER BY effective_from`,
    [documentId],
  );
  return rows;
}

export interface AcceptanceRow {
  version: string;
  acceptedAt: Date;
  how: 'registered' | 'acknowledged';
}

export async function lastAcceptance(
  q: Queryable,
  subjectId: string,
  documentId: string,
): Promise<AcceptanceRow | undefined> {
  const { rows } = await q.query<AcceptanceRow>(
    `SELECT version, accepted_at AS "acceptedAt", how FROM policy_acceptance
      WHERE subject_id = $1 AND document_id = $2 ORDER BY accepted_at DESC LIMIT 1`,
    [subjectId, documentId],
  );
  return rows[0];
}

export async function insertAcceptance(
  q: Queryable,
  a: { subjectId: string; documentId: string; version: string; at: Date; how: AcceptanceRow['how'] },
): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO policy_acceptance (subject_id, document_id, version, accepted_at, how)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [a.subjectId, a.documentId, a.version, a.at, a.how],
  );
  return (rowCount ?? 0) > 0;
}

/** SQL for transfer campaigns (transfer_campaign, transfer_campaign_person; migration 0027). */
import type { Queryable } from '../../kernel/db/database.ts';
import type { CampaignState } from './transfer.lifecycle.ts';

export type Reason = 'merger' | 'acquisition' | 'operator-change' | 'other';
export type Scope = { kind: 'all' } | { kind: 'service'; serviceSlug: string } | { kind: 'explicit' };

export interface CampaignRow {
  id: string;
  recipientName: string;
  recipientCreditCode: string;
  reason: Reason;
  categories: string[];
  scope: 'all' | 'service' | 'explicit';
  serviceSlug: string | null;
  noticeDays: number;
  /** `YYYY-MM-DD`. */
  plannedFor: string;
  state: CampaignState;
  draftedBy: string;
  createdAt: Date;
  people: number;
  notifiedAt: Date | null;
  transferredAt: Date | null;
  transferReference: string | null;
  cancelledAt: Date | null;
}

const COLUMNS = `id, recipient_name AS "recipientName", recipient_credit_code AS "recipientCreditCode", reason,
  categories, scope, service_slug AS "serviceSlug", notice_days AS "noticeDays",
  to_char(planned_for, 'YYYY-MM-DD') AS "plannedFor", state, drafted_by AS "draftedBy",
  created_at AS "createdAt", people, notified_at AS "notifiedAt", transferred_at AS "transferredAt",
  transfer_reference AS "transferReference", cancelled_at AS "cancelledAt"`;

export async function insertCampaign(
  q: Queryable,
  c: Pick<
    CampaignRow,
    | 'recipientName'
    | 'recipientCreditCode'
    | 'reason'
    | 'categories'
    | 'scope'
    | 'serviceSlug'
    | 'noticeDays'
    | 'plannedFor'
    | 'draftedBy'
  >,
): Promise<CampaignRow> {
  const { rows } = await q.query<CampaignRow>(
    `INSERT INTO transfer_campaign (recipient_name, recipient_credit_code, reason, categories, scope, service_slug,
                                    notice_days, planned_for, state, drafted_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'drafted', $9) RETURNING ${COLUMNS}`,
    [
      c.recipientName,
      c.recipientCreditCode,
      c.reason,
      c.categories,
      c.scope,
      c.serviceSlug,
      c.noticeDays,
      c.plannedFor,
      c.draftedBy,
    ],
  );
  return rows[0]!;
}

/** The campaign, locked for the caller's transaction when `lock` (one step at a time). */
export async function campaign(q: Queryable, id: string, lock = false): Promise<CampaignRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const { rows } = await q.query<CampaignRow>(
    `SELECT ${COLUMNS} FROM transfer_campaign WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

export async function listCampaigns(q: Queryable, limit: number): Promise<CampaignRow[]> {
  const { rows } = await q.query<CampaignRow>(
    `SELECT ${COLUMNS} FROM transfer_campaign ORDER BY created_at DESC, id LIMIT $1`,
    [limit],
  );
  return rows;
}

/** Moves the campaign along its lifecycle (the trigger refuses a move the table lacks). */
export async function setState(
  q: Queryable,
  id: string,
  to: CampaignState,
  at: Date,
  extra: { people?: number; reference?: string | null } = {},
): Promise<CampaignRow> {
  const { rows } = await q.query<CampaignRow>(
    `UPDATE transfer_campaign
        SET state = $2,
            notified_at = CASE WHEN $2 = 'notified' THEN $3 ELSE notified_at END,
            transferred_at = CASE WHEN $2 = 'transferred' THEN $3 ELSE transferred_at END,
            cancelled_at = CASE WHEN $2 = 'cancelled' THEN $3 ELSE cancelled_at END,
            people = COALESCE($4, people),
            transfer_reference = CASE WHEN $2 = 'transferred' THEN $5 ELSE transfer_reference END
      WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, to, at, extra.people ?? null, extra.reference ?? null],
  );
  return rows[0]!;
}

/** Adds people to the campaign's set (those already in it stay as they are); returns how many were new. */
export async function addPeople(q: Queryable, id: string, subjectIds: readonly string[]): Promise<number> {
  const { rowCount } = await q.query(
    `INSERT INTO transfer_campaign_person (campaign_id, subject_id)
     SELECT $1, s FROM unnest($2::uuid[]) AS s ON CONFLICT DO NOTHING`,
    [id, subjectIds],
  );
  return rowCount ?? 0;
}

/** The campaign's people in keyset pages (subject id after `after`). */
export async function peopleAfter(
  q: Queryable,
  id: string,
  after: string | null,
  limit: number,
): Promise<string[]> {
  const { rows } = await q.query<{ subject_id: string }>(
    `SELECT subject_id FROM transfer_campaign_person
      WHERE campaign_id = $1 AND ($2::uuid IS NULL OR subject_id > $2::uuid)
      ORDER BY subject_id LIMIT $3`,
    [id, after, limit],
  );
  return rows.map((r) => r.subject_id);
}

export async function peopleCounts(q: Queryable, id: string): Promise<{ people: number; objected: number }> {
  const { rows } = await q.query<{ people: number; objected: number }>(
    `SELECT count(*)::int AS people, count(objected_at)::int AS objected
       FROM transfer_campaign_person WHERE campaign_id = $1`,
    [id],
  );
  return rows[0]!;
}

/** Records the person's objection; false when they are not in the campaign's set. */
export async function object(q: Queryable, id: string, subjectId: string, at: Date): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE transfer_campaign_person SET objected_at = COALESCE(objected_at, $3)
      WHERE campaign_id = $1 AND subject_id = $2`,
    [id, subjectId, at],
  );
  return rowCount === 1;
}

/** SQL for rights requests (rights_request, rights_request_event; migration 0032). */
import type { Queryable } from '../../kernel/db/database.ts';
import { rightsRequestKinds } from '../notify/index.ts';
import type { RequestState } from './rights.lifecycle.ts';

/** One list with the notice the person is told by (notify's template names the kinds too). */
export const requestKinds = rightsRequestKinds;
export type RequestKind = (typeof requestKinds)[number];

export const refusalReasons = [
  'exemption',
  'identity-not-confirmed',
  'not-held',
  'unfounded',
  'department',
] as const;
export type RefusalReason = (typeof refusalReasons)[number];

export const identityMethods = ['step-up', 'service-hall', 'registry'] as const;
export type IdentityMethod = (typeof identityMethods)[number];

export interface RequestRow {
  id: string;
  subjectId: string;
  kind: RequestKind;
  categories: string[];
  details: string | null;
  channel: 'self-service' | 'support';
  locale: string;
  ticketRef: string | null;
  state: RequestState;
  submittedAt: Date;
  dueAt: Date;
  deadlineDays: number;
  deadlineUnit: 'working' | 'calendar';
  deadlineProvisional: boolean;
  identityConfirmedAt: Date | null;
  identityMethod: IdentityMethod | null;
  decidedAt: Date | null;
  refusalReason: RefusalReason | null;
  exemption: string | null;
  decisionNote: string | null;
  withdrawnAt: Date | null;
  closedAt: Date | null;
  remindedAt: Date | null;
  escalatedAt: Date | null;
}

export interface EventRow {
  at: Date;
  event: string;
  actorType: 'citizen' | 'staff' | 'platform';
  note: string | null;
}

const COLUMNS = `id, subject_id AS "subjectId", kind, categories, details, channel, locale, ticket_ref AS "ticketRef",
  state, submitted_at AS "submittedAt", due_at AS "dueAt", deadline_days AS "deadlineDays",
  deadline_unit AS "deadlineUnit", deadline_provisional AS "deadlineProvisional",
  identity_confirmed_at AS "identityConfirmedAt", identity_method AS "identityMethod",
  decided_at AS "decidedAt", refusal_reason AS "refusalReason", exemption,
  decision_note AS "decisionNote", withdrawn_at AS "withdrawnAt", closed_at AS "closedAt",
  reminded_at AS "remindedAt", escalated_at AS "escalatedAt"`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function insertRequest(
  q: Queryable,
  r: {
    subjectId: string;
    kind: RequestKind;
    categories: string[];
    details: string | null;
    channel: 'self-service' | 'support';
    locale: string;
    recordedBy: string | null;
    ticketRef: string | null;
    state: 'submitted' | 'identity-confirmed';
    identityMethod: IdentityMethod | null;
    identityBy: string | null;
    submittedAt: Date;
    dueAt: Date;
    deadlineDays: number;
    deadlineUnit: 'working' | 'calendar';
    deadlineProvisional: boolean;
  },
): Promise<RequestRow> {
  const { rows } = await q.query<RequestRow>(
    `INSERT INTO rights_request (subject_id, kind, categories, details, channel, recorded_by, ticket_ref, state,
                                 identity_confirmed_at, identity_method, identity_by, submitted_at, due_at,
                                 deadline_days, deadline_unit, deadline_provisional, locale)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $9::text IS NULL THEN NULL ELSE $11::timestamptz END,
             $9, $10, $11, $12, $13, $14, $15, $16)
     RETURNING ${COLUMNS}`,
    [
      r.subjectId,
      r.kind,
      r.categories,
      r.details,
      r.channel,
      r.recordedBy,
      r.ticketRef,
      r.state,
      r.identityMethod,
      r.identityBy,
      r.submittedAt,
      r.dueAt,
      r.deadlineDays,
      r.deadlineUnit,
      r.deadlineProvisional,
      r.locale,
    ],
  );
  return rows[0]!;
}

/** The request, locked for the caller's transaction when `lock` (one step at a time). */
export async function request(q: Queryable, id: string, lock = false): Promise<RequestRow | undefined> {
  if (!UUID.test(id)) return undefined;
  const { rows } = await q.query<RequestRow>(
    `SELECT ${COLUMNS} FROM rights_request WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

export async function requestsOf(q: Queryable, subjectId: string, limit = 100): Promise<RequestRow[]> {
  const { rows } = await q.query<RequestRow>(
    `SELECT ${COLUMNS} FROM rights_request WHERE subject_id = $1 ORDER BY submitted_at DESC, id LIMIT $2`,
    [subjectId, limit],
  );
  return rows;
}

/** The DPO's queue: open requests by due date (overdue first, by construction), then recently closed. */
export async function queue(q: Queryable, limit: number): Promise<RequestRow[]> {
  const { rows } = await q.query<RequestRow>(
    `SELECT ${COLUMNS} FROM rights_request
      WHERE state IN ('submitted', 'identity-confirmed', 'in-progress', 'awaiting-person')
      ORDER BY due_at, id LIMIT $1`,
    [limit],
  );
  return rows;
}

export async function recentlyClosed(q: Queryable, limit: number): Promise<RequestRow[]> {
  const { rows } = await q.query<RequestRow>(
    `SELECT ${COLUMNS} FROM rights_request WHERE closed_at IS NOT NULL ORDER BY closed_at DESC, id LIMIT $1`,
    [limit],
  );
  return rows;
}

/** Moves the request along its lifecycle (the trigger refuses a move the table lacks). */
export async function setState(
  q: Queryable,
  id: string,
  to: RequestState,
  at: Date,
  extra: {
    identityMethod?: IdentityMethod;
    by?: string | null;
    refusalReason?: RefusalReason | null;
    exemption?: string | null;
    note?: string | null;
  } = {},
): Promise<RequestRow> {
  const decided = to === 'fulfilled' || to === 'partly-fulfilled' || to === 'refused';
  const closed = decided || to === 'withdrawn';
  const { rows } = await q.query<RequestRow>(
    `UPDATE rights_request
        SET state = $2,
            identity_confirmed_at = CASE WHEN $2 = 'identity-confirmed' THEN $3 ELSE identity_confirmed_at END,
            identity_method = CASE WHEN $2 = 'identity-confirmed' THEN $4 ELSE identity_method END,
            identity_by = CASE WHEN $2 = 'identity-confirmed' THEN $5 ELSE identity_by END,
            decided_at = CASE WHEN $6 THEN $3 ELSE decided_at END,
            decided_by = CASE WHEN $6 THEN $5 ELSE decided_by END,
            refusal_reason = CASE WHEN $6 THEN $7 ELSE refusal_reason END,
            exemption = CASE WHEN $6 THEN $8 ELSE exemption END,
            decision_note = CASE WHEN $6 THEN $9 ELSE decision_note END,
            withdrawn_at = CASE WHEN $2 = 'withdrawn' THEN $3 ELSE withdrawn_at END,
            closed_at = CASE WHEN $10 THEN $3 ELSE closed_at END
      WHERE id = $1 RETURNING ${COLUMNS}`,
    [
      id,
      to,
      at,
      extra.identityMethod ?? null,
      extra.by ?? null,
      decided,
      extra.refusalReason ?? null,
      extra.exemption ?? null,
      extra.note ?? null,
      closed,
    ],
  );
  return rows[0]!;
}

export async function addEvent(
  q: Queryable,
  e: {
    requestId: string;
    subjectId: string;
    at: Date;
    event: string;
    actorType: 'citizen' | 'staff' | 'platform';
    actorId: string | null;
    note: string | null;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO rights_request_event (request_id, subject_id, at, event, actor_type, actor_id, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [e.requestId, e.subjectId, e.at, e.event, e.actorType, e.actorId, e.note],
  );
}

export async function events(q: Queryable, requestId: string): Promise<EventRow[]> {
  const { rows } = await q.query<EventRow>(
    `SELECT at, event, actor_type AS "actorType", note FROM rights_request_event
      WHERE request_id = $1 ORDER BY id`,
    [requestId],
  );
  return rows;
}

/** Open requests the deadline job has not yet reminded about, due before `before`. */
export async function dueSoon(q: Queryable, before: Date, limit: number): Promise<RequestRow[]> {
  const { rows } = await q.query<RequestRow>(
    `SELECT ${COLUMNS} FROM rights_request
      WHERE state IN ('submitted', 'identity-confirmed', 'in-progress', 'awaiting-person')
        AND due_at < $1 AND reminded_at IS NULL
      ORDER BY due_at, id LIMIT $2`,
    [before, limit],
  );
  return rows;
}

/** Open requests past their deadline not yet escalated. */
export async function overdue(q: Queryable, now: Date, limit: number): Promise<RequestRow[]> {
  const { rows } = await q.query<RequestRow>(
    `SELECT ${COLUMNS} FROM rights_request
      WHERE state IN ('submitted', 'identity-confirmed', 'in-progress', 'awaiting-person')
        AND due_at <= $1 AND escalated_at IS NULL
      ORDER BY due_at, id LIMIT $2`,
    [now, limit],
  );
  return rows;
}

/** Marks a reminder or an escalation once (false: another run did it first). */
export async function mark(
  q: Queryable,
  id: string,
  what: 'reminded' | 'escalated',
  at: Date,
): Promise<boolean> {
  const column = what === 'reminded' ? 'reminded_at' : 'escalated_at';
  const { rowCount } = await q.query(
    `UPDATE rights_request SET ${column} = $2 WHERE id = $1 AND ${column} IS NULL`,
    [id, at],
  );
  return (rowCount ?? 0) > 0;
}

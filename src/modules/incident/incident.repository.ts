/** SQL for the incident record (incident, incident_timeline, incident_report; migration 0028). */
import type { Queryable } from '../../kernel/db/database.ts';
import type { Scope } from './incident.audience.ts';
import type { Incident, IncidentState, OperatorType, Severity, TimelineKind } from './incident.types.ts';

interface Row extends Omit<Incident, 'scope'> {
  scope: { from: string; to: string; categories?: string[]; actors?: string[]; accounts?: string[] } | null;
}

const COLUMNS = `id, title, summary, detected_at AS "detectedAt", opened_at AS "openedAt", systems, categories,
  cause, harm, measures, advice, contact, operator_type AS "operatorType", state, severity,
  suggested_severity AS "suggestedSeverity", affected_count AS "affectedCount", scope, drill,
  report_due_at AS "reportDueAt", reported_at AS "reportedAt", notice_key AS "noticeKey"`;

const toIncident = (r: Row): Incident => ({
  ...r,
  scope: r.scope ? { ...r.scope, from: new Date(r.scope.from), to: new Date(r.scope.to) } : null,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function insert(
  q: Queryable,
  i: Pick<
    Incident,
    | 'title'
    | 'summary'
    | 'detectedAt'
    | 'openedAt'
    | 'systems'
    | 'categories'
    | 'cause'
    | 'operatorType'
    | 'drill'
    | 'reportDueAt'
  > & { openedBy: string },
): Promise<Incident> {
  const { rows } = await q.query<Row>(
    `INSERT INTO incident (title, summary, detected_at, opened_at, systems, categories, cause, operator_type,
                           drill, report_due_at, state, opened_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'detected', $11) RETURNING ${COLUMNS}`,
    [
      i.title,
      i.summary,
      i.detectedAt,
      i.openedAt,
      i.systems,
      i.categories,
      i.cause,
      i.operatorType,
      i.drill,
      i.reportDueAt,
      i.openedBy,
    ],
  );
  return toIncident(rows[0]!);
}

/** The incident, locked for the caller's transaction when `lock` (one step at a time). */
export async function find(q: Queryable, id: string, lock = false): Promise<Incident | undefined> {
  if (!UUID.test(id)) return undefined;
  const { rows } = await q.query<Row>(
    `SELECT ${COLUMNS} FROM incident WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] && toIncident(rows[0]);
}

export async function list(q: Queryable, open: boolean | undefined, limit = 200): Promise<Incident[]> {
  const { rows } = await q.query<Row>(
    `SELECT ${COLUMNS} FROM incident
      WHERE ($1::boolean IS NULL OR (state <> 'closed') = $1)
      ORDER BY opened_at DESC, id LIMIT $2`,
    [open ?? null, limit],
  );
  return rows.map(toIncident);
}

export async function setState(q: Queryable, id: string, to: IncidentState): Promise<Incident> {
  const { rows } = await q.query<Row>(`UPDATE incident SET state = $2 WHERE id = $1 RETURNING ${COLUMNS}`, [
    id,
    to,
  ]);
  return toIncident(rows[0]!);
}

/** Column names of the fields an officer edits (never built from input: this map only). */
const EDITABLE = {
  cause: 'cause',
  harm: 'harm',
  measures: 'measures',
  advice: 'advice',
  contact: 'contact',
  summary: 'summary',
  systems: 'systems',
  categories: 'categories',
} as const;

export async function setFields(
  q: Queryable,
  id: string,
  fields: Partial<Record<keyof typeof EDITABLE, unknown>>,
): Promise<Incident> {
  const keys = (Object.keys(fields) as (keyof typeof EDITABLE)[]).filter((k) => Object.hasOwn(EDITABLE, k));
  const sets = keys.map((k, i) => `${EDITABLE[k]} = $${i + 2}`);
  const { rows } = await q.query<Row>(
    `UPDATE incident SET ${sets.length > 0 ? sets.join(', ') : 'state = state'} WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, ...keys.map((k) => fields[k])],
  );
  return toIncident(rows[0]!);
}

export async function setSeverity(q: Queryable, id: string, severity: Severity): Promise<Incident> {
  const { rows } = await q.query<Row>(
    `UPDATE incident SET severity = $2 WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, severity],
  );
  return toIncident(rows[0]!);
}

export async function setScope(
  q: Queryable,
  id: string,
  scope: Scope,
  affected: number,
  suggested: Severity | null,
): Promise<Incident> {
  const { rows } = await q.query<Row>(
    `UPDATE incident SET scope = $2, affected_count = $3, suggested_severity = $4
      WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, JSON.stringify(scope), affected, suggested],
  );
  return toIncident(rows[0]!);
}

export async function setReported(q: Queryable, id: string, at: Date, to: IncidentState): Promise<Incident> {
  const { rows } = await q.query<Row>(
    `UPDATE incident SET reported_at = $2, state = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, at, to],
  );
  return toIncident(rows[0]!);
}

export async function setNotice(q: Queryable, id: string, key: string, to: IncidentState): Promise<Incident> {
  const { rows } = await q.query<Row>(
    `UPDATE incident SET notice_key = $2, state = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, key, to],
  );
  return toIncident(rows[0]!);
}

export async function insertReport(
  q: Queryable,
  r: {
    incidentId: string;
    channel: string;
    reference: string | null;
    submittedBy: string;
    submittedAt: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO incident_report (incident_id, channel, reference, submitted_by, submitted_at)
     VALUES ($1, $2, $3, $4, $5)`,
    [r.incidentId, r.channel, r.reference, r.submittedBy, r.submittedAt],
  );
}

export interface TimelineRow {
  at: Date;
  kind: TimelineKind;
  state: IncidentState | null;
  authorId: string | null;
  note: string | null;
}

export async function appendTimeline(q: Queryable, incidentId: string, e: TimelineRow): Promise<void> {
  await q.query(
    `INSERT INTO incident_timeline (incident_id, at, kind, state, author_id, note) VALUES ($1, $2, $3, $4, $5, $6)`,
    [incidentId, e.at, e.kind, e.state, e.authorId, e.note],
  );
}

export async function timeline(q: Queryable, incidentId: string): Promise<TimelineRow[]> {
  const { rows } = await q.query<TimelineRow>(
    `SELECT at, kind, state, author_id AS "authorId", note FROM incident_timeline
      WHERE incident_id = $1 ORDER BY at, seq`,
    [incidentId],
  );
  return rows;
}

/**
 * The unreported incidents whose clock needs a `kind` entry by `now` (half time gone for a
 * reminder, the deadline passed for an escalation) and have none yet, locked and skipped by
 * a concurrent pass: each entry is written once.
 */
export async function clockDue(q: Queryable, kind: 'reminded' | 'escalated', now: Date): Promise<Incident[]> {
  const due = kind === 'reminded' ? 'detected_at + (report_due_at - detected_at) / 2' : 'report_due_at';
  const { rows } = await q.query<Row>(
    `SELECT ${COLUMNS} FROM incident i
      WHERE reported_at IS NULL AND state <> 'closed' AND ${due} <= $2
        AND NOT EXISTS (SELECT 1 FROM incident_timeline t WHERE t.incident_id = i.id AND t.kind = $1)
      ORDER BY report_due_at, id
      FOR UPDATE SKIP LOCKED`,
    [kind, now],
  );
  return rows.map(toIncident);
}

export type { OperatorType };

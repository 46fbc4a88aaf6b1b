/** SQL for usage events and their daily aggregates. */
import type { Queryable } from '../../kernel/db/database.ts';

export interface UsageEventRow {
  visitorId: string;
  subjectId: string | null;
  kind: 'page' | 'service';
  name: string;
  occurredAt: Date;
}

export interface DailyRow {
  day: string;
  kind: 'page' | 'service';
  name: string;
  events: number;
  visitors: number;
  signedIn: number;
}

/** Many events in one statement (arrays unnested): the recorder's flush. */
export async function insertEvents(q: Queryable, events: readonly UsageEventRow[]): Promise<number> {
  if (events.length === 0) return 0;
  const r = await q.query(
    `INSERT INTO usage_event (visitor_id, subject_id, kind, name, occurred_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[])`,
    [
      events.map((e) => e.visitorId),
      events.map((e) => e.subjectId),
      events.map((e) => e.kind),
      events.map((e) => e.name),
      events.map((e) => e.occurredAt),
    ],
  );
  return r.rowCount ?? 0;
}

/** Recomputes the aggregates of every day (China time) from `fromDay` on, from the raw events. */
export async function aggregateFrom(q: Queryable, fromDay: string): Promise<number> {
  const r = await q.query(
    `INSERT INTO usage_daily (day, kind, name, events, visitors, signed_in, computed_at)
     SELECT (occurred_at AT TIME ZONE 'Asia/Shanghai')::date AS day, kind, name,
            count(*), count(DISTINCT visitor_id), count(DISTINCT subject_id), now()
       FROM usage_event
      WHERE occurred_at >= ($1::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
      GROUP BY 1, 2, 3
     ON CONFLICT (day, kind, name) DO UPDATE
        SET events = EXCLUDED.events, visitors = EXCLUDED.visitors,
            signed_in = EXCLUDED.signed_in, computed_at = EXCLUDED.computed_at`,
    [fromDay],
  );
  return r.rowCount ?? 0;
}

export async function daily(q: Queryable, fromDay: string, toDay: string): Promise<DailyRow[]> {
  const { rows } = await q.query<DailyRow>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, kind, name, events, visitors, signed_in AS "signedIn"
       FROM usage_daily WHERE day BETWEEN $1::date AND $2::date
      ORDER BY day DESC, events DESC, kind, name`,
    [fromDay, toDay],
  );
  return rows;
}

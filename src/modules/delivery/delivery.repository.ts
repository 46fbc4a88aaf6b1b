/** SQL for deliveries. No rules here: see delivery.service.ts. The contact is in the vault. */
import type { Queryable } from '../../kernel/db/database.ts';
import type { DeliveryState } from './delivery.lifecycle.ts';

export interface DeliveryRow {
  id: string;
  subject_id: string;
  client_id: string;
  application_ref: string;
  given_at: Date;
  released_at: Date | null;
  closed_at: Date | null;
  delete_after: Date;
  erased_at: Date | null;
  erased_by: 'retention' | 'person' | null;
  state: DeliveryState;
}

export async function insert(
  q: Queryable,
  r: { subjectId: string; clientId: string; application: string; openDays: number },
): Promise<DeliveryRow> {
  const { rows } = await q.query<DeliveryRow>(
    `INSERT INTO delivery_request (subject_id, client_id, application_ref, delete_after)
     VALUES ($1, $2, $3, now() + make_interval(days => $4)) RETURNING *`,
    [r.subjectId, r.clientId, r.application, r.openDays],
  );
  return rows[0]!;
}

export async function find(q: Queryable, id: string): Promise<DeliveryRow | undefined> {
  const { rows } = await q.query<DeliveryRow>('SELECT * FROM delivery_request WHERE id = $1', [id]);
  return rows[0];
}

export async function ofSubject(q: Queryable, subjectId: string, limit: number): Promise<DeliveryRow[]> {
  const { rows } = await q.query<DeliveryRow>(
    'SELECT * FROM delivery_request WHERE subject_id = $1 ORDER BY given_at DESC LIMIT $2',
    [subjectId, limit],
  );
  return rows;
}

/** The first read by the department: from `from` to `to` (delivery.lifecycle.ts). */
export async function markReleased(
  q: Queryable,
  id: string,
  from: DeliveryState,
  to: DeliveryState,
): Promise<void> {
  await q.query(
    'UPDATE delivery_request SET released_at = now(), state = $3 WHERE id = $1 AND state = $2 AND released_at IS NULL',
    [id, from, to],
  );
}

/**
 * Closing shortens the retention to `days` from now; it never lengthens it. `from`: the
 * states closing is allowed in (the lifecycle's table).
 */
export async function close(
  q: Queryable,
  id: string,
  days: number,
  from: readonly DeliveryState[],
): Promise<DeliveryRow | undefined> {
  const { rows } = await q.query<DeliveryRow>(
    `UPDATE delivery_request
        SET state = 'closed', closed_at = coalesce(closed_at, now()),
            delete_after = least(delete_after, now() + make_interval(days => $2))
      WHERE id = $1 AND state = ANY($3) RETURNING *`,
    [id, days, from],
  );
  return rows[0];
}

/** Moves a delivery to erased from one of `from`; false if it was erased meanwhile. */
export async function markErased(
  q: Queryable,
  id: string,
  by: 'retention' | 'person',
  from: readonly DeliveryState[],
): Promise<boolean> {
  const { rowCount } = await q.query(
    `UPDATE delivery_request SET state = 'erased', erased_at = now(), erased_by = $2
      WHERE id = $1 AND state = ANY($3)`,
    [id, by, from],
  );
  return rowCount === 1;
}

/**
 * Deliveries whose retention has ended. Not locked: `markErased` takes each one, so of two
 * sweepers racing for a delivery, one erases it and the other finds it already done.
 */
export async function due(q: Queryable, limit: number, held: readonly string[] = []): Promise<DeliveryRow[]> {
  const { rows } = await q.query<DeliveryRow>(
    `SELECT * FROM delivery_request WHERE state <> 'erased' AND delete_after <= now()
        AND NOT (subject_id::text = ANY($2::text[]))
      ORDER BY delete_after LIMIT $1`,
    [limit, held],
  );
  return rows;
}

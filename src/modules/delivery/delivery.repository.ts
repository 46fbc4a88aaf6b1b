/** SQL for deliveries. No rules here: see delivery.service.ts. The contact is in the vault. */
import type { Queryable } from '../../db/database.ts';

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

export async function markReleased(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE delivery_request SET released_at = now() WHERE id = $1 AND released_at IS NULL', [
    id,
  ]);
}

/** Closing shortens the retention to `days` from now; it never lengthens it. */
export async function close(q: Queryable, id: string, days: number): Promise<DeliveryRow | undefined> {
  const { rows } = await q.query<DeliveryRow>(
    `UPDATE delivery_request
        SET closed_at = coalesce(closed_at, now()),
            delete_after = least(delete_after, now() + make_interval(days => $2))
      WHERE id = $1 AND erased_at IS NULL RETURNING *`,
    [id, days],
  );
  return rows[0];
}

export async function markErased(q: Queryable, id: string, by: 'retention' | 'person'): Promise<boolean> {
  const { rowCount } = await q.query(
    'UPDATE delivery_request SET erased_at = now(), erased_by = $2 WHERE id = $1 AND erased_at IS NULL',
    [id, by],
  );
  return rowCount === 1;
}

/**
 * Deliveries whose retention has ended. Not locked: `markErased` takes each one, so of two
 * sweepers racing for a delivery, one erases it and the other finds it already done.
 */
export async function due(q: Queryable, limit: number): Promise<DeliveryRow[]> {
  const { rows } = await q.query<DeliveryRow>(
    `SELECT * FROM delivery_request WHERE erased_at IS NULL AND delete_after <= now()
      ORDER BY delete_after LIMIT $1`,
    [limit],
  );
  return rows;
}

/** SQL for the browsers people turned push on in (push_subscription, migration 0025). */
import type { Queryable } from '../../kernel/db/database.ts';

export interface SubscriptionRow {
  id: string;
  endpoint: string;
  p256dh: Buffer;
  auth: Buffer;
}

export interface SubscriptionView {
  id: string;
  label: string;
  createdAt: Date;
  lastSuccessAt: Date | null;
}

/**
 * The browser's subscription, replacing the one it had (a browser re-subscribes with a new
 * endpoint when its push service rotates it) and taking over an endpoint another account
 * of the same browser held: the push service delivers to the browser, which shows whoever
 * subscribed last. Returns the subscription's id.
 */
export async function upsert(
  q: Queryable,
  s: {
    subjectId: string;
    deviceHash: Buffer;
    sessionId: string;
    endpoint: string;
    p256dh: Buffer;
    auth: Buffer;
    label: string;
  },
): Promise<string> {
  await q.query('DELETE FROM push_subscription WHERE endpoint = $1 AND subject_id <> $2', [
    s.endpoint,
    s.subjectId,
  ]);
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO push_subscription (subject_id, device_hash, session_id, endpoint, p256dh, auth, label)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (subject_id, device_hash) DO UPDATE
       SET session_id = EXCLUDED.session_id, endpoint = EXCLUDED.endpoint, p256dh = EXCLUDED.p256dh,
           auth = EXCLUDED.auth, label = EXCLUDED.label,
           failures = CASE WHEN push_subscription.endpoint = EXCLUDED.endpoint THEN push_subscription.failures ELSE 0 END
     RETURNING id`,
    [s.subjectId, s.deviceHash, s.sessionId, s.endpoint, s.p256dh, s.auth, s.label],
  );
  return rows[0]!.id;
}

export async function removeDevice(
  q: Queryable,
  subjectId: string,
  deviceHash: Buffer,
): Promise<string | undefined> {
  const { rows } = await q.query<{ id: string }>(
    'DELETE FROM push_subscription WHERE subject_id = $1 AND device_hash = $2 RETURNING id',
    [subjectId, deviceHash],
  );
  return rows[0]?.id;
}

/** Every subscription made (or last confirmed) in one of these sessions. */
export async function removeSessions(q: Queryable, sessionIds: readonly string[]): Promise<number> {
  if (sessionIds.length === 0) return 0;
  const { rowCount } = await q.query('DELETE FROM push_subscription WHERE session_id = ANY ($1::uuid[])', [
    sessionIds,
  ]);
  return rowCount ?? 0;
}

export async function ofDevice(
  q: Queryable,
  subjectId: string,
  deviceHash: Buffer,
): Promise<SubscriptionView | undefined> {
  const { rows } = await q.query<SubscriptionView>(
    `SELECT id, label, created_at AS "createdAt", last_success_at AS "lastSuccessAt"
       FROM push_subscription WHERE subject_id = $1 AND device_hash = $2`,
    [subjectId, deviceHash],
  );
  return rows[0];
}

export async function listOf(q: Queryable, subjectId: string): Promise<SubscriptionView[]> {
  const { rows } = await q.query<SubscriptionView>(
    `SELECT id, label, created_at AS "createdAt", last_success_at AS "lastSuccessAt"
       FROM push_subscription WHERE subject_id = $1 ORDER BY created_at DESC`,
    [subjectId],
  );
  return rows;
}

/** Where the channel sends: every browser of the person. */
export async function destinationsOf(q: Queryable, subjectId: string): Promise<SubscriptionRow[]> {
  const { rows } = await q.query<SubscriptionRow>(
    'SELECT id, endpoint, p256dh, auth FROM push_subscription WHERE subject_id = $1 ORDER BY created_at',
    [subjectId],
  );
  return rows;
}

export async function succeeded(q: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await q.query(
    'UPDATE push_subscription SET last_success_at = now(), failures = 0 WHERE id = ANY ($1::uuid[])',
    [ids],
  );
}

export async function failed(q: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await q.query('UPDATE push_subscription SET failures = failures + 1 WHERE id = ANY ($1::uuid[])', [ids]);
}

export async function removeMany(q: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await q.query('DELETE FROM push_subscription WHERE id = ANY ($1::uuid[])', [ids]);
}

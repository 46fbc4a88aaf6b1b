/** SQL of the announce module (its tables only: announcement, announcement_dismissal). */
import type { Queryable } from '../../kernel/db/database.ts';
import type { AnnouncementState } from './announce.lifecycle.ts';

export const announcementKinds = ['incident', 'policy', 'service'] as const;
export type AnnouncementKind = (typeof announcementKinds)[number];

export interface AnnouncementRow {
  id: string;
  key: string;
  kind: AnnouncementKind;
  template: string | null;
  params: Record<string, unknown> | null;
  texts: Record<string, { title: string; text: string }> | null;
  startsAt: Date;
  expiresAt: Date;
  drill: boolean;
  createdBy: string;
  createdAt: Date;
  state: AnnouncementState;
  withdrawnAt: Date | null;
}

const COLUMNS = `id, key, kind, template, params, texts, starts_at AS "startsAt", expires_at AS "expiresAt",
  drill, created_by AS "createdBy", created_at AS "createdAt", state, withdrawn_at AS "withdrawnAt"`;

/** Inserts unless the key exists; `created` says which (idempotent publish). */
export async function insert(
  q: Queryable,
  a: Omit<AnnouncementRow, 'id' | 'createdAt' | 'state' | 'withdrawnAt'>,
): Promise<{ id: string; created: boolean }> {
  const r = await q.query<{ id: string }>(
    `INSERT INTO announcement (key, kind, template, params, texts, starts_at, expires_at, drill, created_by, state)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'published')
     ON CONFLICT (key) DO NOTHING RETURNING id`,
    [
      a.key,
      a.kind,
      a.template,
      a.params === null ? null : JSON.stringify(a.params),
      a.texts === null ? null : JSON.stringify(a.texts),
      a.startsAt,
      a.expiresAt,
      a.drill,
      a.createdBy,
    ],
  );
  if (r.rows[0]) return { id: r.rows[0].id, created: true };
  const found = await q.query<{ id: string }>(`SELECT id FROM announcement WHERE key = $1`, [a.key]);
  return { id: found.rows[0]!.id, created: false };
}

export async function find(q: Queryable, id: string, lock = false): Promise<AnnouncementRow | undefined> {
  const r = await q.query<AnnouncementRow>(
    `SELECT ${COLUMNS} FROM announcement WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return r.rows[0];
}

export async function withdraw(q: Queryable, id: string, by: string, at: Date): Promise<void> {
  await q.query(
    `UPDATE announcement SET state = 'withdrawn', withdrawn_at = $2, withdrawn_by = $3 WHERE id = $1`,
    [id, at, by],
  );
}

/** Shown now: started, not expired, not withdrawn, never a drill, not dismissed by `subjectId`. */
export async function shown(
  q: Queryable,
  subjectId: string | null,
  now: Date,
  limit: number,
): Promise<AnnouncementRow[]> {
  const r = await q.query<AnnouncementRow>(
    `SELECT ${COLUMNS} FROM announcement a
      WHERE a.withdrawn_at IS NULL AND NOT a.drill AND a.starts_at <= $1 AND a.expires_at > $1
        AND ($2::uuid IS NULL OR NOT EXISTS (
              SELECT 1 FROM announcement_dismissal d WHERE d.announcement_id = a.id AND d.subject_id = $2::uuid))
      ORDER BY a.starts_at DESC, a.id
      LIMIT $3`,
    [now, subjectId, limit],
  );
  return r.rows;
}

/** Records a dismissal of an existing announcement; false when there is none or it was dismissed already. */
export async function dismiss(q: Queryable, subjectId: string, id: string, at: Date): Promise<boolean> {
  const r = await q.query(
    `INSERT INTO announcement_dismissal (subject_id, announcement_id, dismissed_at)
     SELECT $1, a.id, $3 FROM announcement a WHERE a.id = $2
     ON CONFLICT DO NOTHING`,
    [subjectId, id, at],
  );
  return (r.rowCount ?? 0) > 0;
}

export async function list(q: Queryable, limit: number): Promise<AnnouncementRow[]> {
  const r = await q.query<AnnouncementRow>(
    `SELECT ${COLUMNS} FROM announcement ORDER BY created_at DESC, id LIMIT $1`,
    [limit],
  );
  return r.rows;
}

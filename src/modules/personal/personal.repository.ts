/** SQL for the service halls and a person's recent and favourite services and chosen hall. */
import type { Queryable } from '../../kernel/db/database.ts';
import type { Locale } from '../../kernel/locale.ts';

export interface HallRow {
  slug: string;
  name: Record<Locale, string>;
  city: string;
  cityName: Record<Locale, string>;
  lat: number;
  lon: number;
}

export interface ServiceRow {
  slug: string;
  favourite: boolean;
  lastUsedAt: Date;
}

export async function halls(q: Queryable): Promise<HallRow[]> {
  const { rows } = await q.query<HallRow>(
    `SELECT slug, name, city, city_name AS "cityName", lat, lon FROM service_hall ORDER BY city, slug`,
  );
  return rows;
}

export async function servicesOf(q: Queryable, subjectId: string): Promise<ServiceRow[]> {
  const { rows } = await q.query<ServiceRow>(
    `SELECT service_slug AS slug, favourite, last_used_at AS "lastUsedAt" FROM personal_service
      WHERE subject_id = $1 ORDER BY favourite DESC, last_used_at DESC`,
    [subjectId],
  );
  return rows;
}

/** Records a use; keeps the `keep` most recent that are not favourites. */
export async function used(q: Queryable, subjectId: string, slug: string, keep: number): Promise<void> {
  await q.query(
    `INSERT INTO personal_service (subject_id, service_slug) VALUES ($1, $2)
     ON CONFLICT (subject_id, service_slug) DO UPDATE SET last_used_at = now()`,
    [subjectId, slug],
  );
  await q.query(
    `DELETE FROM personal_service WHERE subject_id = $1 AND NOT favourite AND service_slug IN (
       SELECT service_slug FROM personal_service WHERE subject_id = $1 AND NOT favourite
        ORDER BY last_used_at DESC OFFSET $2)`,
    [subjectId, keep],
  );
}

export async function setFavourite(
  q: Queryable,
  subjectId: string,
  slug: string,
  on: boolean,
): Promise<void> {
  if (on)
    await q.query(
      `INSERT INTO personal_service (subject_id, service_slug, favourite) VALUES ($1, $2, true)
       ON CONFLICT (subject_id, service_slug) DO UPDATE SET favourite = true, last_used_at = now()`,
      [subjectId, slug],
    );
  else
    await q.query(
      `UPDATE personal_service SET favourite = false WHERE subject_id = $1 AND service_slug = $2`,
      [subjectId, slug],
    );
}

export async function hallOf(q: Queryable, subjectId: string): Promise<string | undefined> {
  const { rows } = await q.query<{ hall: string }>(
    `SELECT hall_slug AS hall FROM personal_hall WHERE subject_id = $1`,
    [subjectId],
  );
  return rows[0]?.hall;
}

export async function chooseHall(
  q: Queryable,
  subjectId: string,
  hall: string,
  by: 'city' | 'location',
): Promise<void> {
  await q.query(
    `INSERT INTO personal_hall (subject_id, hall_slug, chosen_by) VALUES ($1, $2, $3)
     ON CONFLICT (subject_id) DO UPDATE SET hall_slug = $2, chosen_by = $3, chosen_at = now()`,
    [subjectId, hall, by],
  );
}

/** Everything kept about a person for personalisation goes (consent withdrawn). */
export async function forget(q: Queryable, subjectId: string): Promise<number> {
  const a = await q.query(`DELETE FROM personal_service WHERE subject_id = $1`, [subjectId]);
  const b = await q.query(`DELETE FROM personal_hall WHERE subject_id = $1`, [subjectId]);
  return (a.rowCount ?? 0) + (b.rowCount ?? 0);
}

/** SQL for departments and their services. */
import type { Queryable } from '../../kernel/db/database.ts';
import type { Locale } from '../../kernel/locale.ts';

export type Texts = Record<Locale, string>;

export interface DepartmentRow {
  id: string;
  slug: string;
  name: Texts;
  services: { slug: string; name: Texts; summary: Texts }[];
}

export async function listDepartments(q: Queryable): Promise<DepartmentRow[]> {
  const { rows } = await q.query<DepartmentRow>(
    `SELECT d.id, d.slug, d.name,
            coalesce(jsonb_agg(jsonb_build_object('slug', s.slug, 'name', s.name, 'summary', s.summary)
                     ORDER BY s.position) FILTER (WHERE s.id IS NOT NULL), '[]'::jsonb) AS services
       FROM department d LEFT JOIN service s ON s.department_id = d.id
      GROUP BY d.id ORDER BY d.position`,
  );
  return rows;
}

export async function countDepartments(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM department');
  return rows[0]?.n ?? 0;
}

export async function insertDepartment(
  q: Queryable,
  slug: string,
  name: Texts,
  position: number,
): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    'INSERT INTO department (slug, name, position) VALUES ($1, $2, $3) RETURNING id',
    [slug, name, position],
  );
  return rows[0]!.id;
}

export async function insertService(
  q: Queryable,
  departmentId: string,
  s: { slug: string; name: Texts; summary: Texts },
  position: number,
): Promise<void> {
  await q.query(
    'INSERT INTO service (department_id, slug, name, summary, position) VALUES ($1, $2, $3, $4, $5)',
    [departmentId, s.slug, s.name, s.summary, position],
  );
}

/** Reading a person's assurance level (L1–L4); the identity module owns it. */
import type { Queryable } from '../../db/database.ts';

/** The person's current level, or 0 when there is no such account. */
export async function assuranceLevel(db: Queryable, subjectId: string): Promise<number> {
  const { rows } = await db.query<{ assurance_level: number }>(
    {
      name: 'identity-assurance-level',
      text: 'SELECT assurance_level FROM citizen_account WHERE subject_id = $1',
    },
    [subjectId],
  );
  return rows[0]?.assurance_level ?? 0;
}

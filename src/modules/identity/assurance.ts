/**
 * The person's assurance level (P2.1: L1 a confirmed phone … L4 in person), read by other
 * modules that gate actions on it (binding a company needs L3, a service its registered
 * level). Identity owns the level.
 */
import type { Queryable } from '../../db/database.ts';

/** The account's assurance level, or 0 when there is no such account. */
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

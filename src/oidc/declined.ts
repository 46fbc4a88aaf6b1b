/**
 * Optional fields a person declined to share with a service (consent screen, P5.1.1).
 *
 * Rules:
 * - A declined optional field is not asked again at the next sign-ins (the consent screen
 *   would otherwise open at every sign-in): the grant records it as rejected instead.
 * - It is asked again when the service asks for consent explicitly (prompt=consent), or
 *   once the decline is older than the consent period (consent-screen.ts, CONSENT_DAYS).
 * - A consent given for the field, here or elsewhere, wins over an earlier decline; an
 *   answer on the consent screen replaces the earlier ones for the fields it asked about.
 */
import type { Queryable } from '../kernel/db/database.ts';

/** Fields of this service the person declined within the last `days`. */
export async function declinedFields(
  q: Queryable,
  subjectId: string,
  clientId: string,
  days: number,
): Promise<Set<string>> {
  const { rows } = await q.query<{ field: string }>(
    `SELECT field FROM oidc_declined_field
      WHERE subject_id = $1 AND client_id = $2 AND declined_at > now() - make_interval(days => $3)`,
    [subjectId, clientId, days],
  );
  return new Set(rows.map((r) => r.field));
}

/** Records the answer to the fields the screen asked about: `declined` now, the others not. */
export async function recordDeclined(
  q: Queryable,
  subjectId: string,
  clientId: string,
  asked: readonly string[],
  declined: readonly string[],
): Promise<void> {
  await q.query(
    `DELETE FROM oidc_declined_field WHERE subject_id = $1 AND client_id = $2 AND field = ANY($3::text[])`,
    [subjectId, clientId, asked.filter((f) => !declined.includes(f))],
  );
  if (declined.length === 0) return;
  await q.query(
    `INSERT INTO oidc_declined_field (subject_id, client_id, field)
     SELECT $1, $2, unnest($3::text[])
     ON CONFLICT (subject_id, client_id, field) DO UPDATE SET declined_at = now()`,
    [subjectId, clientId, declined],
  );
}

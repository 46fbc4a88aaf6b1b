/**
 * Acting for a company at a department service (scope `company`, claim `acting_for`).
 *
 * Rules:
 * - Only services of a department where a company can be represented (company module's
 *   `powerForDepartment`: tax, social security, housing fund) may ask for scope `company`.
 * - Every authorization that asks for it shows the person the choice: themself, or a
 *   company they may act for there now. The choice is bound to the grant, never carried
 *   over from the portal session or from an earlier authorization.
 * - At each release the authorisation is checked again (company module): an ended agent
 *   authorisation or a revoked licence releases no `acting_for`, and the service then
 *   sees a person acting for themself.
 */
import type { Database, Queryable } from '../kernel/db/database.ts';

export const COMPANY_SCOPE = 'company';

/** Remembers (or clears, with null) whom the person acts for under this grant. */
export async function bindActing(
  q: Queryable,
  grantId: string,
  subjectId: string,
  companyId: string | null,
): Promise<void> {
  if (!companyId) {
    await q.query('DELETE FROM oidc_acting WHERE grant_id = $1', [grantId]);
    return;
  }
  await q.query(
    `INSERT INTO oidc_acting (grant_id, subject_id, company_id) VALUES ($1, $2, $3)
     ON CONFLICT (grant_id) DO UPDATE SET subject_id = EXCLUDED.subject_id,
       company_id = EXCLUDED.company_id, chosen_at = now()`,
    [grantId, subjectId, companyId],
  );
}

export async function actingOf(
  q: Queryable,
  grantId: string,
  subjectId: string,
): Promise<string | undefined> {
  const { rows } = await q.query<{ company_id: string }>(
    'SELECT company_id FROM oidc_acting WHERE grant_id = $1 AND subject_id = $2',
    [grantId, subjectId],
  );
  return rows[0]?.company_id;
}

/** Choices whose grant is gone (revoked, expired, logged out); returns how many. */
export async function sweepActing(db: Database): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM oidc_acting a
      WHERE NOT EXISTS (SELECT 1 FROM oidc_model m WHERE m.kind = 'Grant' AND m.id = a.grant_id)`,
  );
  return rowCount ?? 0;
}

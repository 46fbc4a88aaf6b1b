/**
 * The least-privilege rules of what a staff role may do (P7.2: strict access limits).
 * HTTP authentication of staff lives in web/http/staff-auth.ts.
 */
import type { StaffRole } from './staff.repository.ts';

/** Which role may use personal data for which purpose: the table in the inventory (P7.2.roles). */
export { mayUseFor } from '../inventory/index.ts';

/**
 * Registering department services (relying parties) is platform administration: it
 * touches no personal data, and only administrators do it (P1.2).
 */
export function mayManageRelyingParties(role: StaffRole): boolean {
  return role === 'administrator';
}

export {
  createStaffService,
  type StaffService,
  type StaffMember,
  type PendingStaff,
  MIN_PASSWORD,
  IDLE_MINUTES,
  SESSION_HOURS,
} from './staff.service.ts';
export type { StaffRole } from './staff.repository.ts';
export { staffErrors } from './staff.errors.ts';
export { staffCookieName, staffApiAuth, mayUseFor, mayManageRelyingParties } from './staff.auth.ts';
export { staffData } from './staff.data.ts';

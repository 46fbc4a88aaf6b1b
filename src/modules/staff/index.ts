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
export { staffNames, staffEmailsOfRoles, disabledBefore } from './staff.repository.ts';
export { staffErrors } from './staff.errors.ts';
export { mayUseFor, mayManageRelyingParties } from './staff.roles.ts';
export { staffData } from './staff.data.ts';

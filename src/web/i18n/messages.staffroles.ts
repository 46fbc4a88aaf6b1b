/** Names of staff roles added after the core texts (the security officer of P7.2i). */
import { area } from './area.ts';

export const staffRoles = area(
  { 'role.security_officer': 'Security officer' },
  { 'role.security_officer': '安全负责人' },
  { 'role.security_officer': 'Bezpečnostní pracovník' },
);

/**
 * Staff accounts and console sessions. Staff are not citizens: separate table, login
 * page and cookie (P7.2: least-privilege staff roles, strict access limits).
 *
 * Rules:
 * - No default password, ever: the first administrator comes from `civitas staff create`
 *   or from CIVITAS_ADMIN_EMAIL/CIVITAS_ADMIN_PASSWORD.
 * - Passwords are argon2id hashes; unknown e-mails cost the same time as wrong passwords.
 * - Session tokens are random; only their SHA-256 is stored.
 * - Every login, failed login, logout and account creation is audited.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../shared/errors.ts';
import type { AuditService } from '../audit/index.ts';
import { staffErrors } from './staff.errors.ts';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from '../../shared/password.ts';
import * as repo from './staff.repository.ts';

export const SESSION_HOURS = 8;
export const MIN_PASSWORD = 12;

export interface StaffMember {
  id: string;
  email: string;
  displayName: string;
  role: repo.StaffRole;
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest();
const member = (r: repo.StaffRow): StaffMember => ({
  id: r.id,
  email: r.email,
  displayName: r.displayName,
  role: r.role,
});

export interface StaffService {
  count(): Promise<number>;
  create(
    s: { email: string; displayName: string; role: repo.StaffRole; password: string },
    by: { type: 'staff' | 'system'; id: string },
  ): Promise<string>;
  login(email: string, password: string, requestId: string): Promise<{ token: string; staff: StaffMember }>;
  session(token: string | undefined): Promise<StaffMember | undefined>;
  logout(token: string, requestId: string): Promise<void>;
}

export function createStaffService(deps: { db: Database; audit: AuditService }): StaffService {
  const { db, audit } = deps;
  return {
    count: () => repo.countStaff(db),

    async create(s, by) {
      if (s.password.length < MIN_PASSWORD) throw new AppError(staffErrors.weak_password);
      const passwordHash = await hashPassword(s.password);
      return db.tx(async (q) => {
        const id = await repo.insertStaff(q, { ...s, passwordHash });
        if (!id) throw new AppError(staffErrors.email_taken);
        await audit.append(q, {
          actor: by,
          action: 'staff.created',
          subject: { type: 'staff', id },
          legalBasis: 'staff-administration',
          clause: 'P7.2',
          detail: { role: s.role },
        });
        return id;
      });
    },

    async login(email, password, requestId) {
      const found = await repo.findByEmail(db, email);
      const ok = await verifyPassword(found?.passwordHash ?? (await decoyHash()), password);
      if (!found || !ok || found.disabledAt) {
        await audit.append(db, {
          actor: { type: 'anonymous' },
          action: 'staff.login_failed',
          subject: found ? { type: 'staff', id: found.id } : null,
          purpose: 'account-security',
          clause: 'P7.2',
          requestId,
        });
        throw new AppError(staffErrors.invalid_credentials);
      }
      if (needsRehash(found.passwordHash))
        await repo.updatePasswordHash(db, found.id, await hashPassword(password));
      const token = randomBytes(32).toString('base64url');
      await db.tx(async (q) => {
        await repo.insertSession(
          q,
          tokenHash(token),
          found.id,
          new Date(Date.now() + SESSION_HOURS * 3600_000),
        );
        await audit.append(q, {
          actor: { type: 'staff', id: found.id },
          action: 'staff.login',
          subject: { type: 'staff', id: found.id },
          purpose: 'account-security',
          clause: 'P7.2',
          requestId,
        });
      });
      return { token, staff: member(found) };
    },

    async session(token) {
      if (!token) return undefined;
      const row = await repo.findSession(db, tokenHash(token));
      return row ? member(row) : undefined;
    },

    async logout(token, requestId) {
      await db.tx(async (q) => {
        const staffId = await repo.revokeSession(q, tokenHash(token));
        if (!staffId) return;
        await audit.append(q, {
          actor: { type: 'staff', id: staffId },
          action: 'staff.logout',
          subject: { type: 'staff', id: staffId },
          purpose: 'account-security',
          requestId,
        });
      });
    },
  };
}

/**
 * Staff accounts and console sessions. Staff are not citizens: separate table, login
 * page and cookie (P7.2: least-privilege staff roles, strict access limits, a second factor).
 *
 * Rules:
 * - No default password, ever: the first administrator comes from `civitas staff create`
 *   or from CIVITAS_ADMIN_EMAIL/CIVITAS_ADMIN_PASSWORD.
 * - Passwords are argon2id hashes of at least 12 characters that are not on the list of
 *   common and breached passwords (ASVS 6.2.4); unknown e-mails cost the same time as
 *   wrong passwords. Staff change their own password with the current one; their other
 *   sessions end.
 * - P7.2.roles every staff member has a second factor (TOTP, `shared/totp.ts`, secret sealed
 *   by the keyring as `staff-totp:<id>`). The password alone opens a session at a stage
 *   short of `full`: `second-factor` (a code is due) or `enrol` (no factor yet: the first
 *   sign-in sets one up). Such a session opens nothing else, lasts 10 minutes and allows
 *   5 wrong codes; the full session gets a new token (no fixation).
 * - Wrong passwords and codes slow the account down progressively: from the 3rd in a row,
 *   the next attempt waits 5 s, doubling to at most 60 s after the latest failure. It is a
 *   delay, not a lock: an attacker can keep an account waiting at most a minute, and
 *   attempts made while it waits are not checked and do not count. A success clears it.
 * - Sessions end after 8 hours, or 30 minutes without use; use moves the idle clock on,
 *   written at most once a minute.
 * - Session tokens are random; only their SHA-256 is stored.
 * - Every login, failed login, second factor, enrolment, password change, logout and
 *   account creation is audited.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from '../../shared/password.ts';
import { passwordProblem } from '../../shared/password-policy.ts';
import { base32, matchTotp, newTotpSecret, otpauthUri } from '../../shared/totp.ts';
import type { AuditAction, AuditEntryInput, AuditService } from '../audit/index.ts';
import type { KeyManager } from '../vault/index.ts';
import { staffErrors } from './staff.errors.ts';
import * as repo from './staff.repository.ts';
import { clock } from '../../kernel/clock.ts';

export const SESSION_HOURS = 8;
export const IDLE_MINUTES = 30;
export const MIN_PASSWORD = 12;
const PENDING_MINUTES = 10;
const PENDING_ATTEMPTS = 5;
const FREE_FAILURES = 3;
const SLOW_BASE_MS = 5_000;
const SLOW_MAX_MS = 60_000;

export interface StaffMember {
  id: string;
  email: string;
  displayName: string;
  role: repo.StaffRole;
}

/** A session that proved the password and still owes its second factor. */
export interface PendingStaff {
  staff: StaffMember;
  stage: 'second-factor' | 'enrol';
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest();
const newToken = () => randomBytes(32).toString('base64url');
const member = (r: repo.StaffRow): StaffMember => ({
  id: r.id,
  email: r.email,
  displayName: r.displayName,
  role: r.role,
});

/** When the account may try again after `failed` failures in a row, the latest at `last`. */
export function nextAttemptAt(failed: number, last: Date | null): Date | undefined {
  if (failed < FREE_FAILURES || !last) return undefined;
  const wait = Math.min(SLOW_BASE_MS * 2 ** (failed - FREE_FAILURES), SLOW_MAX_MS);
  const at = new Date(last.getTime() + wait);
  return at > clock.date() ? at : undefined;
}

const checkNewPassword = (password: string) => {
  const problem = passwordProblem(password, MIN_PASSWORD);
  if (problem === 'length') throw new AppError(staffErrors.weak_password);
  if (problem === 'common') throw new AppError(staffErrors.common_password);
};

export interface StaffService {
  count(): Promise<number>;
  create(
    s: { email: string; displayName: string; role: repo.StaffRole; password: string },
    by: { type: 'staff' | 'system'; id: string },
  ): Promise<string>;
  /** The password step: a session that still owes its second factor (or its enrolment). */
  login(email: string, password: string, requestId: string): Promise<{ token: string } & PendingStaff>;
  /** The staff member of a full session, or undefined. */
  session(token: string | undefined): Promise<StaffMember | undefined>;
  /** The staff member of a session still owing its second factor, or undefined. */
  pending(token: string | undefined): Promise<PendingStaff | undefined>;
  /** Enrolment at first sign-in: a new TOTP secret (or the one shown before). */
  enrolment(token: string | undefined, issuer: string): Promise<{ secret: string; uri: string }>;
  /** The first code confirms the app; returns the token of the full session that replaces this one. */
  confirmEnrolment(token: string | undefined, code: string, requestId: string): Promise<string>;
  /** The second factor; returns the token of the full session that replaces this one. */
  verifyCode(token: string | undefined, code: string, requestId: string): Promise<string>;
  changePassword(
    token: string | undefined,
    current: string,
    next: string,
    requestId: string,
  ): Promise<{ otherSessionsEnded: number }>;
  logout(token: string, requestId: string): Promise<void>;
  /**
   * A lost authenticator app (`civitas staff reset-factor`): the factor is removed and every
   * session ends, so the next sign-in enrols a new app. Returns whether the account exists.
   */
  resetSecondFactor(email: string, by: { type: 'staff' | 'system'; id: string }): Promise<boolean>;
}

export function createStaffService(deps: {
  db: Database;
  audit: AuditService;
  keys: KeyManager;
}): StaffService {
  const { db, audit, keys } = deps;
  const context = (staffId: string) => `staff-totp:${staffId}`;
  const security = (
    staffId: string,
    action: AuditAction,
    requestId: string,
    detail?: AuditEntryInput['detail'],
  ) =>
    audit.append(db, {
      actor: { type: 'staff', id: staffId },
      action,
      subject: { type: 'staff', id: staffId },
      purpose: 'account-security',
      clause: 'P7.2',
      requestId,
      ...(detail ? { detail } : {}),
    });

  const refuseWhileSlowed = (row: repo.StaffRow) => {
    const at = nextAttemptAt(row.failedLogins, row.lastFailedAt);
    if (at) throw new AppError(staffErrors.slow_down, `retry after ${at.toISOString()}`);
  };

  /** A live session row, its idle clock moved on (at most one write a minute). */
  const live = async (token: string | undefined) => {
    if (!token) return undefined;
    const hash = tokenHash(token);
    const row = await repo.findSession(db, hash, IDLE_MINUTES);
    if (row?.stale) await repo.touchSession(db, hash);
    return row && { row, hash };
  };

  const pendingRow = async (token: string | undefined, stage: PendingStaff['stage']) => {
    const s = await live(token);
    if (!s || s.row.stage !== stage) throw new AppError(staffErrors.second_factor_expired);
    return s;
  };

  /** A wrong code: counted on the account (slow-down) and on the session (5, then it ends). */
  const wrongCode = async (s: { row: repo.SessionRow; hash: Buffer }, requestId: string): Promise<never> => {
    const failed = await repo.recordFailure(db, s.row.id);
    const attempts = await repo.countAttempt(db, s.hash);
    await security(s.row.id, 'staff.second_factor_failed', requestId, { failed, attempts });
    if (attempts >= PENDING_ATTEMPTS) {
      await repo.revokeSession(db, s.hash);
      throw new AppError(staffErrors.second_factor_expired);
    }
    throw new AppError(staffErrors.code_invalid);
  };

  /** Replaces a pending session by a full one with a new token, audited as the sign-in. */
  const promote = async (
    s: { row: repo.SessionRow; hash: Buffer },
    requestId: string,
    action: AuditAction,
  ) => {
    const token = newToken();
    await db.tx(async (q) => {
      await repo.revokeSession(q, s.hash);
      await repo.insertSession(
        q,
        tokenHash(token),
        s.row.id,
        new Date(clock.now() + SESSION_HOURS * 3600_000),
        'full',
      );
      await repo.clearFailures(q, s.row.id);
      await audit.append(q, {
        actor: { type: 'staff', id: s.row.id },
        action,
        subject: { type: 'staff', id: s.row.id },
        purpose: 'account-security',
        clause: 'P7.2',
        requestId,
      });
    });
    return token;
  };

  return {
    count: () => repo.countStaff(db),

    async create(s, by) {
      checkNewPassword(s.password);
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
      if (found && !found.disabledAt) refuseWhileSlowed(found);
      const ok = await verifyPassword(found?.passwordHash ?? (await decoyHash()), password);
      if (!found || !ok || found.disabledAt) {
        const failed = found && !found.disabledAt ? await repo.recordFailure(db, found.id) : undefined;
        await audit.append(db, {
          actor: { type: 'anonymous' },
          action: 'staff.login_failed',
          subject: found ? { type: 'staff', id: found.id } : null,
          purpose: 'account-security',
          clause: 'P7.2',
          requestId,
          ...(failed ? { detail: { failed } } : {}),
        });
        throw new AppError(staffErrors.invalid_credentials);
      }
      if (needsRehash(found.passwordHash))
        await repo.updatePasswordHash(db, found.id, await hashPassword(password));
      const stage = (await repo.findTotp(db, found.id))?.confirmed ? 'second-factor' : 'enrol';
      const token = newToken();
      await repo.insertSession(
        db,
        tokenHash(token),
        found.id,
        new Date(clock.now() + PENDING_MINUTES * 60_000),
        stage,
      );
      await security(found.id, 'staff.password_accepted', requestId, { next: stage });
      return { token, staff: member(found), stage };
    },

    async session(token) {
      const s = await live(token);
      return s?.row.stage === 'full' ? member(s.row) : undefined;
    },

    async pending(token) {
      const s = await live(token);
      if (!s || s.row.stage === 'full') return undefined;
      return { staff: member(s.row), stage: s.row.stage };
    },

    async enrolment(token, issuer) {
      const { row } = await pendingRow(token, 'enrol');
      const existing = await repo.findTotp(db, row.id);
      let secret: Buffer;
      if (existing && !existing.confirmed) {
        secret = await keys.unwrap(existing.keyId, existing.secretSealed, context(row.id));
      } else {
        secret = newTotpSecret();
        const { keyId, wrapped } = await keys.wrap(secret, context(row.id));
        if (!(await repo.putPendingTotp(db, row.id, keyId, wrapped)))
          throw new AppError(staffErrors.second_factor_expired);
      }
      return { secret: base32(secret), uri: otpauthUri(secret, row.email, issuer) };
    },

    async confirmEnrolment(token, code, requestId) {
      const s = await pendingRow(token, 'enrol');
      refuseWhileSlowed(s.row);
      const t = await repo.findTotp(db, s.row.id);
      if (!t || t.confirmed) throw new AppError(staffErrors.second_factor_expired);
      const step = matchTotp(
        await keys.unwrap(t.keyId, t.secretSealed, context(s.row.id)),
        code.trim(),
        clock.now(),
      );
      if (step === undefined || !(await repo.useTotpStep(db, s.row.id, step, true)))
        return wrongCode(s, requestId);
      await security(s.row.id, 'staff.factor_added', requestId, { factor: 'totp' });
      return promote(s, requestId, 'staff.login');
    },

    async verifyCode(token, code, requestId) {
      const s = await pendingRow(token, 'second-factor');
      refuseWhileSlowed(s.row);
      const t = await repo.findTotp(db, s.row.id);
      if (!t?.confirmed) throw new AppError(staffErrors.second_factor_expired);
      const step = matchTotp(
        await keys.unwrap(t.keyId, t.secretSealed, context(s.row.id)),
        code.trim(),
        clock.now(),
      );
      if (step === undefined || !(await repo.useTotpStep(db, s.row.id, step, false)))
        return wrongCode(s, requestId);
      return promote(s, requestId, 'staff.login');
    },

    async changePassword(token, current, next, requestId) {
      const s = await live(token);
      if (!s || s.row.stage !== 'full') throw new AppError(staffErrors.second_factor_expired);
      refuseWhileSlowed(s.row);
      if (!(await verifyPassword(s.row.passwordHash, current))) {
        const failed = await repo.recordFailure(db, s.row.id);
        await security(s.row.id, 'staff.password_change_failed', requestId, { failed });
        throw new AppError(staffErrors.wrong_current_password);
      }
      checkNewPassword(next);
      if (next === current) throw new AppError(staffErrors.same_password);
      const passwordHash = await hashPassword(next);
      return db.tx(async (q) => {
        await repo.updatePasswordHash(q, s.row.id, passwordHash);
        await repo.clearFailures(q, s.row.id);
        const otherSessionsEnded = await repo.revokeOtherSessions(q, s.row.id, s.hash);
        await audit.append(q, {
          actor: { type: 'staff', id: s.row.id },
          action: 'staff.password_changed',
          subject: { type: 'staff', id: s.row.id },
          purpose: 'account-security',
          clause: 'P7.2',
          detail: { otherSessionsEnded },
          requestId,
        });
        return { otherSessionsEnded };
      });
    },

    async resetSecondFactor(email, by) {
      const found = await repo.findByEmail(db, email);
      if (!found) return false;
      await db.tx(async (q) => {
        await repo.resetSecondFactor(q, found.id);
        await audit.append(q, {
          actor: by,
          action: 'staff.factor_reset',
          subject: { type: 'staff', id: found.id },
          legalBasis: 'staff-administration',
          clause: 'P7.2',
        });
      });
      return true;
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

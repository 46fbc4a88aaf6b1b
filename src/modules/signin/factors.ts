/**
 * Second factors a person sets up on their security page (P7.3): an authenticator app
 * (TOTP) and recovery codes. Passkeys are in passkeys.ts.
 *
 * Rules:
 * - The TOTP secret is sealed by the keyring (KeyManager.wrap, context `totp:<subject>`):
 *   the same master keys, rotation and future KMS as the vault's data keys; the database
 *   alone never reveals it.
 * - A TOTP factor is active only once a first code confirms it.
 * - A TOTP step is accepted once: a code replayed within its window is refused.
 * - Ten recovery codes, shown once, stored as keyed hashes, each usable once; new codes
 *   replace all old ones. They exist only while a passkey or TOTP does: with the last
 *   strong factor gone, the second step is an SMS code again and the codes are deleted.
 * - Adding and removing a factor, and regenerating codes, are audited.
 */
import { randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import type { AuditAction, AuditEntryInput, AuditService } from '../audit/index.ts';
import type { KeyManager } from '../vault/index.ts';
import { signInErrors } from './signin.errors.ts';
import * as repo from './signin.repository.ts';
import { base32, matchTotp, newTotpSecret, otpauthUri } from '../../shared/totp.ts';
import { clock } from '../../kernel/clock.ts';
import { checkName, type NameProblem } from '../session/index.ts';

const RECOVERY_CODES = 10;

export interface FactorOverview {
  totp: 'active' | 'pending' | null;
  passkeys: { id: string; label: string; createdAt: Date; lastUsedAt: Date | null }[];
  recoveryCodesLeft: number;
}

export function createFactors(deps: {
  db: Database;
  audit: AuditService;
  keys: KeyManager;
  keyedHash: (data: string) => Buffer;
}) {
  const { db, audit, keys } = deps;
  const recoveryHash = (subjectId: string, code: string) =>
    deps.keyedHash(`recovery:${subjectId}:${code.toUpperCase().replace(/[^A-Z2-7]/g, '')}`);
  const context = (subjectId: string) => `totp:${subjectId}`;

  const secretOf = async (subjectId: string, confirmed: boolean) => {
    const r = await repo.totpOf(db, subjectId);
    if (!r || r.confirmed !== confirmed) return undefined;
    return keys.unwrap(r.key_id, r.secret_sealed, context(subjectId));
  };

  const auditFactor = (
    q: Queryable,
    subjectId: string,
    action: AuditAction,
    detail: NonNullable<AuditEntryInput['detail']>,
    requestId: string,
  ) =>
    audit.append(q, {
      actor: { type: 'citizen', id: subjectId },
      action,
      subject: { type: 'person', id: subjectId },
      purpose: 'account-security',
      clause: 'P7.3',
      detail,
      requestId,
    });

  async function newRecoveryCodes(q: Queryable, subjectId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODES }, () => {
      const c = base32(randomBytes(7)).slice(0, 10);
      return `${c.slice(0, 5)}-${c.slice(5)}`;
    });
    await repo.replaceRecoveryCodes(
      q,
      subjectId,
      codes.map((c) => recoveryHash(subjectId, c)),
    );
    return codes;
  }

  /** Counts the strong factors left; with none, recovery codes go (the SMS code takes over). */
  async function afterRemoval(q: Queryable, subjectId: string): Promise<boolean> {
    const last = (await repo.strongFactorCount(q, subjectId)) === 0;
    if (last) await repo.deleteRecoveryCodes(q, subjectId);
    return last;
  }

  return {
    async overview(subjectId: string): Promise<FactorOverview> {
      const r = await repo.factorOverview(db, subjectId);
      return {
        totp: r.totp,
        recoveryCodesLeft: r.left,
        passkeys: (r.passkeys ?? []).map((p) => ({
          ...p,
          createdAt: new Date(p.createdAt),
          lastUsedAt: p.lastUsedAt ? new Date(p.lastUsedAt) : null,
        })),
      };
    },

    /** Starts (or restarts) enrolment: a new secret, inactive until confirmed. */
    async beginTotp(subjectId: string, account: string): Promise<{ secret: string; uri: string }> {
      const secret = newTotpSecret();
      const { keyId, wrapped } = await keys.wrap(secret, context(subjectId));
      if (!(await repo.startTotp(db, subjectId, keyId, wrapped)))
        throw new AppError(signInErrors.factor_exists);
      return { secret: base32(secret), uri: otpauthUri(secret, account, 'Civitas') };
    },

    /** The pending enrolment, to show again after a wrong first code. */
    async pendingTotp(
      subjectId: string,
      account: string,
    ): Promise<{ secret: string; uri: string } | undefined> {
      const secret = await secretOf(subjectId, false);
      return secret && { secret: base32(secret), uri: otpauthUri(secret, account, 'Civitas') };
    },

    /** Activates the app with its first code; returns new recovery codes when the account had none. */
    async confirmTotp(subjectId: string, code: string, requestId: string): Promise<string[] | undefined> {
      const secret = await secretOf(subjectId, false);
      if (!secret) throw new AppError(signInErrors.second_step_expired);
      const step = matchTotp(secret, code.trim(), clock.now());
      if (step === undefined) throw new AppError(signInErrors.code_invalid);
      return db.tx(async (q) => {
        await repo.confirmTotp(q, subjectId, step);
        await auditFactor(q, subjectId, 'identity.factor_added', { factor: 'totp' }, requestId);
        return (await repo.recoveryCodeCount(q, subjectId, { unusedOnly: true })) > 0
          ? undefined
          : newRecoveryCodes(q, subjectId);
      });
    },

    /** A second step by the app: true once per 30-second step. */
    async useTotp(subjectId: string, code: string): Promise<boolean> {
      const secret = await secretOf(subjectId, true);
      const step = secret && matchTotp(secret, code.trim(), clock.now());
      if (step === undefined || !secret) return false;
      return repo.useTotpStep(db, subjectId, step);
    },

    async useRecoveryCode(subjectId: string, code: string): Promise<boolean> {
      return repo.useRecoveryCode(db, subjectId, recoveryHash(subjectId, code));
    },

    /** Called when a first strong factor appears elsewhere (a passkey). */
    async ensureRecoveryCodes(q: Queryable, subjectId: string): Promise<string[] | undefined> {
      return (await repo.recoveryCodeCount(q, subjectId, { unusedOnly: false })) > 0
        ? undefined
        : newRecoveryCodes(q, subjectId);
    },

    async regenerateRecoveryCodes(subjectId: string, requestId: string): Promise<string[]> {
      return db.tx(async (q) => {
        if ((await repo.strongFactorCount(q, subjectId)) === 0)
          throw new AppError(signInErrors.no_strong_factor);
        const codes = await newRecoveryCodes(q, subjectId);
        await auditFactor(
          q,
          subjectId,
          'identity.recovery_codes_generated',
          { count: codes.length },
          requestId,
        );
        return codes;
      });
    },

    /** Returns whether it was the last strong factor (the second step is an SMS code from now on). */
    async removeTotp(subjectId: string, requestId: string): Promise<{ removed: boolean; last: boolean }> {
      return db.tx(async (q) => {
        if (!(await repo.deleteTotp(q, subjectId))) return { removed: false, last: false };
        const last = await afterRemoval(q, subjectId);
        await auditFactor(q, subjectId, 'identity.factor_removed', { factor: 'totp', last }, requestId);
        return { removed: true, last };
      });
    },

    async removePasskey(
      subjectId: string,
      id: string,
      requestId: string,
    ): Promise<{ removed: boolean; last: boolean }> {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return { removed: false, last: false };
      return db.tx(async (q) => {
        if (!(await repo.deletePasskey(q, subjectId, id))) return { removed: false, last: false };
        const last = await afterRemoval(q, subjectId);
        await auditFactor(q, subjectId, 'identity.factor_removed', { factor: 'passkey', last }, requestId);
        return { removed: true, last };
      });
    },

    /** P7.3 the person renames a passkey (checkName rules); returns the problem, or null once renamed. */
    async renamePasskey(subjectId: string, id: string, raw: string): Promise<NameProblem | 'unknown' | null> {
      const checked = checkName(raw, PASSKEY_NAME_MAX);
      if ('problem' in checked) return checked.problem;
      if (!/^[0-9a-f-]{36}$/i.test(id)) return 'unknown';
      return (await repo.renamePasskey(db, subjectId, id, checked.name)) ? null : 'unknown';
    },

    /** Whether these are recovery codes of the person not yet used (all of them). */
    async holdsRecoveryCodes(subjectId: string, codes: string[]): Promise<boolean> {
      if (codes.length === 0) return false;
      const hashes = codes.map((c) => recoveryHash(subjectId, c));
      return (await repo.unusedRecoveryCodeMatches(db, subjectId, hashes)) === new Set(codes).size;
    },

    auditFactor,
  };
}

/** The longest name of a passkey (the registration API's limit too). */
export const PASSKEY_NAME_MAX = 60;

export type Factors = ReturnType<typeof createFactors>;

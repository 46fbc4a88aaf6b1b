/**
 * Natural-person accounts: registration by a confirmed mobile number, sign-in by password
 * or SMS code, progressive lock-out.
 *
 * Rules:
 * - P2.1 one ID number, one account (unique blind index in the vault); ID numbers must be
 *   possible (GB 11643: region, birth date, check character).
 * - P7.2 the phone, name and ID number are stored in the vault, encrypted; the account
 *   holds only an argon2id hash and assurance level (L1 once the phone is confirmed).
 * - P7.3 after 5 failed passwords the account locks for 1 minute, doubling per further
 *   failure up to 15 minutes: long enough to stop guessing, too short to lock a victim out
 *   for long; an SMS code still signs in while locked.
 * - Unknown numbers and wrong passwords get the same answer and cost the same time.
 * - Every registration, sign-in, failure and lock-out is audited.
 * - P7.3 every sign-in ends in sign-in.ts (`signedIn` below): risk checks, second step,
 *   login alert. Registration proves the phone, so its browser becomes a known device.
 */
import type { Database } from '../../db/database.ts';
import { AppError } from '../../shared/errors.ts';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from '../../shared/password.ts';
import { passwordProblem } from '../../shared/password-policy.ts';
import type { SmsGateway } from '../../adapters/sms.ts';
import type { AuditService } from '../audit/index.ts';
import type { KeyManager, VaultService } from '../vault/index.ts';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { createAlerts, type AlertView } from './alerts.ts';
import { createCodes, type CodePurpose } from './codes.ts';
import { createFactors, type Factors } from './factors.ts';
import { createPasskeys, type Passkeys, type RelyingParty } from './passkeys.ts';
import { createReauth, type Reauth } from './reauth.ts';
import { createSecondStep, type SecondStep } from './second-step.ts';
import { createSignInPath, type SignInContext, type SignInResult } from './sign-in.ts';
import { checkIdNumber } from './id-numbers.ts';
import { identityErrors } from './identity.errors.ts';
import type { CitizenSessions } from './sessions.ts';

const PHONE = /^1[3-9]\d{9}$/;
const LOCK_AFTER = 5;
const LOCK_BASE_MS = 60_000;
const LOCK_MAX_MS = 15 * 60_000;
const MIN_PASSWORD = 8;

/** ASVS 6.2.4: a new password of 8 to 128 characters, not on the common-password list. */
function checkNewPassword(password: string): void {
  const problem = passwordProblem(password, MIN_PASSWORD);
  if (problem === 'length') throw new AppError(identityErrors.weak_password);
  if (problem === 'common') throw new AppError(identityErrors.common_password);
}

export interface Registration {
  phone: string;
  code: string;
  password: string;
  name: string;
  idNumber: string;
}

type SignedIn = Promise<SignInResult>;

export interface IdentityService {
  sendCode(phone: string, purpose: CodePurpose, locale: string): Promise<void>;
  /** P7.3 a new password by a code sent to the verified phone; every other session ends. */
  resetPassword(phone: string, code: string, password: string, ctx: SignInContext): SignedIn;
  register(r: Registration, ctx: SignInContext): SignedIn;
  loginWithPassword(phone: string, password: string, ctx: SignInContext): SignedIn;
  loginWithCode(phone: string, code: string, ctx: SignInContext): SignedIn;
  /** Passwordless sign-in with a discoverable passkey (user-verified: no further step). */
  loginWithPasskey(
    ceremony: string | undefined,
    response: AuthenticationResponseJSON,
    rp: RelyingParty,
    ctx: SignInContext,
  ): SignedIn;
  /** P7.3 the second step of a risky sign-in. */
  secondStep: SecondStep;
  /** P7.3 TOTP, recovery codes and passkeys of the person. */
  factors: Factors;
  /** P7.3 fresh proof, then the changes that weaken protection (alerted). */
  reauth: Reauth;
  passkeys: Passkeys;
  /** P7.3 the person's recent login alerts, newest first. */
  loginAlerts(subjectId: string): Promise<AlertView[]>;
  /** P7.1 sign-in of an account through an upstream identity already linked to it (module linked). */
  loginWithLinkedAccount(subjectId: string, provider: string, ctx: SignInContext): SignedIn;
  /** Ends the session of this browser. */
  signOut(token: string): Promise<void>;
  /** P7.3 sign out one device, or every device but this one; audited. */
  endSession(subjectId: string, sessionId: string, requestId: string): Promise<boolean>;
  endOtherSessions(subjectId: string, currentToken: string | undefined, requestId: string): Promise<number>;
}

export function createIdentityService(deps: {
  db: Database;
  audit: AuditService;
  vault: VaultService;
  sessions: CitizenSessions;
  sms: SmsGateway;
  keyedHash: (data: string) => Buffer;
  keys: KeyManager;
}): IdentityService {
  const { db, audit, vault, sessions, keyedHash } = deps;
  const codes = createCodes({ db, sms: deps.sms, keyedHash });
  const alerts = createAlerts({ db, vault, sms: deps.sms });
  const path = createSignInPath({ db, audit, sessions, alerts, keyedHash });
  const factors = createFactors({ db, audit, keys: deps.keys, keyedHash });
  const passkeys = createPasskeys({ db, factors });
  const secondStep = createSecondStep({
    db,
    audit,
    sms: deps.sms,
    alerts,
    factors,
    passkeys,
    path,
    keyedHash,
  });
  const phoneOk = (phone: string) => {
    if (!PHONE.test(phone)) throw new AppError(identityErrors.invalid_phone);
  };
  const token = (phone: string) => vault.lookupToken('phone', phone);
  const account = async (subjectId: string) =>
    (
      await db.query<{ password_hash: string | null; failed_logins: number; locked_until: Date | null }>(
        {
          name: 'identity-account',
          text: 'SELECT password_hash, failed_logins, locked_until FROM citizen_account WHERE subject_id = $1',
        },
        [subjectId],
      )
    ).rows[0];

  // The one internal sign-in completion path: risk checks, then a session (with its audit
  // entry, in one commit) or a second step. Every sign-in method ends here.
  const signedIn = (subjectId: string, method: string, ctx: SignInContext, failedBefore: number) =>
    path.complete(subjectId, method, ctx, failedBefore);

  return {
    async sendCode(phone, purpose, locale) {
      phoneOk(phone);
      await codes.send(phone, token(phone), purpose, locale);
    },

    async register(r, ctx) {
      const { requestId } = ctx;
      phoneOk(r.phone);
      checkNewPassword(r.password);
      const idProblem = checkIdNumber(r.idNumber);
      if (idProblem) throw new AppError(identityErrors.invalid_id_number, idProblem);
      const name = r.name.trim();
      if (name.length === 0 || name.length > 100) throw new AppError(identityErrors.invalid_name);
      if ((await vault.findSubject('phone', r.phone)).length > 0)
        throw new AppError(identityErrors.phone_registered);
      if ((await vault.findSubject('id_number', r.idNumber)).length > 0) {
        throw new AppError(identityErrors.id_number_registered);
      }
      await codes.consume(token(r.phone), 'register', r.code);
      const passwordHash = await hashPassword(r.password);
      const subjectId = await db
        .tx(async (q) => {
          const id = await vault.createSubject('person', q);
          const self = { type: 'self' as const, id, label: 'self' };
          await vault.write(
            id,
            { phone: r.phone },
            { source: 'user', purpose: 'service-provision', actor: self, requestId },
            q,
          );
          await vault.write(
            id,
            { name, id_number: r.idNumber.trim().toUpperCase() },
            { source: 'user', purpose: 'real-name-verification', actor: self, requestId },
            q,
          );
          await q.query(
            'INSERT INTO citizen_account (subject_id, password_hash, assurance_level) VALUES ($1, $2, 1)',
            [id, passwordHash],
          );
          await audit.append(q, {
            actor: { type: 'citizen', id },
            action: 'identity.registered',
            subject: { type: 'person', id },
            purpose: 'service-provision',
            clause: 'P2.1',
            detail: { assuranceLevel: 1 },
            requestId,
          });
          return id;
        })
        .catch((err: unknown) => {
          // Two registrations racing for one ID number or phone: the unique index decides.
          if (err instanceof AppError && err.code === 'vault.duplicate_value') {
            throw new AppError(
              err.detail === 'phone' ? identityErrors.phone_registered : identityErrors.id_number_registered,
            );
          }
          throw err;
        });
      return path.registered(subjectId, ctx);
    },

    async loginWithPassword(phone, password, ctx) {
      const { requestId } = ctx;
      const [subjectId] = PHONE.test(phone) ? await vault.findSubject('phone', phone) : [];
      // Account and risk facts in one statement; the facts are used once the password holds.
      const looked = subjectId ? await path.lookup(subjectId, ctx) : undefined;
      const acc = looked?.account;
      if (subjectId && acc?.locked_until && acc.locked_until > new Date()) {
        throw new AppError(identityErrors.locked, `retry after ${acc.locked_until.toISOString()}`);
      }
      const ok = await verifyPassword(acc?.password_hash ?? (await decoyHash()), password);
      if (!subjectId || !acc || !ok) {
        if (subjectId && acc) {
          const failed = acc.failed_logins + 1;
          const lockMs =
            failed >= LOCK_AFTER ? Math.min(LOCK_BASE_MS * 2 ** (failed - LOCK_AFTER), LOCK_MAX_MS) : 0;
          await db.query(
            'UPDATE citizen_account SET failed_logins = $2, locked_until = $3 WHERE subject_id = $1',
            [subjectId, failed, lockMs ? new Date(Date.now() + lockMs) : null],
          );
          await audit.append(db, {
            actor: { type: 'anonymous' },
            action: lockMs ? 'identity.locked' : 'identity.login_failed',
            subject: { type: 'person', id: subjectId },
            purpose: 'account-security',
            clause: 'P7.3',
            detail: { failed, lockSeconds: lockMs / 1000 },
            requestId,
          });
        }
        throw new AppError(identityErrors.invalid_credentials);
      }
      if (acc.password_hash && needsRehash(acc.password_hash)) {
        await db.query('UPDATE citizen_account SET password_hash = $2 WHERE subject_id = $1', [
          subjectId,
          await hashPassword(password),
        ]);
      }
      return path.complete(subjectId, 'password', ctx, acc.failed_logins, looked);
    },

    async loginWithCode(phone, code, ctx) {
      phoneOk(phone);
      await codes.consume(token(phone), 'login', code);
      const [subjectId] = await vault.findSubject('phone', phone);
      const looked = subjectId ? await path.lookup(subjectId, ctx) : undefined;
      if (!subjectId || !looked) throw new AppError(identityErrors.invalid_credentials);
      return path.complete(subjectId, 'sms-code', ctx, looked.account.failed_logins, looked);
    },

    async loginWithPasskey(ceremony, response, rp, ctx) {
      const subjectId = await passkeys.signIn(ceremony, response, rp);
      return signedIn(subjectId, 'passkey', ctx, 0);
    },

    async loginWithLinkedAccount(subjectId, provider, ctx) {
      const acc = await account(subjectId);
      if (!acc) throw new AppError(identityErrors.invalid_credentials);
      return signedIn(subjectId, `linked:${provider}`, ctx, acc.failed_logins);
    },

    async endSession(subjectId, sessionId, requestId) {
      const ended = await sessions.revokeById(subjectId, sessionId);
      if (ended) {
        await audit.append(db, {
          actor: { type: 'citizen', id: subjectId },
          action: 'identity.session_ended',
          subject: { type: 'person', id: subjectId },
          purpose: 'account-security',
          clause: 'P7.3',
          detail: { sessionId },
          requestId,
        });
      }
      return ended;
    },

    async endOtherSessions(subjectId, currentToken, requestId) {
      const n = await sessions.revokeOthers(subjectId, currentToken);
      await audit.append(db, {
        actor: { type: 'citizen', id: subjectId },
        action: 'identity.other_sessions_ended',
        subject: { type: 'person', id: subjectId },
        purpose: 'account-security',
        clause: 'P7.3',
        detail: { ended: n },
        requestId,
      });
      return n;
    },

    async resetPassword(phone, code, password, ctx) {
      const { requestId } = ctx;
      phoneOk(phone);
      checkNewPassword(password);
      await codes.consume(token(phone), 'reset', code);
      const [subjectId] = await vault.findSubject('phone', phone);
      if (!subjectId || !(await account(subjectId))) throw new AppError(identityErrors.code_invalid);
      const passwordHash = await hashPassword(password);
      await db.tx(async (q) => {
        await q.query(
          'UPDATE citizen_account SET password_hash = $2, failed_logins = 0, locked_until = NULL WHERE subject_id = $1',
          [subjectId, passwordHash],
        );
        await q.query(
          'UPDATE citizen_session SET revoked_at = now() WHERE subject_id = $1 AND revoked_at IS NULL',
          [subjectId],
        );
        await audit.append(q, {
          actor: { type: 'citizen', id: subjectId },
          action: 'identity.password_reset',
          subject: { type: 'person', id: subjectId },
          purpose: 'account-security',
          clause: 'P7.3',
          detail: { otherSessionsEnded: true },
          requestId,
        });
      });
      // The code proved the phone; an account with a passkey or TOTP still needs it here.
      return signedIn(subjectId, 'password-reset', ctx, 0);
    },

    signOut: (t) => sessions.revoke(t),
    secondStep,
    factors,
    reauth: createReauth({ db, audit, sessions, factors, alerts }),
    passkeys,
    loginAlerts: (subjectId) => alerts.list(subjectId),
  };
}

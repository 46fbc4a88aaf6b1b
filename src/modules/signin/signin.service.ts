/**
 * Natural-person accounts: registration by a confirmed mobile number, sign-in by password
 * or SMS code, limits on guessing that an attacker cannot turn against the owner.
 *
 * Rules:
 * - P2.1 one ID number, one account (unique blind index in the vault); ID numbers must be
 *   possible (GB 11643: region, birth date, check character).
 * - P7.2 the phone, name and ID number are stored in the vault, encrypted; the account
 *   holds only an argon2id hash and assurance level (L1 once the phone is confirmed).
 * - P7.3 registration checks the SMS code before it looks for an existing account, and
 *   never tells an anonymous caller that an ID number has an account: the caller gets
 *   `registration_refused`, the account's owner an SMS. (A number already registered is
 *   told to the caller, who has just proved they hold that phone.) The pages prove the
 *   phone first (`proveRegistrationPhone`): the code alone, then either "this number has
 *   an account" or a proof (keyed hash of the number and an expiry, 30 minutes) that the
 *   rest of the form carries instead of the code. Before the code, existing and new
 *   numbers get the same answer.
 * - Phone numbers, ID numbers and names are normalised here (modules/account/input.ts),
 *   so the pages and the JSON API accept the same input.
 * - P7.3 wrong passwords and code requests are limited per source and per (number,
 *   source), with the account's own devices counted apart (attempts.ts): an anonymous
 *   attacker slows only themselves, never locks the owner out; an SMS code still signs in.
 * - Unknown numbers and wrong passwords get the same answer and cost the same time; so do
 *   their lock-out answers.
 * - Every registration, sign-in, failure and lock-out is audited.
 * - P7.3 every sign-in ends in sign-in.ts (`signedIn` below): risk checks, second step,
 *   login alert. Registration proves the phone, so its browser becomes a known device.
 */
import type { Database } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from '../../shared/password.ts';
import { passwordProblem } from '../../shared/password-policy.ts';
import type { SmsGateway } from '../../adapters/sms.ts';
import type { AuditService } from '../audit/index.ts';
import type { Outbox } from '../notify/index.ts';
import type { KeyManager, VaultService } from '../vault/index.ts';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { createAlerts, type AlertView } from './alerts.ts';
import { createCodes, type SignInCodePurpose } from './codes.ts';
import { createFactors, type Factors } from './factors.ts';
import { createPasskeys, type Passkeys, type RelyingParty } from './passkeys.ts';
import { createReauth, type Reauth } from './reauth.ts';
import { createAccountChanges, type AccountChanges } from './account-changes.ts';
import { createHallRecovery, type HallRecovery } from './hall-recovery.ts';
import { createSelfRecovery, type SelfRecovery } from './self-recovery.ts';
import { createSecondStep, type SecondStep } from './second-step.ts';
import { createSignInPath, type SignInContext, type SignInResult } from './sign-in.ts';
import type { SignInFacts } from './risk.ts';
import { createAttempts, type Attempt } from './attempts.ts';
import type { Limiter } from '../../shared/limits.ts';
import { normaliseMobile, parseIdNumber, parseLegalName } from '../account/index.ts';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { clock } from '../../kernel/clock.ts';
import { accountErrors } from '../account/index.ts';
import { signInErrors } from './signin.errors.ts';
import { deviceKind, noProviderSessions, type ProviderSessions } from '../session/index.ts';
import type { CitizenSessions } from '../session/index.ts';
import {
  credentials,
  insertAccount,
  resetPassword,
  setFailedLogins,
  setPasswordHash,
  overview,
} from '../account/index.ts';

const PROOF_TTL_MS = 30 * 60_000;
const MIN_PASSWORD = 8;

/** ASVS 6.2.4: a new password of 8 to 128 characters, not on the common-password list. */
function checkNewPassword(password: string): void {
  const problem = passwordProblem(password, MIN_PASSWORD);
  if (problem === 'length') throw new AppError(accountErrors.weak_password);
  if (problem === 'common') throw new AppError(accountErrors.common_password);
}

export interface Registration {
  phone: string;
  /** The SMS code, or the proof `proveRegistrationPhone` gave for it. */
  code?: string;
  proof?: string;
  password: string;
  name: string;
  idNumber: string;
}

type SignedIn = Promise<SignInResult>;

export interface IdentityService {
  /** P7.3 within the code budgets of attempts.ts (known devices keep their own). */
  sendCode(phone: string, purpose: SignInCodePurpose, ctx: SignInContext): Promise<void>;
  /** P7.3 a new password by a code sent to the verified phone; every other session ends. */
  resetPassword(phone: string, code: string, password: string, ctx: SignInContext): SignedIn;
  /**
   * P7.3 the registration code on its own: consumes it, then says the number has an
   * account, or gives a proof of the number for `register` (the caller holds the phone).
   */
  proveRegistrationPhone(
    phone: string,
    code: string,
  ): Promise<{ registered: true } | { registered: false; proof: string }>;
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
  /** P8.1.correct P8.3 the signed-in person's own password and phone changes. */
  changes: AccountChanges;
  /** A lost phone: a new number bound at the service hall (hall-recovery.ts). */
  hallRecovery: HallRecovery;
  selfRecovery: SelfRecovery;
  /** P8.1.view the account's level and since when it exists. */
  accountOverview(subjectId: string): Promise<{ level: number; since: Date } | undefined>;
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
  /** P7.3 login alerts and other messages to the person are queued here (module notify). */
  notify: Outbox;
  keyedHash: (data: string) => Buffer;
  keys: KeyManager;
  /** P1.1 single sign-on: its sessions end with the portal sessions they were opened from. */
  providerSessions?: ProviderSessions;
  limiter: Limiter;
}): IdentityService {
  const { db, audit, vault, sessions, keyedHash } = deps;
  const provider = deps.providerSessions ?? noProviderSessions;
  /** Ends the provider sessions of portal sessions just ended (no grant is revoked). */
  const endBound = async (subjectId: string, signedInAt: Date[], reason: string) => {
    if (signedInAt.length === 0) return;
    const tell = await provider.end(db, { subjectId, signedInAt, revokeGrants: false, reason });
    await tell();
  };
  const codes = createCodes({ db, sms: deps.sms, keyedHash });
  const alerts = createAlerts({ db, vault, notify: deps.notify });
  const attempts = createAttempts(deps.limiter);
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
    attempts,
  });
  /** The number as stored, from what was typed (`+86 138…`, spaces, full-width digits). */
  const mobile = (typed: string): string => {
    const phone = normaliseMobile(typed);
    if (!phone)
      throw new AppError(accountErrors.invalid_phone, undefined, [{ path: 'phone', message: 'format' }]);
    return phone;
  };
  const proofMac = (phone: string, expires: number) =>
    createHmac('sha256', keyedHash(`registration-proof:${token(phone).toString('base64')}`))
      .update(String(expires))
      .digest('base64url');
  const proofOf = (phone: string) => {
    const expires = clock.now() + PROOF_TTL_MS;
    return `${expires}.${proofMac(phone, expires)}`;
  };
  const proofHolds = (phone: string, proof: string) => {
    const [at, mac] = proof.split('.');
    const expires = Number(at);
    if (!mac || !Number.isSafeInteger(expires) || expires < clock.now()) return false;
    const want = Buffer.from(proofMac(phone, expires));
    const got = Buffer.from(mac);
    return want.length === got.length && timingSafeEqual(want, got);
  };
  const token = (phone: string) => vault.lookupToken('phone', phone);
  /** Who tries, for the attempt limits; `looked` says whether this browser is a known device. */
  const attemptOf = (phone: string, ctx: SignInContext, looked?: SignInFacts): Attempt => ({
    number: token(phone).toString('base64'),
    source: ctx.source ?? 'unknown',
    knownDevice: looked?.facts.deviceKnown && ctx.deviceId ? ctx.deviceId : undefined,
  });
  const account = (subjectId: string) => credentials(db, subjectId);

  // The one internal sign-in completion path: risk checks, then a session (with its audit
  // entry, in one commit) or a second step. Every sign-in method ends here.
  const signedIn = (subjectId: string, method: string, ctx: SignInContext, failedBefore: number) =>
    path.complete(subjectId, method, ctx, failedBefore);

  /**
   * P7.3 someone proved a phone and typed an ID number that has an account: the caller is
   * told only that no account can be opened; the owner is told by SMS (and the attempt is
   * audited on the owner's account).
   */
  const refuseTakenIdNumber = async (owner: string, ctx: SignInContext): Promise<never> => {
    await db.tx(async (q) => {
      await audit.append(q, {
        actor: { type: 'anonymous' },
        action: 'identity.registration_refused',
        subject: { type: 'person', id: owner },
        purpose: 'account-security',
        clause: 'P7.3',
        detail: { reason: 'id-number-registered' },
        requestId: ctx.requestId,
      });
      await alerts.registrationAttempt(q, owner, ctx.locale ?? 'zh-CN');
    });
    throw new AppError(accountErrors.registration_refused);
  };

  const reauth = createReauth({ db, audit, sessions, factors, alerts, codes, attempts, vault });
  const changes = createAccountChanges({
    db,
    audit,
    vault,
    sessions,
    factors,
    alerts,
    codes,
    attempts,
    reauth,
    sms: deps.sms,
    keyedHash,
    endOtherSessions: (subjectId, t, requestId) => endOthers(subjectId, t, requestId),
  });

  async function endOthers(subjectId: string, currentToken: string | undefined, requestId: string) {
    const others = (await sessions.list(subjectId, currentToken)).filter((v) => !v.current);
    const n = await sessions.revokeOthers(subjectId, currentToken);
    await endBound(
      subjectId,
      others.map((v) => v.createdAt),
      'other-sessions-ended',
    );
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
  }

  return {
    async sendCode(typed, purpose, ctx) {
      const phone = mobile(typed);
      const [subjectId] = await vault.findSubject('phone', phone);
      const looked = subjectId ? await path.lookup(subjectId, ctx) : undefined;
      await codes.send(phone, token(phone), purpose, ctx.locale ?? 'zh-CN', () =>
        attempts.beforeCode(attemptOf(phone, ctx, looked)),
      );
    },

    async proveRegistrationPhone(typed, code) {
      const phone = mobile(typed);
      await codes.consume(token(phone), 'register', code);
      if ((await vault.findSubject('phone', phone)).length > 0) return { registered: true };
      return { registered: false, proof: proofOf(phone) };
    },

    async register(typed, ctx) {
      const { requestId } = ctx;
      const phone = mobile(typed.phone);
      checkNewPassword(typed.password);
      const id = parseIdNumber(typed.idNumber);
      if ('problem' in id)
        throw new AppError(accountErrors.invalid_id_number, id.problem, [
          { path: 'idNumber', message: id.problem },
        ]);
      const legal = parseLegalName(typed.name);
      if ('problem' in legal)
        throw new AppError(accountErrors.invalid_name, legal.problem, [
          { path: 'name', message: legal.problem },
        ]);
      const name = legal.value;
      const r = { ...typed, phone, idNumber: id.value };
      // The code (or the proof of it) first: only the holder of the phone learns anything about accounts.
      if (typed.proof !== undefined) {
        if (!proofHolds(phone, typed.proof)) throw new AppError(signInErrors.registration_expired);
      } else await codes.consume(token(phone), 'register', typed.code ?? '');
      if ((await vault.findSubject('phone', r.phone)).length > 0)
        throw new AppError(accountErrors.phone_registered);
      const [owner] = await vault.findSubject('id_number', r.idNumber);
      if (owner) return refuseTakenIdNumber(owner, ctx);
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
            { name, id_number: r.idNumber },
            { source: 'user', purpose: 'real-name-verification', actor: self, requestId },
            q,
          );
          await insertAccount(q, id, passwordHash);
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
            if (err.detail === 'phone') throw new AppError(accountErrors.phone_registered);
            return vault
              .findSubject('id_number', r.idNumber)
              .then(([o]) => (o ? refuseTakenIdNumber(o, ctx) : Promise.reject(err)));
          }
          throw err;
        });
      return path.registered(subjectId, ctx);
    },

    async loginWithPassword(typed, password, ctx) {
      const { requestId } = ctx;
      const valid = normaliseMobile(typed);
      // Something that is no number still counts its attempts under what was typed.
      const phone = valid ?? typed;
      const [subjectId] = valid ? await vault.findSubject('phone', valid) : [];
      // Account and risk facts in one round of queries; the facts are used once the password holds.
      const looked = subjectId ? await path.lookup(subjectId, ctx) : undefined;
      const acc = looked?.account;
      // Keyed on the number, registered or not: the answer cannot tell which.
      const attempt = attemptOf(phone, ctx, looked);
      const tried = await attempts.beforePassword(attempt);
      const ok = await verifyPassword(acc?.password_hash ?? (await decoyHash()), password);
      if (!subjectId || !acc || !ok) {
        await attempts.passwordFailed(attempt, tried);
        if (subjectId && acc) {
          // Counted for the risk check (recent-failures asks for a second step); no lock.
          const failed = acc.failed_logins + 1;
          await setFailedLogins(db, subjectId, failed);
          await audit.append(db, {
            actor: { type: 'anonymous' },
            action: 'identity.login_failed',
            subject: { type: 'person', id: subjectId },
            purpose: 'account-security',
            clause: 'P7.3',
            detail: {
              failed,
              knownDevice: attempt.knownDevice !== undefined,
              method: 'password',
              deviceKind: deviceKind(ctx.device),
            },
            requestId,
          });
        }
        throw new AppError(signInErrors.invalid_credentials);
      }
      await attempts.passwordSucceeded(attempt, tried);
      if (acc.password_hash && needsRehash(acc.password_hash)) {
        await setPasswordHash(db, subjectId, await hashPassword(password));
      }
      return path.complete(subjectId, 'password', ctx, acc.failed_logins, looked);
    },

    async loginWithCode(typed, code, ctx) {
      const phone = mobile(typed);
      await codes.consume(token(phone), 'login', code);
      const [subjectId] = await vault.findSubject('phone', phone);
      const looked = subjectId ? await path.lookup(subjectId, ctx) : undefined;
      if (!subjectId || !looked) throw new AppError(signInErrors.invalid_credentials);
      return path.complete(subjectId, 'sms-code', ctx, looked.account.failed_logins, looked);
    },

    async loginWithPasskey(ceremony, response, rp, ctx) {
      const subjectId = await passkeys.signIn(ceremony, response, rp);
      return signedIn(subjectId, 'passkey', ctx, 0);
    },

    async loginWithLinkedAccount(subjectId, provider, ctx) {
      const acc = await account(subjectId);
      if (!acc) throw new AppError(signInErrors.invalid_credentials);
      return signedIn(subjectId, `linked:${provider}`, ctx, acc.failed_logins);
    },

    async endSession(subjectId, sessionId, requestId) {
      const which = (await sessions.list(subjectId, undefined)).find((v) => v.id === sessionId);
      const ended = await sessions.revokeById(subjectId, sessionId);
      if (ended) {
        if (which) await endBound(subjectId, [which.createdAt], 'session-ended');
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

    endOtherSessions: endOthers,

    async resetPassword(typed, code, password, ctx) {
      const { requestId } = ctx;
      const phone = mobile(typed);
      checkNewPassword(password);
      await codes.consume(token(phone), 'reset', code);
      const [subjectId] = await vault.findSubject('phone', phone);
      if (!subjectId || !(await account(subjectId))) throw new AppError(signInErrors.code_invalid);
      const passwordHash = await hashPassword(password);
      // Every session ends with the old password: the portal's, the provider's, and every
      // grant with its refresh tokens; the services hear it by back channel (P7.3, P1.1).
      const tell = await db.tx(async (q) => {
        await resetPassword(q, subjectId, passwordHash);
        await sessions.revokeAll(q, subjectId);
        await audit.append(q, {
          actor: { type: 'citizen', id: subjectId },
          action: 'identity.password_reset',
          subject: { type: 'person', id: subjectId },
          purpose: 'account-security',
          clause: 'P7.3',
          detail: { otherSessionsEnded: true },
          requestId,
        });
        return provider.end(q, { subjectId, revokeGrants: true, reason: 'password-reset' });
      });
      await tell();
      // The code proved the phone; an account with a passkey or TOTP still needs it here.
      return signedIn(subjectId, 'password-reset', ctx, 0);
    },

    async signOut(t) {
      const s = await sessions.sessionOf(t);
      await sessions.revoke(t);
      if (s) await endBound(s.subjectId, [s.signedInAt], 'signed-out');
    },
    secondStep,
    factors,
    reauth,
    changes,
    selfRecovery: createSelfRecovery({
      db,
      audit,
      vault,
      sessions,
      provider,
      alerts,
      codes,
      attempts,
      factors,
      limiter: deps.limiter,
      sms: deps.sms,
    }),
    hallRecovery: createHallRecovery({
      db,
      audit,
      vault,
      sessions,
      provider,
      alerts,
      codes,
      attempts,
      sms: deps.sms,
    }),
    async accountOverview(subjectId) {
      const o = await overview(db, subjectId);
      return o ? { level: o.assurance_level, since: o.created_at } : undefined;
    },
    passkeys,
    loginAlerts: (subjectId) => alerts.list(subjectId),
  };
}

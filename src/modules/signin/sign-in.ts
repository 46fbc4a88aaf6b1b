/**
 * The one way a sign-in ends (P7.3, P4 risk checks on login). Password, SMS code,
 * password reset, passkey and linked-account sign-ins all call `complete`; it runs the
 * risk checks (risk.ts) and either opens a session or starts a second step.
 *
 * Rules:
 * - A risky sign-in gets no session until a second step passes (second-step.ts); the
 *   pending step is a short-lived challenge, not a session.
 * - A session, its audit entry, the device becoming known, and any login alert with its SMS
 *   queued in the outbox commit together; the outbox sends the SMS after the commit, so a
 *   gateway that is down or hangs never delays or fails a sign-in (alerts.ts, module notify).
 * - A sign-in from a known device with no other signal costs one extra indexed query.
 * - Audit details hold identifiers and codes only: the session, challenge or alert id, the
 *   device's kind (`phone`, `computer`), whether a place was shared; never the device label
 *   or the place (they stay in the rows the retention of identity.data.ts reaches).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Database } from '../../kernel/db/database.ts';
import type { AuditService } from '../audit/index.ts';
import type { Alerts } from './alerts.ts';
import * as repo from './signin.repository.ts';
import { amrOf } from './amr.ts';
import { deviceHash, deviceKind } from '../session/index.ts';
import {
  allowedMethods,
  assess,
  firstFactorSuffices,
  hourOf,
  loadFacts,
  normalisePlace,
  type FirstFactor,
  type RiskReason,
  type SecondStepMethod,
  type SignInFacts,
} from './risk.ts';
import type { CitizenSessions } from '../session/index.ts';
import { clearFailures } from '../account/index.ts';
import { rememberDevice } from '../session/index.ts';
import { clock } from '../../kernel/clock.ts';
import { AppError } from '../../kernel/errors.ts';
import { signInErrors } from './signin.errors.ts';

export const CHALLENGE_MINUTES = 5;

/** What the request tells about where a sign-in comes from. */
export interface SignInContext {
  requestId: string;
  /** Coarse label of the browser ("Chrome · Android"). */
  device?: string | undefined;
  /** The browser's device cookie (device-cookie.ts). */
  deviceId?: string | undefined;
  /** A coarse place the person chose to share for this sign-in (P2.2.1). */
  place?: string | undefined;
  locale?: string | undefined;
  /**
   * A service asked for a fresh sign-in (OpenID `prompt=login`, `max_age`): an account
   * with a passkey or TOTP passes its second step even when nothing looks risky.
   */
  reauthenticate?: boolean | undefined;
  /** The source address (per-source attempt limits only; never stored or logged as such). */
  source?: string | undefined;
}

export type SignInResult =
  | { kind: 'session'; subjectId: string; token: string }
  | {
      kind: 'second-step';
      challenge: string;
      methods: SecondStepMethod[];
      reasons: RiskReason[];
      expiresAt: Date;
    };

/** A sign-in whose first factor passed, ready to become a session. */
export interface Grant {
  subjectId: string;
  firstFactor: FirstFactor;
  secondStep?: SecondStepMethod;
  device: string;
  deviceHash: Buffer | undefined;
  placeToken: Buffer | undefined;
  failedBefore: number;
  reasons: RiskReason[];
  deviceKnown: boolean;
  requestId: string;
  locale: string;
}

export const challengeHash = (token: string) => createHash('sha256').update(token).digest();

export function createSignInPath(deps: {
  db: Database;
  audit: AuditService;
  sessions: CitizenSessions;
  alerts: Alerts;
  keyedHash: (data: string) => Buffer;
}) {
  const { db, audit, sessions, alerts } = deps;

  const prepare = (subjectId: string, ctx: SignInContext) => {
    const place = normalisePlace(ctx.place);
    return {
      device: ctx.device ?? 'unknown',
      // No cookie (a caller that keeps none): the browser counts as new and is not remembered.
      deviceHash: ctx.deviceId ? deviceHash(subjectId, ctx.deviceId) : undefined,
      placeToken: place ? deps.keyedHash(`place:${subjectId}:${place}`) : undefined,
      requestId: ctx.requestId,
      locale: ctx.locale ?? 'zh-CN',
    };
  };

  async function grant(g: Grant): Promise<SignInResult> {
    // The common case (known device, no failures to reset, no risk): the session and its
    // audit entry in one statement, one round trip (bench/login.bench.ts).
    if (g.failedBefore === 0 && (g.deviceKnown || !g.deviceHash) && g.reasons.length === 0) {
      const amr = amrOf(g.firstFactor, g.secondStep);
      const { token, id, change } = sessions.prepare(g.subjectId, g.device, g.placeToken, amr);
      // Audit details hold identifiers and codes only: the session, not its device label.
      await audit.appendWith(db, change, {
        actor: { type: 'citizen', id: g.subjectId },
        subject: { type: 'person', id: g.subjectId },
        purpose: 'account-security',
        clause: 'P7.3',
        action: 'identity.login',
        detail: {
          method: g.firstFactor,
          session: id,
          ...(g.secondStep ? { secondStep: g.secondStep } : {}),
          // Codes only (the activity history shows them): the device's kind, whether a place was shared.
          deviceKind: deviceKind(g.device),
          ...(g.placeToken ? { place: 'shared' } : {}),
        },
        requestId: g.requestId,
      });
      return { kind: 'session', subjectId: g.subjectId, token };
    }
    const token = await db.tx(async (q) => {
      if (g.failedBefore > 0) {
        await clearFailures(q, g.subjectId);
      }
      if (!g.deviceKnown && g.deviceHash) {
        await rememberDevice(q, g.subjectId, g.deviceHash, g.device);
      }
      const amr = amrOf(g.firstFactor, g.secondStep);
      const session = sessions.prepare(g.subjectId, g.device, g.placeToken, amr);
      await q.query(session.change.text, session.change.values);
      const who = { actor: { type: 'citizen' as const, id: g.subjectId } };
      const about = {
        subject: { type: 'person', id: g.subjectId },
        purpose: 'account-security',
        clause: 'P7.3',
      };
      await audit.append(q, {
        ...who,
        ...about,
        action: 'identity.login',
        detail: {
          method: g.firstFactor,
          session: session.id,
          ...(g.secondStep ? { secondStep: g.secondStep } : {}),
          ...(g.reasons.length ? { risk: g.reasons } : {}),
          deviceKind: deviceKind(g.device),
          ...(g.placeToken ? { place: 'shared' } : {}),
        },
        requestId: g.requestId,
      });
      if (g.reasons.length === 0) return session.token;
      const a = await alerts.record(q, {
        subjectId: g.subjectId,
        device: g.device,
        method: g.firstFactor,
        ...(g.secondStep ? { secondStep: g.secondStep } : {}),
        reasons: g.reasons,
        locale: g.locale,
      });
      await audit.append(q, {
        ...who,
        ...about,
        action: 'identity.login_alert',
        detail: { alertId: a.id, reasons: g.reasons },
        requestId: g.requestId,
      });
      return session.token;
    });
    return { kind: 'session', subjectId: g.subjectId, token };
  }

  return {
    grant,

    /** Registration proves the phone: its browser becomes a known device, with no alert. */
    async registered(subjectId: string, ctx: SignInContext): Promise<SignInResult> {
      const p = prepare(subjectId, ctx);
      return grant({
        ...p,
        subjectId,
        firstFactor: 'registration',
        failedBefore: 0,
        reasons: [],
        deviceKnown: false,
      });
    },

    /**
     * The account and every risk fact in one round of queries, read before the first factor is
     * checked (a password check needs the hash anyway); hand the result to `complete`.
     */
    lookup(subjectId: string, ctx: SignInContext): Promise<SignInFacts | undefined> {
      const p = prepare(subjectId, ctx);
      return loadFacts(db, subjectId, p.deviceHash ?? Buffer.alloc(0), p.placeToken);
    },

    async complete(
      subjectId: string,
      firstFactor: FirstFactor,
      ctx: SignInContext,
      failedBefore: number,
      looked?: SignInFacts,
    ): Promise<SignInResult> {
      const p = prepare(subjectId, ctx);
      const found = looked ?? (await loadFacts(db, subjectId, p.deviceHash ?? Buffer.alloc(0), p.placeToken));
      if (!found) throw new Error(`sign-in of an account that does not exist: ${subjectId}`);
      // policy: P7.3 — the person said a sign-in or a change was not them: only a password reset (a
      // code to the phone and a new password) signs in until then, and it clears the demand.
      if (found.account.renewal_required && firstFactor !== 'password-reset')
        throw new AppError(signInErrors.password_renewal_required);
      const { facts, factors } = found;
      const reasons = assess({
        ...facts,
        failedBefore,
        placeShared: p.placeToken !== undefined,
        hour: hourOf(clock.date()),
      });
      const methods = allowedMethods(factors);
      const g: Grant = {
        ...p,
        subjectId,
        firstFactor,
        failedBefore,
        reasons,
        deviceKnown: facts.deviceKnown,
      };
      const strong = methods.includes('passkey') || methods.includes('totp');
      const forced = ctx.reauthenticate === true && strong;
      if ((reasons.length === 0 && !forced) || firstFactorSuffices(firstFactor, methods)) return grant(g);

      const challenge = randomBytes(32).toString('base64url');
      const challengeId = randomUUID();
      const expiresAt = new Date(clock.now() + CHALLENGE_MINUTES * 60_000);
      await db.tx(async (q) => {
        await repo.insertChallenge(q, {
          id: challengeId,
          tokenHash: challengeHash(challenge),
          subjectId,
          firstFactor,
          device: p.device,
          deviceHash: p.deviceHash ?? null,
          placeToken: p.placeToken ?? null,
          failedBefore,
          reasons,
          methods,
          expiresAt,
        });
        await audit.append(q, {
          actor: { type: 'anonymous' },
          action: 'identity.second_step_required',
          subject: { type: 'person', id: subjectId },
          purpose: 'account-security',
          clause: 'P7.3',
          detail: { method: firstFactor, reasons, methods, challenge: challengeId },
          requestId: ctx.requestId,
        });
      });
      return { kind: 'second-step', challenge, methods, reasons, expiresAt };
    },
  };
}

export type SignInPath = ReturnType<typeof createSignInPath>;

/**
 * Real-name verification: each attempt moves through the lifecycle of
 * verification.lifecycle.ts, and a match raises the person's assurance level (identity's
 * `setAssuranceLevel`) in the same transaction that records the decision.
 *
 * Rules:
 * - P2.1 levels are climbed in order: L2 (registry) from L1, L3 (face) from L2, L4 by bank
 *   card from L3; an in-person check at a service hall gives L4 from any level.
 * - P5.1.4 partners receive only what their registration allows, through sharing.share
 *   (verification.partners.ts); the face partner gets the capture and an opaque reference.
 * - P7.2 the captured image is zeroed and dropped after the decision, unless the person
 *   ticked the separate consent to keep it and the face matched: then it is stored in the
 *   vault as face_image under that sensitive-data consent.
 * - P7.3 at most `attemptsPerDay` attempts per method per person in 24 hours; a retry
 *   after a partner outage reuses the attempt and is not counted.
 * - An attempt row holds no personal data; every transition is audited with codes only.
 */
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { PartnerUnavailable } from '../../adapters/partner-http.ts';
import { AppError } from '../../kernel/errors.ts';
import type { AuditEntryInput, AuditService } from '../audit/index.ts';
import { assuranceLevel, setAssuranceLevel, type AssuranceLevel } from '../account/index.ts';
import * as repo from './verification.repository.ts';
import { verificationErrors } from './verification.errors.ts';
import { ATTEMPT_MINUTES, next, type AttemptEvent, type AttemptState } from './verification.lifecycle.ts';
import { clock } from '../../kernel/clock.ts';

export type Method = repo.Method;
export type Attempt = repo.AttemptRow;

export interface Decision {
  attemptId: string;
  state: AttemptState;
  level: number;
}

/** What a partner call concluded: a decision event with its outcome code. */
export interface Outcome {
  event: Extract<AttemptEvent, 'match' | 'mismatch'>;
  outcome: string;
  error?: string;
}

export interface AttemptRunner {
  run(
    a: {
      subjectId: string;
      method: Method;
      level: 2 | 3 | 4;
      requestId: string;
      actor?: AuditEntryInput['actor'];
    },
    call: () => Promise<Outcome>,
    onMatch?: (q: Queryable, attemptId: string) => Promise<void>,
  ): Promise<Decision>;
  /** Applies one event to an attempt, refusing what the transition table does not allow. */
  apply(
    q: Queryable,
    attempt: { id: string; state: AttemptState; subjectId: string },
    event: AttemptEvent,
    /** `reason`: why a partner failed (timeout, status 500…), for operators; audit only. */
    set?: { outcome?: string; imageKept?: boolean; reason?: string },
    actor?: AuditEntryInput['actor'],
    requestId?: string,
  ): Promise<AttemptState>;
  expireStale(q: Queryable, subjectId: string): Promise<number>;
}

export function createAttemptRunner(deps: {
  db: Database;
  audit: AuditService;
  attemptsPerDay: number;
}): AttemptRunner {
  const { db, audit } = deps;

  const apply: AttemptRunner['apply'] = async (q, attempt, event, set = {}, actor, requestId) => {
    const to = next(attempt.state, event); // verification.illegal_transition if not in the table
    if (!(await repo.moveAttempt(q, attempt.id, attempt.state, to, set)))
      throw new AppError(verificationErrors.illegal_transition, `${attempt.state} changed meanwhile`);
    await audit.append(q, {
      actor: actor ?? { type: 'citizen', id: attempt.subjectId },
      action: `verification.${to}`,
      subject: { type: 'person', id: attempt.subjectId },
      purpose: 'real-name-verification',
      clause: 'P2.1',
      detail: {
        attemptId: attempt.id,
        event,
        from: attempt.state,
        ...(set.outcome ? { outcome: set.outcome } : {}),
        ...(set.reason ? { reason: set.reason } : {}),
      },
      requestId: requestId ?? null,
    });
    attempt.state = to;
    return to;
  };

  const expireStale: AttemptRunner['expireStale'] = async (q, subjectId) => {
    const stale = await repo.staleAttempts(q, subjectId);
    for (const a of stale)
      await apply(q, a, 'expire', { outcome: 'expired' }, { type: 'system', id: 'verification' });
    return stale.length;
  };

  return {
    apply,
    expireStale,
    async run(a, call, onMatch) {
      const actor = a.actor ?? { type: 'citizen' as const, id: a.subjectId };
      const attempt = await db.tx(async (q) => {
        await repo.lockSubject(q, a.subjectId);
        await expireStale(q, a.subjectId);
        const level = await assuranceLevel(q, a.subjectId);
        if (a.method !== 'service-hall' && level < a.level - 1)
          throw new AppError(verificationErrors.level_required, `L${a.level - 1} first`);
        const retry = await repo.retryable(q, a.subjectId, a.method);
        if (retry) {
          await apply(q, retry, 'retry', {}, actor, a.requestId);
          return retry;
        }
        if ((await repo.attemptsToday(q, a.subjectId, a.method)) >= deps.attemptsPerDay)
          throw new AppError(verificationErrors.too_many_attempts);
        const row = await repo.insertAttempt(q, {
          subjectId: a.subjectId,
          level: a.level,
          method: a.method,
          expiresAt: new Date(clock.now() + ATTEMPT_MINUTES * 60_000),
        });
        await audit.append(q, {
          actor,
          action: 'verification.started',
          subject: { type: 'person', id: a.subjectId },
          purpose: 'real-name-verification',
          clause: 'P2.1',
          detail: { attemptId: row.id, level: a.level, method: a.method },
          requestId: a.requestId,
        });
        await apply(q, row, 'submit', {}, actor, a.requestId);
        return row;
      });

      let result: Outcome | 'unavailable';
      let reason = '';
      try {
        result = await call();
      } catch (err) {
        if (!(err instanceof PartnerUnavailable)) throw err;
        result = 'unavailable';
        reason = err.message; // "<partner> unavailable: timeout": codes, never personal data
      }

      const decided = await db.tx(async (q) => {
        if (result === 'unavailable') {
          await apply(q, attempt, 'fail', { outcome: 'partner-unavailable', reason }, actor, a.requestId);
          return undefined;
        }
        await apply(q, attempt, result.event, { outcome: result.outcome }, actor, a.requestId);
        const current = await assuranceLevel(q, a.subjectId);
        if (result.event !== 'match') return current;
        if (onMatch) await onMatch(q, attempt.id);
        const level = Math.max(current, a.level) as AssuranceLevel;
        await setAssuranceLevel(q, audit, {
          subjectId: a.subjectId,
          level,
          reason: `verified:${a.method}`,
          actor,
          requestId: a.requestId,
        });
        return level;
      });
      if (decided === undefined)
        throw new AppError(verificationErrors.partner_unavailable, `attempt ${attempt.id}`);
      if (result !== 'unavailable' && result.error) throw new AppError(result.error, `attempt ${attempt.id}`);
      return { attemptId: attempt.id, state: attempt.state, level: decided };
    },
  };
}

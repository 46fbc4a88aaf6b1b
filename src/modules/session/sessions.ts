/**
 * Citizen sessions: random tokens, only their SHA-256 stored, revocable. Signing in
 * (password, SMS code, passkeys, linked accounts) creates them; see the identity issue.
 * Separate from staff sessions: another table, another cookie.
 *
 * Rules:
 * - P7.3 a session ends 12 hours after sign-in, or after 2 hours without use. Use moves the
 *   idle clock on, written only when it is more than a minute old: at most one write a
 *   minute per session, not one per request.
 * - P7.3 `proved_at` is when this session last proved the person (sign-in, or the password
 *   or an app code typed again); weakening the account's protection needs it recent.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../../kernel/db/database.ts';
import * as repo from './session.repository.ts';
import { clock } from '../../kernel/clock.ts';
import { checkName, DEVICE_NAME_MAX, type NameProblem } from './device.ts';

export const SESSION_HOURS = 12;
/** P7.3 the idle window; the statements of session.repository.ts apply it. */
export { IDLE_MINUTES } from './session.repository.ts';
const digest = (token: string) => createHash('sha256').update(token).digest();

export interface SessionView {
  id: string;
  device: string;
  /** The name the person gave it, if any (personal data: never in audit details). */
  name: string | null;
  /** When it was signed in, and when it was last used (to the minute: see the rules). */
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
}

/** The live portal session a token belongs to, and how and when the person signed in to it. */
export interface PortalSession {
  id: string;
  subjectId: string;
  /** When the person signed in (the session's creation): the `auth_time` of single sign-on. */
  signedInAt: Date;
  /** RFC 8176 methods the sign-in was proved with (amr.ts). */
  amr: string[];
}

export interface CitizenSessions {
  /**
   * placeToken: keyed hash of the coarse place the person shared for this sign-in (risk.ts);
   * amr: how the sign-in was proved (amr.ts).
   */
  create(
    subjectId: string,
    q?: Queryable,
    device?: string,
    placeToken?: Buffer,
    amr?: string[],
  ): Promise<string>;
  /**
   * A new session as a statement not yet run, for `audit.appendWith` (one round trip for
   * the session and its audit entry on the hot sign-in path); returns `audit_subject`.
   * `id` is the session's id, for the audit entry (identifiers only, never the device label).
   */
  prepare(
    subjectId: string,
    device?: string,
    placeToken?: Buffer,
    amr?: string[],
  ): { token: string; id: string; change: { name: string; text: string; values: unknown[] } };
  subjectOf(token: string | undefined): Promise<string | undefined>;
  revoke(token: string): Promise<void>;
  /**
   * The live session a token belongs to (its id keys per-session choices such as the acting
   * identity; its sign-in time binds the provider session opened from it, oidc/provider.ts).
   */
  sessionOf(token: string | undefined): Promise<PortalSession | undefined>;
  /** P7.3 the person's live sessions, newest first, marking the one making the request. */
  list(subjectId: string, currentToken: string | undefined): Promise<SessionView[]>;
  /**
   * P7.3 names one of the person's live sessions, to tell two alike apart; the name is
   * checked here (checkName). Returns the problem, or null once named.
   */
  rename(subjectId: string, sessionId: string, name: string): Promise<NameProblem | 'unknown' | null>;
  /** Ends one of the person's sessions; returns whether there was one to end. */
  revokeById(subjectId: string, sessionId: string): Promise<boolean>;
  /** Ends every session of the person except the current one; returns how many. */
  revokeOthers(subjectId: string, currentToken: string | undefined): Promise<number>;
  /** Ends every session of the person, in `q` (a password reset's transaction). */
  revokeAll(q: Queryable, subjectId: string): Promise<void>;
  /** P7.3 whether the session proved the person within the last `minutes`. */
  provedWithin(token: string | undefined, minutes: number): Promise<boolean>;
  /** P7.3 the person proved themselves again (password or app code) in this session. */
  markProved(token: string): Promise<void>;
  /** A wrong password or code typed to prove the person again; returns how many so far. */
  proofFailed(token: string): Promise<number>;
}

/**
 * Told of every session ended on purpose (signed out, ended from another device, ended with
 * every other one, a password reset), in the transaction that ends it: what was bound to
 * the session's browser ends with it (the push subscriptions of modules/notify, wired in
 * src/wiring.ts). A session that only expires is not an end on purpose and is not told.
 */
export type SessionsEnded = (q: Queryable, sessionIds: readonly string[]) => Promise<unknown>;

export function createCitizenSessions(db: Database, opts: { ended?: SessionsEnded } = {}): CitizenSessions {
  /** Runs an ending statement and tells the listener in the same transaction. */
  const ending = (end: (q: Queryable) => Promise<string[]>, q?: Queryable): Promise<string[]> => {
    const run = async (tx: Queryable) => {
      const ids = await end(tx);
      if (ids.length > 0 && opts.ended) await opts.ended(tx, ids);
      return ids;
    };
    return q ? run(q) : db.tx(run);
  };
  const sessionOf = async (token: string | undefined) => {
    if (!token) return undefined;
    const hash = digest(token);
    const row = await repo.liveByHash(db, hash);
    if (!row) return undefined;
    if (row.stale) await repo.touch(db, hash);
    return { id: row.id, subjectId: row.subjectId, signedInAt: row.signedInAt, amr: row.amr };
  };
  return {
    async create(subjectId, q = db, device = 'unknown', placeToken, amr) {
      const { token, change } = this.prepare(subjectId, device, placeToken, amr);
      await q.query(change.text, change.values);
      return token;
    },
    prepare(subjectId, device = 'unknown', placeToken, amr = []) {
      const token = randomBytes(32).toString('base64url');
      const id = randomUUID();
      const change = repo.insertStatement({
        id,
        tokenHash: digest(token),
        subjectId,
        expiresAt: new Date(clock.now() + SESSION_HOURS * 3600_000),
        device,
        placeToken: placeToken ?? null,
        amr,
      });
      return { token, id, change };
    },
    list: (subjectId, currentToken) =>
      repo.liveOf(db, subjectId, currentToken ? digest(currentToken) : Buffer.alloc(0)),
    async rename(subjectId, sessionId, raw) {
      const checked = checkName(raw, DEVICE_NAME_MAX);
      if ('problem' in checked) return checked.problem;
      if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return 'unknown';
      return (await repo.rename(db, subjectId, sessionId, checked.name)) ? null : 'unknown';
    },
    async revokeById(subjectId, sessionId) {
      if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return false;
      return (await ending((q) => repo.revokeById(q, subjectId, sessionId))).length === 1;
    },
    async revokeOthers(subjectId, currentToken) {
      const current = currentToken ? digest(currentToken) : Buffer.alloc(0);
      return (await ending((q) => repo.revokeOthers(q, subjectId, current))).length;
    },
    async revokeAll(q, subjectId) {
      await ending((tx) => repo.revokeAll(tx, subjectId), q);
    },
    sessionOf,
    async subjectOf(token) {
      return (await sessionOf(token))?.subjectId;
    },
    async provedWithin(token, minutes) {
      if (!token) return false;
      return repo.provedWithin(db, digest(token), minutes);
    },
    async markProved(token) {
      await repo.markProved(db, digest(token));
    },
    proofFailed: (token) => repo.proofFailed(db, digest(token)),
    async revoke(token) {
      await ending((q) => repo.revoke(q, digest(token)));
    },
  };
}

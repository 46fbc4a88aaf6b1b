/**
 * Citizen sessions: random tokens, only their SHA-256 stored, revocable. Signing in
 * (password, SMS code, passkeys, linked accounts) creates them; see the identity issue.
 * Separate from staff sessions: another table, another cookie.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database, Queryable } from '../../db/database.ts';
import { AppError, httpErrors } from '../../shared/errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    citizen?: { subjectId: string };
  }
}

export const SESSION_HOURS = 12;
export const citizenCookieName = (secure: boolean) => (secure ? '__Host-civitas_session' : 'civitas_session');
const digest = (token: string) => createHash('sha256').update(token).digest();

export interface CitizenSessions {
  create(subjectId: string, q?: Queryable): Promise<string>;
  subjectOf(token: string | undefined): Promise<string | undefined>;
  revoke(token: string): Promise<void>;
}

export function createCitizenSessions(db: Database): CitizenSessions {
  return {
    async create(subjectId, q = db) {
      const token = randomBytes(32).toString('base64url');
      await q.query('INSERT INTO citizen_session (token_hash, subject_id, expires_at) VALUES ($1, $2, $3)', [
        digest(token),
        subjectId,
        new Date(Date.now() + SESSION_HOURS * 3600_000),
      ]);
      return token;
    },
    async subjectOf(token) {
      if (!token) return undefined;
      const { rows } = await db.query<{ subject_id: string }>(
        `SELECT subject_id FROM citizen_session
          WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()`,
        [digest(token)],
      );
      return rows[0]?.subject_id;
    },
    async revoke(token) {
      await db.query('UPDATE citizen_session SET revoked_at = now() WHERE token_hash = $1', [digest(token)]);
    },
  };
}

/** preHandler: sets req.citizen, or answers 401 (API) / redirects to the sign-in page (pages). */
export function citizenAuth(sessions: CitizenSessions, secure: boolean, mode: 'api' | 'page') {
  const cookie = citizenCookieName(secure);
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const subjectId = await sessions.subjectOf(req.cookies[cookie]);
    if (subjectId) {
      req.citizen = { subjectId };
      return;
    }
    if (mode === 'page') {
      await reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
      return;
    }
    throw new AppError(httpErrors.unauthenticated);
  };
}

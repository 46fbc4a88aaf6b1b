/**
 * Per-source limits on sign-in attempts (P7.3): the guard table of which request counts
 * against which policy. Used by the sign-in pages (web/portal/auth/routes.ts) and the
 * identity API (web/api/identity.api.ts), so a page and the API of the same
 * step share one bucket.
 *
 * Rules:
 * - Attempts count, views do not: only POSTs are counted; `GET /login` and
 *   `GET /register` never answer 429.
 * - One bucket per policy and source address, held by the shared limiter
 *   (shared/limits.ts), so every process counts into the same bucket.
 * - Every POST route in a guarded scope is in the table below, or the platform refuses
 *   to start (a new route cannot silently escape the limit).
 * - The source is `req.ip`, which only believes the proxies TRUST_PROXY names
 *   (shared/http/proxy.ts).
 *
 *   route                                        policy
 *   POST /login, /api/identity/login/password    sign-in
 *   POST /login/code (code typed), …/login/code  sign-in
 *   POST passkey sign-in, second-step answers    sign-in
 *   POST /register/code, /api/identity/codes     code
 *   POST /login/code, /login/reset with send=1   code
 *   POST second-step SMS                         code
 *   POST /register, /api/identity/register       register
 *   POST /register/verify (code typed)           register (with send=1: code)
 *   POST /login/reset, …/password/reset          reset
 *   POST sign-out, passkeys of a signed-in person  not counted (they need a session)
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, httpErrors } from '../../kernel/errors.ts';
import type { Limit, Limiter } from '../limits.ts';

export type AttemptPolicy = 'sign-in' | 'code' | 'register' | 'reset';
type Rule = AttemptPolicy | null | ((body: Record<string, unknown> | undefined) => AttemptPolicy);

/** The page forms that either send a code (`send=1`) or use one. */
const sendsCodeElse =
  (otherwise: AttemptPolicy): Rule =>
  (body) =>
    body?.send === '1' ? 'code' : otherwise;

export const attemptPolicies: Readonly<Record<string, Rule>> = {
  'POST /login': 'sign-in',
  'POST /login/code': sendsCodeElse('sign-in'),
  'POST /login/second-step': 'sign-in',
  'POST /login/second-step/send': 'code',
  'POST /register/code': 'code',
  'POST /register': 'register',
  'POST /register/verify': sendsCodeElse('register'),
  'POST /login/reset': sendsCodeElse('reset'),
  'POST /logout': null,
  'POST /api/identity/codes': 'code',
  'POST /api/identity/register': 'register',
  'POST /api/identity/login/password': 'sign-in',
  'POST /api/identity/login/code': 'sign-in',
  'POST /api/identity/password/reset': 'reset',
  'POST /api/identity/second-step/sms': 'code',
  'POST /api/identity/second-step/code': 'sign-in',
  'POST /api/identity/second-step/passkey/options': 'sign-in',
  'POST /api/identity/second-step/passkey': 'sign-in',
  'POST /api/identity/passkey/options': 'sign-in',
  'POST /api/identity/login/passkey': 'sign-in',
  'POST /api/identity/logout': null,
  'POST /api/me/passkeys/options': null,
  'POST /api/me/passkeys': null,
};

export const sourceLimit = (policy: AttemptPolicy, perMinute: number): Limit => ({
  name: `source:${policy}`,
  points: perMinute,
  seconds: 60,
});

/** Counts every POST of this scope against its policy's per-source bucket. */
export function limitAttempts(scope: FastifyInstance, deps: { limiter: Limiter; perMinute: number }): void {
  scope.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.includes('POST') && !(`POST ${route.url}` in attemptPolicies)) {
      throw new Error(`POST ${route.url} has no attempt policy (shared/http/attempts.ts)`);
    }
  });
  scope.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method !== 'POST') return;
    const rule = attemptPolicies[`POST ${req.routeOptions.url}`];
    const policy = typeof rule === 'function' ? rule(req.body as Record<string, unknown> | undefined) : rule;
    if (!policy) return;
    const c = await deps.limiter.hit(sourceLimit(policy, deps.perMinute), req.ip);
    if (!c.allowed) {
      reply.header('retry-after', String(Math.max(c.retrySeconds, 1)));
      throw new AppError(httpErrors.rate_limited, `${policy} attempts from this address`);
    }
  });
}

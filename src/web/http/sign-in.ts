/**
 * HTTP side of signing in, shared by the API and the pages: what a request tells about
 * the sign-in (device label and cookie, shared place, language), the cookies a result
 * sets, and the WebAuthn relying party of the request.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { localeOf } from '../i18n/index.ts';
import {
  CHALLENGE_MINUTES,
  citizenCookieName,
  deviceIdOf,
  deviceLabel,
  SESSION_HOURS,
  type RelyingParty,
  type SignInContext,
  type SignInResult,
} from '../../modules/identity/index.ts';

/** The pending second step of this browser (httpOnly; the API also returns it in the body). */
export const stepCookieName = (secure: boolean) => (secure ? '__Host-civitas_step' : 'civitas_step');

export function signInContext(
  req: FastifyRequest,
  reply: FastifyReply,
  secure: boolean,
  place?: string,
): SignInContext {
  return {
    requestId: req.id,
    device: deviceLabel(req.headers['user-agent']),
    deviceId: deviceIdOf(req, reply, secure),
    place,
    locale: localeOf(req),
    source: req.ip,
  };
}

/** Sets the session cookie, or the second-step cookie; returns what the API answers. */
export function applySignIn(reply: FastifyReply, r: SignInResult, secure: boolean) {
  const base = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };
  if (r.kind === 'session') {
    reply.setCookie(citizenCookieName(secure), r.token, { ...base, maxAge: SESSION_HOURS * 3600 });
    reply.clearCookie(stepCookieName(secure), { path: '/' });
    return { subjectId: r.subjectId };
  }
  reply.setCookie(stepCookieName(secure), r.challenge, { ...base, maxAge: CHALLENGE_MINUTES * 60 });
  return {
    secondStep: {
      challenge: r.challenge,
      methods: r.methods,
      reasons: r.reasons,
      expiresAt: r.expiresAt.toISOString(),
    },
  };
}

/** RP ID and origin: the configured public URL, else (development, tests) the request's own. */
export function relyingParty(req: FastifyRequest, publicUrl: string | undefined): RelyingParty {
  const origin = publicUrl ? new URL(publicUrl).origin : `${req.protocol}://${req.host}`;
  return { id: new URL(origin).hostname, origin };
}

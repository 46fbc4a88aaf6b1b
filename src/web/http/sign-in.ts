/**
 * HTTP side of signing in, shared by the API and the pages: what a request tells about
 * the sign-in (device label and cookie, shared place, language), the cookies a result
 * sets, and the WebAuthn relying party of the request.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { localeOf } from '../i18n/index.ts';
import { deviceLabel, SESSION_HOURS } from '../../modules/session/index.ts';
import { deviceIdOf } from './device-cookie.ts';
import {
  CHALLENGE_MINUTES,
  type RelyingParty,
  type SignInContext,
  type SignInResult,
} from '../../modules/signin/index.ts';
import { cookie } from './cookies.ts';

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
  if (r.kind === 'session') {
    cookie('session', secure).set(reply, r.token, SESSION_HOURS * 3600);
    cookie('step', secure).clear(reply);
    return { subjectId: r.subjectId };
  }
  cookie('step', secure).set(reply, r.challenge, CHALLENGE_MINUTES * 60);
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

/**
 * The device cookie: a long-lived random value that lets the risk check recognise a
 * browser that signed in before (P7.3). httpOnly, SameSite=Lax, not readable by scripts;
 * strictly necessary for account security (P3.2), so it needs no consent. The server
 * stores only SHA-256(account id, cookie) per account (`known_device`), so the cookie
 * cannot be read back from the table and one browser shared by two accounts is not linkable.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

const MAX_AGE_DAYS = 400; // the longest browsers keep a cookie

export const deviceCookieName = (secure: boolean) => (secure ? '__Host-civitas_device' : 'civitas_device');

/** This browser's device id; a new one is issued (and set on the reply) when it has none. */
export function deviceIdOf(req: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  const name = deviceCookieName(secure);
  const current = req.cookies[name];
  if (current && /^[A-Za-z0-9_-]{43}$/.test(current)) return current;
  const id = randomBytes(32).toString('base64url');
  reply.setCookie(name, id, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: MAX_AGE_DAYS * 24 * 3600,
  });
  return id;
}

export const deviceHash = (subjectId: string, deviceId: string) =>
  createHash('sha256').update(`${subjectId}:${deviceId}`).digest();

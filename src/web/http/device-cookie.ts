/**
 * The device cookie: a long-lived random value that lets the risk check recognise a
 * browser that signed in before (P7.3). httpOnly, SameSite=Lax, not readable by scripts;
 * strictly necessary for account security (P3.2), so it needs no consent. Its name, lifetime
 * and flags are the registry's (cookies.ts); the server stores only a hash of it per account
 * (`deviceHash`, session module).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookie } from './cookies.ts';

/** This browser's device id; a new one is issued (and set on the reply) when it has none. */
export function deviceIdOf(req: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  const device = cookie('device', secure);
  const current = device.read(req);
  if (current && /^[A-Za-z0-9_-]{43}$/.test(current)) return current;
  const id = randomBytes(32).toString('base64url');
  device.set(reply, id);
  return id;
}

/**
 * Signing in through the identity service, as the API routes do, for module tests composed
 * with compose.ts: what a request would tell (source address, device cookie) is passed as
 * the sign-in context, and a refusal is the AppError the route would turn into problem+json
 * (its `status` is the HTTP status the caller gets).
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { LocalSmsGateway } from '../../src/dev/sms.ts';
import { AppError } from '../../src/kernel/errors.ts';
import type { SignInContext, SignInResult } from '../../src/modules/signin/index.ts';
import type { Services } from '../../src/wiring.ts';
import { idNumberFor, PASSWORD } from './citizen.ts';

type Signing = Pick<Services, 'identity' | 'sms'>;

/** A browser never seen: the device cookie a first request would be given (device-cookie.ts). */
export const newDevice = (): string => randomBytes(32).toString('base64url');

/** A sign-in context from `source`, with `deviceId` (none: a new browser each time, as over HTTP). */
export const from = (
  source: string,
  deviceId?: string,
  more: Partial<SignInContext> = {},
): SignInContext => ({
  requestId: randomUUID(),
  source,
  deviceId: deviceId ?? newDevice(),
  ...more,
});

export interface Refusal {
  code: string;
  status: number;
  title: string;
  detail: string | undefined;
  clause: string | undefined;
}

/** The refusal a call ends in, as its problem+json would carry it; fails if the call succeeds. */
export async function refusal(call: Promise<unknown>): Promise<Refusal> {
  try {
    await call;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { code: err.code, status: err.status, title: err.message, detail: err.detail, clause: err.clause };
  }
  assert.fail('expected a refusal');
}

/** The HTTP status a sign-in call would answer: 200 when it signs in or asks for a second step. */
export async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (err) {
    if (err instanceof AppError) return err.status;
    throw err;
  }
}

export interface InProcessCitizen {
  phone: string;
  subjectId: string;
  /** The browser that registered: a known device of the account. */
  device: string;
  token: string;
}

/** Registers a person from a browser of their own (which becomes a known device), as /api/identity/register does. */
export async function registerFrom(
  c: Signing,
  phone: string,
  n: number,
  opts: { source?: string; name?: string; password?: string } = {},
): Promise<InProcessCitizen> {
  const device = newDevice();
  const ctx = from(opts.source ?? '192.0.2.1', device);
  await c.identity.sendCode(phone, 'register', ctx);
  const code = (c.sms as LocalSmsGateway).lastCode(phone)!;
  const r = await c.identity.register(
    { phone, code, password: opts.password ?? PASSWORD, name: opts.name ?? '王芳', idNumber: idNumberFor(n) },
    ctx,
  );
  assert.equal(r.kind, 'session', `registration asked for ${r.kind}`);
  return { phone, subjectId: r.subjectId, device, token: (r as { token: string }).token };
}

/** The challenge of a sign-in that asked for a second step. */
export function challengeOf(r: SignInResult): Extract<SignInResult, { kind: 'second-step' }> {
  assert.equal(r.kind, 'second-step', 'a second step is asked for');
  return r as Extract<SignInResult, { kind: 'second-step' }>;
}

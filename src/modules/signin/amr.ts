/**
 * How a sign-in was proved, as RFC 8176 Authentication Method Reference values: stored on
 * the portal session and reported as `amr` in single sign-on (P7.3, P2.1).
 *
 *   pwd  password                      sms  a code sent by SMS (sign-in, reset, registration)
 *   otp  TOTP or a recovery code       hwk  a passkey (proof of possession of a key)
 *   mfa  a second step passed after a first factor of another kind
 *
 * A linked-account sign-in (P7.1) was proved upstream by means Civitas does not see: it
 * reports no method rather than a guessed one.
 */
import type { Queryable } from '../../kernel/db/database.ts';
import * as repo from './signin.repository.ts';
import type { FirstFactor, SecondStepMethod } from './risk.ts';

const FIRST: Record<string, string> = {
  password: 'pwd',
  'sms-code': 'sms',
  'password-reset': 'sms',
  registration: 'sms',
  passkey: 'hwk',
};
const SECOND: Record<SecondStepMethod, string> = {
  passkey: 'hwk',
  totp: 'otp',
  'recovery-code': 'otp',
  sms: 'sms',
};

export function amrOf(first: FirstFactor, second?: SecondStepMethod): string[] {
  const methods = [FIRST[first], second ? SECOND[second] : undefined].filter((m): m is string => !!m);
  const distinct = [...new Set(methods)];
  return distinct.length > 1 ? [...distinct, 'mfa'] : distinct;
}

/**
 * Whether a sign-in proved with `amr` used the account's strong means: a passkey or an
 * authenticator app (or its recovery code) when the account has one; any sign-in when it
 * has none. A service's `prompt=login` or `max_age` asks for that (oidc interactions).
 */
export async function provedStrongly(q: Queryable, subjectId: string, amr: string[]): Promise<boolean> {
  if (amr.includes('hwk') || amr.includes('otp')) return true;
  return !(await repo.hasStrongFactor(q, subjectId));
}

// policy: P4, P7.3, P2.2.1 — risk checks on login; place only when shared.
/**
 * Risk checks at sign-in (P4 "risk checks on login", P7.3). A list of named checks, each
 * with its reason; a sign-in for which any check applies must pass a second step before a
 * session exists, and the person gets a login alert.
 *
 *   check             applies when
 *   new-device        this browser's device cookie is not known for the account
 *   recent-failures   3 or more wrong passwords since the last successful sign-in
 *   unusual-place     location shared (P2.2.1), 3+ recent sign-ins with a place, none here
 *   unusual-time      location shared, 10+ recent sign-ins, none at this hour of day
 *
 * Rules:
 * - P2.2.1 place and time are judged only when the person chose to share a coarse place
 *   for this sign-in; nothing about place is collected otherwise, and what is kept is a
 *   keyed hash of the place, never the place.
 * - Cheap: one statement per sign-in (one round trip) reads every fact (account, device
 *   and the newest 20 sessions only when a place was shared, second factors), whatever the
 *   outcome. Each owning module writes the SQL on its own tables as a one-row fragment
 *   exported by its index.ts (account `credentialsRow`, session `deviceHistoryRow`, signin
 *   `factorsRow`); this file only joins the fragments, so no module reads another's tables.
 * - The second step is a passkey or TOTP if the account has one (or a recovery code),
 *   else an SMS code to the verified phone. It must be another factor than the first: a
 *   passkey sign-in (user-verified) needs none; an SMS-code sign-in has already proved
 *   the phone, so it needs one only when the account has a stronger factor.
 */
import type { Queryable } from '../../kernel/db/database.ts';
import { credentialsRow } from '../account/index.ts';
import { deviceHistoryRow } from '../session/index.ts';
import { factorsRow } from './signin.repository.ts';

export type RiskReason = 'new-device' | 'recent-failures' | 'unusual-place' | 'unusual-time';
export const riskReasons = ['new-device', 'recent-failures', 'unusual-place', 'unusual-time'] as const;
export type SecondStepMethod = 'passkey' | 'totp' | 'recovery-code' | 'sms';
export const secondStepMethods = ['passkey', 'totp', 'recovery-code', 'sms'] as const;
/** How the person proved themselves first. Other sign-in methods add their own name. */
export type FirstFactor = 'password' | 'sms-code' | 'password-reset' | 'passkey' | (string & {});

export const FAILURES = 3;
export const MIN_PLACES = 3;
export const MIN_HISTORY = 10;

export interface RiskFacts {
  deviceKnown: boolean;
  failedBefore: number;
  placeShared: boolean;
  placeSeen: boolean;
  placeHistory: number;
  history: number;
  hours: number[];
  hour: number;
}

export interface Factors {
  passkey: boolean;
  totp: boolean;
  recoveryCodes: number;
}

export interface RiskCheck {
  name: RiskReason;
  reason: string;
  applies(f: RiskFacts): boolean;
}

export const checks: readonly RiskCheck[] = [
  {
    name: 'new-device',
    reason: 'this browser has not signed in to the account before',
    applies: (f) => !f.deviceKnown,
  },
  {
    name: 'recent-failures',
    reason: `${FAILURES} or more wrong passwords since the last successful sign-in`,
    applies: (f) => f.failedBefore >= FAILURES,
  },
  {
    name: 'unusual-place',
    reason: 'the place shared for this sign-in is none of the places of the recent sign-ins',
    applies: (f) => f.placeShared && f.placeHistory >= MIN_PLACES && !f.placeSeen,
  },
  {
    name: 'unusual-time',
    reason: 'no recent sign-in happened at this hour of day (judged only with a place shared)',
    applies: (f) => f.placeShared && f.history >= MIN_HISTORY && !f.hours.includes(f.hour),
  },
];

export const assess = (f: RiskFacts): RiskReason[] => checks.filter((c) => c.applies(f)).map((c) => c.name);

/** The hour of day in China Standard Time, the platform's time zone. */
export const hourOf = (d: Date) => (d.getUTCHours() + 8) % 24;

/** Coarse place as shared by the person: a city-level region code, a whole-degree grid cell, or a city name. */
export function normalisePlace(raw: string | undefined): string | undefined {
  const v = (raw ?? '').normalize('NFKC').trim().toLowerCase();
  if (!v) return undefined;
  if (/^\d{6}$/.test(v)) return `cn:${v.slice(0, 4)}`; // GB/T 2260: the first four digits name the city
  const grid = /^geo:(-?\d{1,2}(?:\.\d+)?),(-?\d{1,3}(?:\.\d+)?)$/.exec(v);
  if (grid) return `geo:${Math.round(Number(grid[1]))},${Math.round(Number(grid[2]))}`;
  if (v.length <= 40) return `name:${v.replace(/\s+/g, '')}`;
  return undefined;
}

export function allowedMethods(f: Factors): SecondStepMethod[] {
  const strong: SecondStepMethod[] = [
    ...(f.passkey ? ['passkey' as const] : []),
    ...(f.totp ? ['totp' as const] : []),
  ];
  if (strong.length === 0) return ['sms'];
  return f.recoveryCodes > 0 ? [...strong, 'recovery-code'] : strong;
}

/** Whether the first factor already is the second step the account would ask for. */
export function firstFactorSuffices(first: FirstFactor, methods: SecondStepMethod[]): boolean {
  if (first === 'passkey') return true;
  return (first === 'sms-code' || first === 'password-reset') && methods.length === 1 && methods[0] === 'sms';
}

/**
 * Every fact the checks need, the account's second factors and its credentials and
 * lock-out state, in one statement (a password sign-in needs them all anyway). The
 * recent-history part runs only when a place was shared: without one, place and hour are
 * not judged, and the common sign-in reads two primary-key probes and two small counts.
 */
export interface AccountState {
  password_hash: string | null;
  failed_logins: number;
  locked_until: Date | null;
  /** A new password is required before any sign-in completes ("this wasn't me"). */
  renewal_required: boolean;
}

export interface SignInFacts {
  /** The account's credentials and lock-out state, read in the same statement. */
  account: AccountState;
  facts: Omit<RiskFacts, 'failedBefore' | 'hour' | 'placeShared'>;
  factors: Factors;
}

/**
 * The one statement, in its two fixed texts (named: prepared once per connection, hot
 * path). The account's row drives it: with no account there is no row, and nothing else
 * is read. $1 the subject, $2 the device hash, $3 the place token (only when shared).
 */
const factsStatement = (withPlace: boolean) => ({
  name: withPlace ? 'signin-facts-place' : 'signin-facts',
  text: `SELECT a.password_hash, a.failed_logins, a.locked_until, a.renewal_required,
                h."deviceKnown", h.history, h.hours, h."placeHistory", h."placeSeen",
                f.passkey, f.totp, f."recoveryCodes"
           FROM (${credentialsRow('$1')}) a
          CROSS JOIN (${deviceHistoryRow('$1', '$2', withPlace ? '$3' : undefined)}) h
          CROSS JOIN (${factorsRow('$1')}) f`,
});
const statements = { place: factsStatement(true), plain: factsStatement(false) };

interface FactsRow {
  renewal_required: boolean;
  password_hash: string | null;
  failed_logins: number;
  locked_until: Date | null;
  deviceKnown: boolean;
  history: number;
  hours: number[];
  placeHistory: number;
  placeSeen: boolean;
  passkey: boolean;
  totp: boolean;
  recoveryCodes: number;
}

/** undefined when there is no such account. One round trip. */
export async function loadFacts(
  q: Queryable,
  subjectId: string,
  deviceHash: Buffer,
  placeToken: Buffer | undefined,
): Promise<SignInFacts | undefined> {
  const { rows } = await q.query<FactsRow>(
    placeToken ? statements.place : statements.plain,
    placeToken ? [subjectId, deviceHash, placeToken] : [subjectId, deviceHash],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    account: {
      password_hash: r.password_hash,
      failed_logins: r.failed_logins,
      locked_until: r.locked_until,
      renewal_required: r.renewal_required,
    },
    facts: {
      deviceKnown: r.deviceKnown,
      placeSeen: r.placeSeen,
      placeHistory: r.placeHistory,
      history: r.history,
      hours: r.hours,
    },
    factors: { passkey: r.passkey, totp: r.totp, recoveryCodes: r.recoveryCodes },
  };
}

/**
 * How many tries a sign-in gets (P7.3), so guessing is slow and an anonymous attacker
 * can never keep the owner out. Counters live in the shared limiter (shared/limits.ts):
 * every process counts into the same buckets. The per-source limits of each route come
 * on top (shared/http/attempts.ts).
 *
 * Rules:
 * - Wrong passwords are counted per (number, source address) and per number over all
 *   browsers the account does not know. Either limit refuses only those browsers, with
 *   the same `identity.locked` answer and no retry time whether or not the number has an
 *   account: counters key on the number's blind index, never on whether it is registered.
 * - The account's own (known) devices are counted apart and never locked: after 5 wrong
 *   passwords each further one makes that device wait longer (15 s doubling, at most
 *   5 minutes), told to it as `identity.slow_down`. An attacker's failures elsewhere
 *   never touch it.
 * - SMS codes per number and day: 3 for browsers the account does not know (anonymous
 *   requests, a registration), 10 more kept for the account's known devices, which
 *   anonymous requests cannot spend. Per source address, the `code` policy of the routes
 *   limits them (SIGNIN_RATE_LIMIT_PER_MINUTE; a carrier's NAT puts many people behind
 *   one address, so no tighter per-source budget here).
 * - Second-step failures (TOTP, recovery code, SMS step, passkey) are counted per account
 *   over a sliding hour across all challenges: from the 5th, every further answer waits
 *   (30 s doubling, at most an hour; `identity.second_step_slowed`), and the person is
 *   alerted once per hour (second-step.ts).
 * - A successful sign-in clears the counters of that number and source or device.
 * - Staff unlocking an account (account-support.ts) starts a new generation of the
 *   number's password counters: every source and device of it starts afresh.
 */
import { AppError } from '../../kernel/errors.ts';
import type { Limit, Limiter } from '../../shared/limits.ts';
import { signInErrors } from './signin.errors.ts';

const MINUTE = 60;
const HOUR = 3600;
const DAY = 24 * HOUR;

export const attemptLimits = {
  passwordPerSource: { name: 'password:number+source', points: 5, seconds: 15 * MINUTE },
  passwordUnknownDevices: { name: 'password:number', points: 50, seconds: HOUR },
  passwordKnownDevice: { name: 'password:known-device', points: 5, seconds: DAY },
  passwordWait: { name: 'password:known-device:wait', points: 1, seconds: 5 * MINUTE },
  codesAnonymous: { name: 'codes:number:anonymous', points: 3, seconds: DAY },
  codesKnownDevices: { name: 'codes:number:known-devices', points: 10, seconds: DAY },
  /** Bumped by a staff unlock; part of every password counter's key. */
  passwordGeneration: { name: 'password:number:generation', points: 1_000_000, seconds: DAY },
  secondStepFailures: { name: 'second-step:account', points: 5, seconds: HOUR },
  secondStepWait: { name: 'second-step:account:wait', points: 1, seconds: HOUR },
  secondStepAlerted: { name: 'second-step:account:alerted', points: 1, seconds: HOUR },
} as const satisfies Record<string, Limit>;

const L = attemptLimits;
/** Waits grow from `base` seconds, doubling per failure past the limit, up to `max`. */
const wait = (failures: number, points: number, base: number, max: number) =>
  Math.min(base * 2 ** Math.max(failures - points, 0), max);

/** Who is trying: the number's blind index, the source address, a known device of the account. */
export interface Attempt {
  number: string;
  source: string;
  /** The device hash (base64) when this browser is a known device of the number's account. */
  knownDevice?: string | undefined;
}

/** What `beforePassword` read: the generation of the number's counters, failures so far. */
export interface PasswordTry {
  gen: number;
  failures: number;
}

export function createAttempts(limiter: Limiter) {
  const generation = async (a: Attempt) => (await limiter.peek(L.passwordGeneration, a.number)).count;
  const numberSource = (a: Attempt, gen: number) => `${a.number}|${gen}|${a.source}`;
  const numberDevice = (a: Attempt, gen: number) => `${a.number}|${gen}|${a.knownDevice}`;

  return {
    /**
     * Before a password is checked. What it read (the counters' generation, failures so
     * far) is handed to the two calls below, so a clean sign-in writes nothing.
     */
    async beforePassword(a: Attempt): Promise<PasswordTry> {
      const gen = await generation(a);
      if (a.knownDevice) {
        const [w, failed] = await Promise.all([
          limiter.peek(L.passwordWait, numberDevice(a, gen)),
          limiter.peek(L.passwordKnownDevice, numberDevice(a, gen)),
        ]);
        if (!w.allowed) {
          throw new AppError(signInErrors.slow_down, `retry after ${w.retrySeconds} seconds`);
        }
        return { gen, failures: failed.count };
      }
      const [here, everywhere] = await Promise.all([
        limiter.peek(L.passwordPerSource, numberSource(a, gen)),
        limiter.peek(L.passwordUnknownDevices, `${a.number}|${gen}`),
      ]);
      // Same answer, no retry time: it must not tell whether the number has an account.
      if (here.count >= L.passwordPerSource.points || everywhere.count >= L.passwordUnknownDevices.points)
        throw new AppError(signInErrors.locked);
      return { gen, failures: here.count };
    },

    async passwordFailed(a: Attempt, { gen }: PasswordTry): Promise<void> {
      if (a.knownDevice) {
        const { count } = await limiter.hit(L.passwordKnownDevice, numberDevice(a, gen));
        if (count >= L.passwordKnownDevice.points) {
          await limiter.block(L.passwordWait, numberDevice(a, gen), wait(count, 5, 15, 5 * MINUTE));
        }
        return;
      }
      await Promise.all([
        limiter.hit(L.passwordPerSource, numberSource(a, gen)),
        limiter.hit(L.passwordUnknownDevices, `${a.number}|${gen}`),
      ]);
    },

    async passwordSucceeded(a: Attempt, { gen, failures }: PasswordTry): Promise<void> {
      if (failures === 0) return;
      await Promise.all(
        a.knownDevice
          ? [
              limiter.reset(L.passwordKnownDevice, numberDevice(a, gen)),
              limiter.reset(L.passwordWait, numberDevice(a, gen)),
            ]
          : [limiter.reset(L.passwordPerSource, numberSource(a, gen))],
      );
    },

    /** Staff unlock: every password counter of the number starts afresh. */
    async unlockNumber(number: string): Promise<void> {
      await limiter.hit(L.passwordGeneration, number);
    },

    /** Counts a code about to be sent; refuses past the budget of this kind of request. */
    async beforeCode(a: Attempt): Promise<void> {
      const budget = a.knownDevice ? L.codesKnownDevices : L.codesAnonymous;
      if (!(await limiter.hit(budget, a.number)).allowed) throw new AppError(signInErrors.too_many_codes);
    },

    /** Before a second-step answer of this account is checked. */
    async beforeSecondStep(subjectId: string): Promise<void> {
      const w = await limiter.peek(L.secondStepWait, subjectId);
      if (!w.allowed) {
        throw new AppError(signInErrors.second_step_slowed, `retry after ${w.retrySeconds} seconds`);
      }
    },

    /** Counts a wrong answer; says whether the person must now be alerted (once an hour). */
    async secondStepFailed(subjectId: string): Promise<{ failures: number; alert: boolean }> {
      const failures = await limiter.slide(L.secondStepFailures, subjectId, true);
      if (failures < L.secondStepFailures.points) return { failures, alert: false };
      await limiter.block(L.secondStepWait, subjectId, wait(failures, 5, 30, HOUR));
      const alerted = await limiter.hit(L.secondStepAlerted, subjectId);
      return { failures, alert: alerted.count === 1 };
    },
  };
}

export type Attempts = ReturnType<typeof createAttempts>;

/**
 * The clock seam: every business time (expiry, "since", lock-outs, schedules, alerts) is read
 * here, never from `Date.now()` directly, so a test can move time forward without waiting or
 * editing rows, and one place says what "now" means.
 *
 * Elapsed-time measurement (start-up timing, polling deadlines) uses `performance.now()`
 * instead: it must not jump when a test moves the clock.
 */

export interface TimeSource {
  /** Milliseconds since the epoch. */
  now(): number;
}

const system: TimeSource = { now: () => Date.now() };
let current: TimeSource = system;

export const clock = {
  /** Milliseconds since the epoch. */
  now: (): number => current.now(),
  /** The current instant as a Date. */
  date: (): Date => new Date(current.now()),
  /** Whole seconds since the epoch (JWT and OpenID Connect times). */
  epochSeconds: (): number => Math.floor(current.now() / 1000),
};

/**
 * Replace the time source (tests only: production never calls this). Returns the function
 * that puts the previous source back.
 */
export function useTimeSource(source: TimeSource): () => void {
  const previous = current;
  current = source;
  return () => {
    current = previous;
  };
}

/** A time source fixed at `start` that moves only when told: for tests. */
export function manualTime(start: number | Date): TimeSource & { advance(ms: number): void } {
  let at = typeof start === 'number' ? start : start.getTime();
  return {
    now: () => at,
    advance(ms: number) {
      at += ms;
    },
  };
}

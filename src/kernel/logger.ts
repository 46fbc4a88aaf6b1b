/**
 * The logger port: what a module may write to the operator's log. pino's Logger fits it;
 * the platform hands its own (with the redaction of kernel/log/redact.ts) to every module
 * that logs, so a failed checkpoint, a dropped LISTEN or an undelivered alert leaves a line.
 *
 * Rule: log codes, ids and counts, never values a person typed or a field of theirs (the
 * redaction is a second line of defence, not the first).
 */
export interface Logger {
  debug(detail: object, message: string): void;
  info(detail: object, message: string): void;
  warn(detail: object, message: string): void;
  error(detail: object, message: string): void;
}

/** A logger that drops everything: for unit tests and tools that print their own output. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

-- Attempt counters shared by every process (src/shared/limits.ts, ADR 0009): per-source
-- limits on sign-in attempts, per-number code budgets, per-account failure counts. The
-- layout is rate-limiter-flexible's PostgreSQL store (created here rather than by the
-- library at start). `key` is a keyed hash of the limit and what it counts (a source
-- address, a phone token, an account): no address or number is stored. `expire` is epoch
-- milliseconds; expired rows are swept by the platform's housekeeping.
CREATE TABLE rate_limit (
  key    varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);
CREATE INDEX rate_limit_expire_idx ON rate_limit (expire);

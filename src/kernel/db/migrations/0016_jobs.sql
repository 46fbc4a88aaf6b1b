-- The job runner's tables (src/modules/jobs, ADR 0012). Every node polls them and claims
-- work with FOR UPDATE SKIP LOCKED plus a lease, so each run happens on one node only.
-- Created here, by the owner, like every table: the application role only reads and
-- writes rows. Payloads and errors hold identifiers and codes, never personal data.

-- One row per recurring job: its schedule as registered in code, the run in progress
-- (lease) and the outcome of the last run, which `civitas jobs` lists.
CREATE TABLE job_schedule (
  name             text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$'),
  schedule         text NOT NULL,
  next_run_at      timestamptz NOT NULL,
  locked_by        text,
  locked_until     timestamptz,
  runs             bigint NOT NULL DEFAULT 0,
  failures         integer NOT NULL DEFAULT 0,
  last_started_at  timestamptz,
  last_finished_at timestamptz,
  last_outcome     text CHECK (last_outcome IN ('succeeded', 'failed')),
  last_error       text,
  CHECK ((locked_by IS NULL) = (locked_until IS NULL))
);

-- One-off jobs: enqueued with a due time and a payload. A job that succeeds is deleted; one
-- that fails is retried with back-off until max_attempts, then kept as 'failed' for
-- operators, and deleted 30 days after it failed.
CREATE TABLE job (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name         text NOT NULL CHECK (name ~ '^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$'),
  payload      jsonb NOT NULL DEFAULT '{}',
  dedupe_key   text,
  state        text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'failed')),
  run_at       timestamptz NOT NULL DEFAULT now(),
  attempts     integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL CHECK (max_attempts BETWEEN 1 AND 100),
  locked_by    text,
  locked_until timestamptz,
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  failed_at    timestamptz,
  CHECK ((state = 'running') = (locked_until IS NOT NULL)),
  CHECK ((state = 'failed') = (failed_at IS NOT NULL))
);
-- What a node claims: due pending jobs, and running ones whose node stopped renewing.
CREATE INDEX job_due_idx ON job (run_at) WHERE state = 'pending';
CREATE INDEX job_lease_idx ON job (locked_until) WHERE state = 'running';
CREATE INDEX job_failed_idx ON job (failed_at) WHERE state = 'failed';
-- At most one job waiting or running per (name, key): enqueueing it again does nothing.
CREATE UNIQUE INDEX job_dedupe_idx ON job (name, dedupe_key)
  WHERE dedupe_key IS NOT NULL AND state IN ('pending', 'running');

-- Citizen sessions: a signed-in person (a vault subject) in the portal. Accounts and the
-- ways of signing in (password, SMS code, passkeys, linked accounts) build on this.
-- `device` is a coarse label ("Chrome on Android") shown in the person's session list,
-- never the full user-agent string.
CREATE TABLE citizen_session (
  id         uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  token_hash bytea PRIMARY KEY,
  subject_id uuid NOT NULL,
  device     text NOT NULL DEFAULT 'unknown',
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX citizen_session_subject_idx ON citizen_session (subject_id);

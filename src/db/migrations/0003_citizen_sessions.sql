-- Citizen sessions: a signed-in person (a vault subject) in the portal. Accounts and the
-- ways of signing in (password, SMS code, passkeys, linked accounts) build on this.
CREATE TABLE citizen_session (
  token_hash bytea PRIMARY KEY,
  subject_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX citizen_session_subject_idx ON citizen_session (subject_id);

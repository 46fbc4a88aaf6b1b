-- Citizen accounts and one-time codes. The person's data (phone, name, ID number) lives in
-- the vault; an account holds only credentials, assurance level and lock-out state.
CREATE TABLE citizen_account (
  subject_id      uuid PRIMARY KEY,
  password_hash   text,
  assurance_level smallint NOT NULL DEFAULT 1 CHECK (assurance_level BETWEEN 1 AND 4),
  failed_logins   integer NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- A code sent by SMS. phone_token is the keyed blind index of the number; code_hash a
-- keyed hash of the code: neither can be turned back into the number or the code.
CREATE TABLE one_time_code (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  phone_token bytea NOT NULL,
  purpose     text NOT NULL CHECK (purpose IN ('register', 'login', 'reset')),
  code_hash   bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  attempts    integer NOT NULL DEFAULT 0,
  consumed_at timestamptz
);
CREATE INDEX one_time_code_phone_idx ON one_time_code (phone_token, purpose, created_at DESC);

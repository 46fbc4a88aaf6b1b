-- Account hardening (issue 10, items 13, 15, 16). Owned by the staff and identity modules.
--
-- Staff (P7.2.roles): every staff account has a second factor (TOTP), enrolled at first
-- sign-in; wrong passwords and codes slow the account down progressively (a delay, never a
-- lock an attacker could keep renewing). A staff session starts at a stage short of `full`
-- (password proved; code or enrolment still to come) and opens nothing until it is full.
ALTER TABLE staff_account ADD COLUMN failed_logins integer NOT NULL DEFAULT 0;
ALTER TABLE staff_account ADD COLUMN last_failed_at timestamptz;

-- TOTP (RFC 6238) of a staff member, sealed by the keyring like the citizens' (context
-- `staff-totp:<id>`); active once a first code confirms it; last_step refuses a replay.
CREATE TABLE staff_totp (
  staff_id      uuid PRIMARY KEY REFERENCES staff_account (id),
  key_id        text NOT NULL,
  secret_sealed bytea NOT NULL,
  confirmed_at  timestamptz,
  last_step     bigint,
  created_at    timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE staff_session ADD COLUMN stage text NOT NULL DEFAULT 'second-factor'
  CHECK (stage IN ('second-factor', 'enrol', 'full'));
ALTER TABLE staff_session ADD COLUMN attempts integer NOT NULL DEFAULT 0;
-- Idle timeout (30 min for staff): refreshed on use, written at most once a minute.
ALTER TABLE staff_session ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
-- Sessions opened with a password alone end now: their holders sign in again, with a code.
UPDATE staff_session SET revoked_at = now() WHERE revoked_at IS NULL;

-- Citizens: idle timeout (2 h), refreshed on use at most once a minute; proved_at is the
-- last time this session proved the person (sign-in, or the password or a code typed
-- again): removing a factor or regenerating recovery codes needs it within minutes.
ALTER TABLE citizen_session ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE citizen_session ADD COLUMN proved_at timestamptz NOT NULL DEFAULT now();
-- Wrong passwords or codes typed to prove the person again in this session: a few, then the
-- session ends (a stolen cookie is not a way to guess the password).
ALTER TABLE citizen_session ADD COLUMN proof_failures integer NOT NULL DEFAULT 0;

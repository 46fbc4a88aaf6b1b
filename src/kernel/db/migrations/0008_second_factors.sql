-- Account protection (P7.3, P4 risk checks on login): known devices, sign-in risk history,
-- second-step challenges, login alerts, TOTP, recovery codes and passkeys. Owned by the
-- identity module. No personal data in clear: devices and places are hashes, the TOTP
-- secret is encrypted, recovery codes are keyed hashes.

-- A browser that signed in to the account before. device_hash = SHA-256 of the account id
-- and the random device cookie, so one browser used for two accounts cannot be linked.
CREATE TABLE known_device (
  subject_id  uuid NOT NULL,
  device_hash bytea NOT NULL,
  label       text NOT NULL,
  first_seen  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subject_id, device_hash)
);

-- Recent successful sign-ins are the person's sessions; the risk check reads the newest
-- few per account. place_token is a keyed hash of the coarse place the person chose to
-- share for that sign-in (P2.2.1), never the place itself.
ALTER TABLE citizen_session ADD COLUMN place_token bytea;
CREATE INDEX citizen_session_recent_idx ON citizen_session (subject_id, created_at DESC);

-- A sign-in that must pass a second step before any session exists. Short-lived, capped
-- attempts, single use; only the hash of its token is stored.
CREATE TABLE sign_in_challenge (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash     bytea NOT NULL UNIQUE,
  subject_id     uuid NOT NULL,
  first_factor   text NOT NULL,
  device         text NOT NULL,
  device_hash    bytea,
  place_token    bytea,
  failed_before  integer NOT NULL DEFAULT 0,
  reasons        text[] NOT NULL,
  methods        text[] NOT NULL,
  sms_code_hash  bytea,
  sms_sent_at    timestamptz,
  sms_sends      integer NOT NULL DEFAULT 0,
  webauthn_challenge text,
  attempts       integer NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  completed_at   timestamptz
);
CREATE INDEX sign_in_challenge_subject_idx ON sign_in_challenge (subject_id);

-- A sign-in the person was told about (risky, or from a new device). Reasons are check
-- names (new-device, recent-failures, unusual-place, unusual-time), never places.
CREATE TABLE login_alert (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id   uuid NOT NULL,
  device       text NOT NULL,
  method       text NOT NULL,
  second_step  text,
  reasons      text[] NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
CREATE INDEX login_alert_subject_idx ON login_alert (subject_id, created_at DESC);

-- TOTP (RFC 6238). The secret is sealed (AES-256-GCM) by the keyring's active master key;
-- key_id names that key. last_step refuses a second use of the same 30-second step.
CREATE TABLE totp_factor (
  subject_id    uuid PRIMARY KEY,
  key_id        text NOT NULL,
  secret_sealed bytea NOT NULL,
  confirmed_at  timestamptz,
  last_step     bigint,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Recovery codes: keyed hashes, each usable once.
CREATE TABLE recovery_code (
  subject_id uuid NOT NULL,
  code_hash  bytea NOT NULL,
  used_at    timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subject_id, code_hash)
);

-- WebAuthn credentials (passkeys): public keys only.
CREATE TABLE passkey (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id    uuid NOT NULL,
  credential_id text NOT NULL UNIQUE,
  public_key    bytea NOT NULL,
  counter       bigint NOT NULL DEFAULT 0,
  transports    text[] NOT NULL DEFAULT '{}',
  label         text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz
);
CREATE INDEX passkey_subject_idx ON passkey (subject_id);

-- A WebAuthn ceremony outside a sign-in challenge: registering a passkey while signed in,
-- or a passwordless sign-in (no subject yet). Single use, five minutes.
CREATE TABLE passkey_ceremony (
  token_hash bytea PRIMARY KEY,
  subject_id uuid,
  kind       text NOT NULL CHECK (kind IN ('register', 'sign-in')),
  challenge  text NOT NULL,
  expires_at timestamptz NOT NULL
);

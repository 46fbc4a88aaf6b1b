-- Web push (module notify, ADR 0029): a browser the person opted in on, as the push service
-- gave it (an endpoint URL and the keys its payloads are encrypted to, RFC 8291). One per
-- browser and person: `device_hash` is the hash the session module keeps of the browser's
-- device cookie (SHA-256 of account and cookie, never the cookie). `session_id` is the
-- portal session that subscribed it or last confirmed it: ending that session (signing out,
-- "sign out" from another device, a password reset) removes the subscription with it.
-- Not a foreign key: sessions belong to another module, and the removal is its event,
-- told through the notify module's door. Forward-only: never edit this file after release.
CREATE TABLE push_subscription (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id      uuid NOT NULL,
  device_hash     bytea NOT NULL CHECK (octet_length(device_hash) = 32),
  session_id      uuid NOT NULL,
  -- The push service's URL for this browser (https; its path names the browser there).
  endpoint        text NOT NULL UNIQUE CHECK (endpoint LIKE 'https://%' OR endpoint LIKE 'http://%'),
  -- The browser's P-256 public key (65 bytes uncompressed) and its 16-byte auth secret.
  p256dh          bytea NOT NULL CHECK (octet_length(p256dh) = 65),
  auth            bytea NOT NULL CHECK (octet_length(auth) = 16),
  -- A coarse "browser · system" label (session module's deviceLabel), to tell them apart.
  label           text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 80),
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_success_at timestamptz,
  -- Failed sends in a row (reset by a success); the push service saying "gone" removes it.
  failures        integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
  UNIQUE (subject_id, device_hash)
);
-- Reachability (notify.reach.ts) and the channel read every subscription of a person.
CREATE INDEX push_subscription_subject_idx ON push_subscription (subject_id);
CREATE INDEX push_subscription_session_idx ON push_subscription (session_id);

-- E-mail addresses (module notify): the person's address as a destination for messages,
-- with its own lifecycle (pending until its code is typed back, verified, then replaced,
-- removed or cancelled). The address itself is never here: the verified one is the vault
-- field `email`, a pending one sits in the vault compartment `notify-email:<id>` (never
-- searchable, never released). The verification code is a keyed hash. Bounces are counted
-- per address: after too many hard bounces the address no longer reaches the person.
-- Forward-only: never edit this file after release.
CREATE TABLE notify_email (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id      uuid NOT NULL,
  state           text NOT NULL CHECK (state IN ('pending', 'verified', 'replaced', 'removed', 'cancelled')),
  code_hash       bytea,
  code_expires_at timestamptz,
  code_attempts   integer NOT NULL DEFAULT 0,
  codes_sent      integer NOT NULL DEFAULT 0,
  code_sent_at    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  verified_at     timestamptz,
  ended_at        timestamptz,
  bounces         integer NOT NULL DEFAULT 0,
  bounced_at      timestamptz,
  last_bounce_code integer
);
-- At most one address waiting for its code and one verified, per person.
CREATE UNIQUE INDEX notify_email_pending_idx ON notify_email (subject_id) WHERE state = 'pending';
CREATE UNIQUE INDEX notify_email_verified_idx ON notify_email (subject_id) WHERE state = 'verified';

CREATE TRIGGER notify_email_lifecycle BEFORE INSERT OR UPDATE OF state ON notify_email
  FOR EACH ROW EXECUTE FUNCTION civitas_lifecycle_guard('notify-email', '>pending', 'pending>verified', 'pending>cancelled', 'verified>replaced', 'verified>removed');

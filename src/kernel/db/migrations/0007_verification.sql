-- Real-name verification attempts (module verification) and the service-hall staff role.
-- An attempt holds no personal data: who (the vault subject), which level and method, its
-- state in the lifecycle of src/modules/verification/verification.states.ts, and codes.
CREATE TABLE verification_attempt (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id    uuid NOT NULL,
  level         smallint NOT NULL CHECK (level BETWEEN 2 AND 4),
  method        text NOT NULL CHECK (method IN ('population-registry', 'face-match', 'bank-card', 'service-hall')),
  state         text NOT NULL CHECK (state IN ('started', 'submitted', 'matched', 'mismatched', 'partner_error', 'expired')),
  -- Why it ended this way, as a code (registry-mismatch, liveness-failed, score-below-threshold, partner-unavailable).
  outcome       text,
  -- Staff member who recorded an in-person check, and the kind of document checked.
  staff_id      uuid,
  document_kind text,
  image_kept    boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX verification_attempt_subject_idx ON verification_attempt (subject_id, created_at DESC);

-- Staff at a service hall record in-person verifications (L4), and nothing else.
ALTER TABLE staff_account DROP CONSTRAINT staff_account_role_check;
ALTER TABLE staff_account ADD CONSTRAINT staff_account_role_check
  CHECK (role IN ('administrator', 'support', 'dpo', 'auditor', 'service_hall'));

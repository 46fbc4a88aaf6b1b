-- P6.2.hold legal holds, and what the retention purge needs (ADR 0040).
--
-- A hold keeps data that its retention or an erasure would otherwise remove, because the law,
-- a court order, an authority or a dispute requires it. It covers people (a person, or the
-- people of a case) or everyone, and every category or named ones. It ends when the DPO
-- releases it or at its end date; what it kept goes at the next purge.
CREATE TABLE legal_hold (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  state         text NOT NULL,
  scope         text NOT NULL CHECK (scope IN ('person', 'case', 'category')),
  -- NULL: every category of the people it covers. A category hold names at least one.
  categories    text[] CHECK (categories IS NULL OR cardinality(categories) > 0),
  -- P6.2 the exceptions the policy names: law, court orders, authorities, disputes.
  basis         text NOT NULL CHECK (basis IN ('law', 'court-order', 'authority', 'dispute')),
  reason        text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  authority     text NOT NULL CHECK (length(authority) BETWEEN 1 AND 200),
  document_ref  text NOT NULL CHECK (length(document_ref) BETWEEN 1 AND 200),
  case_ref      text CHECK (length(case_ref) <= 200),
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  -- One of the two at least: a hold nobody looks at again is not allowed.
  ends_at       timestamptz,
  review_at     timestamptz,
  ended_at      timestamptz,
  ended_by      text,
  end_note      text CHECK (length(end_note) <= 2000),
  CHECK (ends_at IS NOT NULL OR review_at IS NOT NULL),
  CHECK ((scope = 'category') <= (categories IS NOT NULL)),
  CHECK ((state = 'active') = (ended_at IS NULL))
);
CREATE INDEX legal_hold_active_idx ON legal_hold (created_at) WHERE state = 'active';

-- The people a hold covers (none for a category hold: it covers everyone).
CREATE TABLE legal_hold_subject (
  hold_id    uuid NOT NULL REFERENCES legal_hold (id),
  subject_id uuid NOT NULL,
  added_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (hold_id, subject_id)
);
CREATE INDEX legal_hold_subject_idx ON legal_hold_subject (subject_id);

-- P8.5.cancel what a hold kept from a closing account's erasure: finished once no hold covers it.
ALTER TABLE account_closure ADD COLUMN held_categories text[];
CREATE INDEX account_closure_held_idx ON account_closure (closed_at) WHERE held_categories IS NOT NULL;

-- P6.2.purge the purge finds what is past its time by these columns, not by a scan.
CREATE INDEX vault_access_occurred_idx ON vault_access (occurred_at);
CREATE INDEX notification_created_idx ON notification (created_at);
CREATE INDEX notify_outbox_created_idx ON notify_outbox (created_at);
CREATE INDEX login_alert_created_idx ON login_alert (created_at);
CREATE INDEX citizen_session_expires_idx ON citizen_session (expires_at);
CREATE INDEX vault_field_updated_idx ON vault_field (field, updated_at);

-- legal-hold
ALTER TABLE legal_hold ADD CONSTRAINT legal_hold_state_check CHECK (state IN ('active', 'released', 'ended'));
CREATE TRIGGER legal_hold_lifecycle BEFORE INSERT OR UPDATE OF state ON legal_hold
  FOR EACH ROW EXECUTE FUNCTION civitas_lifecycle_guard('legal-hold', '>active', 'active>released', 'active>ended');

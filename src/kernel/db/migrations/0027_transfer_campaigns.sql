-- Transfer campaigns (module transfer, ADR 0031; P5.3.2): before a merger, an acquisition,
-- a change of operator or another organisation taking over a service moves people's data,
-- every affected person is told, and the transfer is refused until the notice period has
-- passed since they were. Forward-only: never edit this file after release.

-- One planned bulk transfer: to whom, why, which data categories, whose data (a scope the
-- people are computed from when the notice goes out), the notice period, the planned date.
-- The states are the lifecycle table of src/modules/transfer/transfer.lifecycle.ts; the
-- timestamps say when each step happened.
CREATE TABLE transfer_campaign (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  recipient_name        text NOT NULL CHECK (length(recipient_name) BETWEEN 1 AND 120),
  recipient_credit_code text NOT NULL CHECK (recipient_credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
  reason                text NOT NULL CHECK (reason IN ('merger', 'acquisition', 'operator-change', 'other')),
  categories            text[] NOT NULL CHECK (cardinality(categories) > 0),
  scope                 text NOT NULL CHECK (scope IN ('all', 'service', 'explicit')),
  service_slug          text,
  notice_days           integer NOT NULL CHECK (notice_days BETWEEN 1 AND 365),
  planned_for           date NOT NULL,
  state                 text NOT NULL,
  drafted_by            text NOT NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  -- The people told (frozen when the notice went out; for `explicit`, when drafted).
  people                integer NOT NULL DEFAULT 0,
  notified_at           timestamptz,
  transferred_at        timestamptz,
  -- What the record of the transfer names (the handover agreement's reference).
  transfer_reference    text,
  cancelled_at          timestamptz,
  CHECK ((scope = 'service') = (service_slug IS NOT NULL)),
  CHECK ((state IN ('notified', 'transferable', 'transferred')) <= (notified_at IS NOT NULL)),
  CHECK ((state = 'transferred') = (transferred_at IS NOT NULL)),
  CHECK ((state = 'cancelled') = (cancelled_at IS NOT NULL))
);
CREATE INDEX transfer_campaign_list_idx ON transfer_campaign (created_at DESC, id);

-- The people a campaign concerns, frozen: exactly those told (the notice's key is
-- `transfer:<id>`), so the transfer covers no one who was not. An objection is recorded
-- here; the transfer leaves the objecting person out.
CREATE TABLE transfer_campaign_person (
  campaign_id uuid NOT NULL REFERENCES transfer_campaign (id),
  subject_id  uuid NOT NULL,
  added_at    timestamptz NOT NULL DEFAULT now(),
  objected_at timestamptz,
  PRIMARY KEY (campaign_id, subject_id)
);
CREATE INDEX transfer_campaign_person_subject_idx ON transfer_campaign_person (subject_id);

-- transfer-campaign
ALTER TABLE transfer_campaign ADD CONSTRAINT transfer_campaign_state_check CHECK (state IN ('drafted', 'notified', 'transferable', 'transferred', 'cancelled'));
CREATE TRIGGER transfer_campaign_lifecycle BEFORE INSERT OR UPDATE OF state ON transfer_campaign
  FOR EACH ROW EXECUTE FUNCTION civitas_lifecycle_guard('transfer-campaign', '>drafted', 'drafted>notified', 'notified>transferable', 'transferable>transferred', 'drafted>cancelled', 'notified>cancelled', 'transferable>cancelled');

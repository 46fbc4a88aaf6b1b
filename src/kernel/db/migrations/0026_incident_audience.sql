-- Who an incident affected (P7.2i, ADR 0030): the people whose data was accessed in a
-- window are found through the owners' doors (vault: the access log; audit: the chain),
-- counted, and frozen on the incident. Forward-only: never edit this file after release.

-- The vault's door walks people in id order and asks, for each, "an allowed access in the
-- window?": one descent of this index instead of reading every entry of the person from the
-- heap. Only allowed entries: a refused attempt exposed nothing. One more index entry per
-- access entry (about 40 bytes, placed by subject like vault_access_subject_idx).
CREATE INDEX IF NOT EXISTS vault_access_window_idx ON vault_access (subject_id, occurred_at) WHERE outcome = 'allowed';

-- The audit door reads the entries of a window: entries are appended in time order, so a
-- block-range index finds the window's blocks for a few pages of index in all and costs an
-- append almost nothing (a btree would be a second right-edge insert on the hottest table).
CREATE INDEX IF NOT EXISTS audit_entry_occurred_brin ON audit_entry USING brin (occurred_at) WITH (pages_per_range = 32);

-- The frozen set of an incident: written once when the officer freezes the scope, read in
-- batches by the fan-out. The incident record (module incident) references it by
-- incident_id; no foreign key here, as the record's table comes in its own migration.
CREATE TABLE incident_affected (
  incident_id uuid NOT NULL,
  subject_id  uuid NOT NULL,
  frozen_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (incident_id, subject_id)
);

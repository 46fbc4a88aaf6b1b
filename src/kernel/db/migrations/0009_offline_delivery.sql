-- P2.4 delivery by post: a contact person and address given for one application only.

-- Values that belong to one application live in the vault beside the person's own fields,
-- told apart by scope: '' for the person's own values, 'delivery:<id>' for one delivery.
-- The scope is also bound into the ciphertext's associated data, so a scoped value cannot
-- be moved into the person's own fields or into another application.
ALTER TABLE vault_field ADD COLUMN scope text NOT NULL DEFAULT '';
ALTER TABLE vault_field DROP CONSTRAINT vault_field_pkey;
ALTER TABLE vault_field ADD PRIMARY KEY (subject_id, field, scope);
-- Lookups find a person by their own values; an application's values are never searchable.
ALTER TABLE vault_field ADD CONSTRAINT vault_field_scoped_unsearchable
  CHECK (scope = '' OR (lookup_unique IS NULL AND lookup_shared IS NULL));

-- A service declares in its registration that it posts results (P2.3: nothing undeclared
-- is collected for it).
ALTER TABLE relying_party ADD COLUMN offline_delivery boolean NOT NULL DEFAULT false;

-- One delivery: which service of which department may read the contact, for which of its
-- applications, and until when it is kept. The contact itself is in vault_field.
CREATE TABLE delivery_request (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id      uuid NOT NULL REFERENCES vault_subject (id),
  client_id       text NOT NULL REFERENCES relying_party (client_id),
  application_ref text NOT NULL CHECK (application_ref ~ '^[A-Za-z0-9._-]{1,64}$'),
  given_at        timestamptz NOT NULL DEFAULT now(),
  released_at     timestamptz,
  closed_at       timestamptz,
  delete_after    timestamptz NOT NULL,
  erased_at       timestamptz,
  erased_by       text CHECK (erased_by IN ('retention', 'person')),
  CHECK ((erased_at IS NULL) = (erased_by IS NULL))
);
CREATE INDEX delivery_request_subject_idx ON delivery_request (subject_id, given_at DESC);
CREATE INDEX delivery_request_due_idx ON delivery_request (delete_after) WHERE erased_at IS NULL;

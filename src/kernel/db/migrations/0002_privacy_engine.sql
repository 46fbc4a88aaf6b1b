-- Privacy engine: the personal-data vault, its access log, consent records, partners.
-- Forward-only: never edit this file after release.

-- vault ----------------------------------------------------------------------
-- One row per data subject. wrapped_key is the subject's data key wrapped by a master
-- key; NULL after crypto-shredding, which makes every vault_field of theirs unreadable.
CREATE TABLE vault_subject (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind        text NOT NULL CHECK (kind IN ('person', 'organisation')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  key_id      text,
  wrapped_key bytea,
  shredded_at timestamptz,
  CHECK ((wrapped_key IS NULL) = (shredded_at IS NOT NULL))
);
CREATE INDEX vault_subject_key_idx ON vault_subject (key_id) WHERE wrapped_key IS NOT NULL;

-- Every personal-data value, encrypted under the subject's data key with
-- (table, field, subject) as associated data. Blind indexes are keyed HMACs.
CREATE TABLE vault_field (
  subject_id    uuid NOT NULL REFERENCES vault_subject (id),
  field         text NOT NULL,
  ciphertext    bytea NOT NULL,
  lookup_unique bytea,
  lookup_shared bytea,
  source        text NOT NULL CHECK (source IN ('user', 'derived', 'partner', 'staff')),
  collected_for text NOT NULL,
  collected_at  timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subject_id, field)
);
CREATE UNIQUE INDEX vault_field_lookup_unique_idx ON vault_field (field, lookup_unique) WHERE lookup_unique IS NOT NULL;
CREATE INDEX vault_field_lookup_shared_idx ON vault_field (field, lookup_shared) WHERE lookup_shared IS NOT NULL;

-- Every read, share, transfer and disclosure of a subject's data, for "who accessed my
-- data". visible_from in the future hides an entry under a legal restriction.
CREATE TABLE vault_access (
  id           bigserial PRIMARY KEY,
  subject_id   uuid NOT NULL REFERENCES vault_subject (id),
  occurred_at  timestamptz NOT NULL DEFAULT now(),
  operation    text NOT NULL CHECK (operation IN ('read', 'share', 'transfer', 'disclose')),
  actor_type   text NOT NULL,
  actor_id     text,
  actor_label  text NOT NULL,
  purpose      text NOT NULL,
  basis        text NOT NULL,
  basis_ref    jsonb NOT NULL DEFAULT '{}'::jsonb,
  fields       text[] NOT NULL,
  categories   text[] NOT NULL,
  visible_from timestamptz
);
CREATE INDEX vault_access_subject_idx ON vault_access (subject_id, id DESC);

-- consent --------------------------------------------------------------------
CREATE TABLE consent (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id     uuid NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('use', 'share', 'transfer', 'cross-border')),
  purpose        text NOT NULL,
  categories     text[] NOT NULL,
  sensitive      boolean NOT NULL,
  recipient_type text,
  recipient_id   text,
  policy_version text NOT NULL,
  channel        text NOT NULL,
  text_hash      bytea NOT NULL,
  given_at       timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz,
  withdrawn_at   timestamptz
);
CREATE INDEX consent_subject_idx ON consent (subject_id, given_at DESC);

-- sharing --------------------------------------------------------------------
CREATE TABLE partner (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug               text NOT NULL UNIQUE,
  name               jsonb NOT NULL,
  kind               text NOT NULL CHECK (kind IN ('supplier', 'service-provider', 'partner', 'affiliate')),
  agreement_ref      text NOT NULL,
  region             text NOT NULL,
  allowed_categories text[] NOT NULL,
  allowed_purposes   text[] NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now()
);

-- Notices owed to a person (e.g. P5.3.3: a disclosure under a legal order), delivered by
-- the notification module from deliver_after on (later, when a legal restriction ends).
CREATE TABLE notice (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id    uuid NOT NULL,
  kind          text NOT NULL,
  payload       jsonb NOT NULL,
  deliver_after timestamptz NOT NULL,
  delivered_at  timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notice_due_idx ON notice (deliver_after) WHERE delivered_at IS NULL;

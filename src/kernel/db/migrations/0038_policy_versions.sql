-- Versions of the privacy policy and their acceptance (issue 16 items 1–3, ADR 0046; P9).
-- Forward-only: never edit this file after release.
--
-- policy_version: the editorial record of one version of a document, around the published
-- texts in policy_document (which never change). A draft holds its texts here while the DPO
-- writes them; scheduling publishes them, with their effective date, into policy_document
-- and the draft texts are no longer used. `material` and what changed (sections, purposes)
-- decide the notice and the re-consent.
CREATE TABLE policy_version (
  document_id       text NOT NULL CHECK (document_id ~ '^[a-z][a-z0-9-]*$'),
  version           text NOT NULL CHECK (version ~ '^[0-9A-Za-z][0-9A-Za-z.-]*$'),
  state             text NOT NULL,
  material          boolean NOT NULL DEFAULT false,
  changed_sections  text[] NOT NULL DEFAULT '{}',
  changed_purposes  text[] NOT NULL DEFAULT '{}',
  -- A plain summary of what changed, per language ({"zh-CN": …, "en": …, "cs": …}).
  summary           jsonb NOT NULL DEFAULT '{}'::jsonb,
  draft_texts       jsonb NOT NULL DEFAULT '{}'::jsonb,
  effective_from    timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  created_by        text NOT NULL,
  scheduled_at      timestamptz,
  scheduled_by      text,
  PRIMARY KEY (document_id, version),
  CHECK ((state = 'scheduled') = (effective_from IS NOT NULL AND scheduled_at IS NOT NULL))
);
ALTER TABLE policy_version ADD CONSTRAINT policy_version_state_check
  CHECK (state IN ('draft', 'scheduled', 'discarded'));
CREATE TRIGGER policy_version_lifecycle BEFORE INSERT OR UPDATE OF state ON policy_version
  FOR EACH ROW EXECUTE FUNCTION civitas_lifecycle_guard('policy-version', '>draft', '>scheduled',
    'draft>scheduled', 'draft>discarded');
CREATE INDEX policy_version_material_idx ON policy_version (effective_from) WHERE state = 'scheduled' AND material;

-- A scheduled version's record never changes again: its texts are published.
CREATE FUNCTION policy_version_settled() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.state <> 'draft' THEN
    RAISE EXCEPTION 'policy version % of % is %: it no longer changes', OLD.version, OLD.document_id, OLD.state
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN coalesce(NEW, OLD);
END $$;
CREATE TRIGGER policy_version_settled BEFORE UPDATE OR DELETE ON policy_version
  FOR EACH ROW EXECUTE FUNCTION policy_version_settled();

-- That a person acknowledged a version of a document (P9.accept): once per person and version.
CREATE TABLE policy_acceptance (
  subject_id   uuid NOT NULL,
  document_id  text NOT NULL,
  version      text NOT NULL,
  accepted_at  timestamptz NOT NULL,
  -- registered: accepted by registering under it; acknowledged: read the change and said so.
  how          text NOT NULL CHECK (how IN ('registered', 'acknowledged')),
  PRIMARY KEY (subject_id, document_id, version)
);
CREATE INDEX policy_acceptance_latest_idx ON policy_acceptance (subject_id, document_id, accepted_at DESC);

-- P1.2 a department's own privacy terms, versioned like the platform's: each URL a relying
-- party declared, from when. A change after the first makes the consents given to that
-- service before it wait for the person's new answer (policy.versions.ts, ADR 0046).
CREATE TABLE relying_party_policy (
  client_id   text NOT NULL,
  policy_url  text NOT NULL,
  since       timestamptz NOT NULL,
  PRIMARY KEY (client_id, since)
);
INSERT INTO relying_party_policy (client_id, policy_url, since)
SELECT client_id, policy_url, created_at FROM relying_party;

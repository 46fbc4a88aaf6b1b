-- "Download my data" (module export, ADR 0036; P8.1.export): one prepared archive of
-- everything the subject-data contract lets a person see about themself, as a JSON document
-- and a readable HTML copy. Forward-only: never edit this file after release.

-- One archive a person asked for. The two copies are kept compressed and encrypted (AES-256-GCM
-- under a key of this archive alone, wrapped by the vault's keyring: `key_id`, `wrapped_key`),
-- and deleted when the link expires (`export.sweep`); the row stays, without them, as the
-- record that an archive was made. Progress is counted in sections of the archive.
CREATE TABLE export_job (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id     uuid NOT NULL,
  locale         text NOT NULL CHECK (locale IN ('zh-CN', 'en', 'cs')),
  state          text NOT NULL,
  sections_done  integer NOT NULL DEFAULT 0 CHECK (sections_done >= 0),
  sections_total integer NOT NULL DEFAULT 0 CHECK (sections_total >= 0),
  requested_at   timestamptz NOT NULL DEFAULT now(),
  ready_at       timestamptz,
  expires_at     timestamptz,
  ended_at       timestamptz,
  failure        text CHECK (failure IS NULL OR length(failure) <= 200),
  key_id         text,
  wrapped_key    bytea,
  json_archive   bytea,
  html_archive   bytea,
  json_bytes     integer,
  html_bytes     integer,
  downloads      integer NOT NULL DEFAULT 0,
  CHECK ((state = 'ready') = (json_archive IS NOT NULL AND html_archive IS NOT NULL)),
  CHECK (state <> 'ready' OR (expires_at IS NOT NULL AND key_id IS NOT NULL AND wrapped_key IS NOT NULL))
);
CREATE INDEX export_job_subject_idx ON export_job (subject_id, requested_at DESC);
-- At most one archive in preparation per person: asking again while one is on its way is that one.
CREATE UNIQUE INDEX export_job_live_idx ON export_job (subject_id) WHERE state IN ('requested', 'preparing');
CREATE INDEX export_job_expiry_idx ON export_job (expires_at) WHERE state = 'ready';

-- export_job
ALTER TABLE export_job ADD CONSTRAINT export_job_state_check CHECK (state IN ('requested', 'preparing', 'ready', 'expired', 'failed'));
CREATE TRIGGER export_job_lifecycle BEFORE INSERT OR UPDATE OF state ON export_job
  FOR EACH ROW EXECUTE FUNCTION civitas_lifecycle_guard('export-job', '>requested', 'requested>preparing', 'preparing>ready', 'requested>failed', 'preparing>failed', 'ready>expired');

-- A download of an archive is an access to the person's data by the person, recorded in the
-- access log they see at /me/access (P8.1.export): a new operation.
ALTER TABLE vault_access DROP CONSTRAINT vault_access_operation_check;
ALTER TABLE vault_access ADD CONSTRAINT vault_access_operation_check
  CHECK (operation IN ('read', 'share', 'transfer', 'disclose', 'export'));

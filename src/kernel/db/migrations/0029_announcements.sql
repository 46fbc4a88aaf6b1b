-- Platform-wide announcements (module announce, ADR 0032; P7.2i, P9): an incident, a policy
-- change or a service update shown on the home page and in every signed-in page's header
-- until the person dismisses it or it expires. Forward-only: never edit this file after release.

-- One announcement. `key` names it for its publisher (`incident:<id>`): publishing again
-- finds it instead of writing a second one. Its words are either a notify template with
-- its parameters (rendered in the reader's language when shown) or, for one written in the
-- console, a title and text per language. A drill is recorded and listed in the console,
-- never shown to citizens. Expiry is a time, not a state: past `expires_at` it is not shown,
-- whether or not any job ran.
CREATE TABLE announcement (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key          text NOT NULL UNIQUE CHECK (length(key) BETWEEN 1 AND 200),
  kind         text NOT NULL CHECK (kind IN ('incident', 'policy', 'service')),
  template     text,
  params       jsonb,
  texts        jsonb,
  starts_at    timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  drill        boolean NOT NULL DEFAULT false,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  state        text NOT NULL,
  withdrawn_at timestamptz,
  withdrawn_by text,
  CHECK ((template IS NULL) = (params IS NULL)),
  CHECK ((template IS NULL) <> (texts IS NULL)),
  CHECK (expires_at > starts_at),
  CHECK ((state = 'withdrawn') = (withdrawn_at IS NOT NULL))
);
CREATE INDEX announcement_shown_idx ON announcement (expires_at) WHERE withdrawn_at IS NULL AND NOT drill;
CREATE INDEX announcement_list_idx ON announcement (created_at DESC, id);

-- That a person dismissed an announcement: it no longer shows in their pages.
CREATE TABLE announcement_dismissal (
  subject_id      uuid NOT NULL,
  announcement_id uuid NOT NULL REFERENCES announcement (id),
  dismissed_at    timestamptz NOT NULL,
  PRIMARY KEY (subject_id, announcement_id)
);
CREATE INDEX announcement_dismissal_announcement_idx ON announcement_dismissal (announcement_id);

-- announcement
ALTER TABLE announcement ADD CONSTRAINT announcement_state_check CHECK (state IN ('published', 'withdrawn'));
CREATE TRIGGER announcement_lifecycle BEFORE INSERT OR UPDATE OF state ON announcement
  FOR EACH ROW EXECUTE FUNCTION civitas_lifecycle_guard('announcement', '>published', 'published>withdrawn');

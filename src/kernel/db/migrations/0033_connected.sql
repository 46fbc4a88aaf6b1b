-- Connected services and the activity history (modules connected and activity, ADR 0038;
-- issue 14 items 2 and 3). Connected services own no table: they are read from the
-- provider's grants, the consents and the access log. "This wasn't me" on an entry of the
-- activity history opens a case for support and makes the next sign-in ask for a new
-- password. Forward-only: never edit this file after release.

-- Set when the person said a sign-in or a security change was not them: no sign-in
-- completes until the password is reset with a code to the phone (which clears it).
ALTER TABLE citizen_account ADD COLUMN password_renewal_required_at timestamptz;

-- One "this wasn't me" report: the entry it is about (the audit entry's id and action,
-- codes only), what was done at once, and its handling by support. The states are the
-- lifecycle table of src/modules/activity/activity.lifecycle.ts.
CREATE TABLE suspicious_report (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id     uuid NOT NULL,
  entry_id       bigint NOT NULL,
  entry_action   text NOT NULL CHECK (length(entry_action) <= 80),
  entry_at       timestamptz NOT NULL,
  -- The language the person reported in: support answers in it.
  locale         text NOT NULL CHECK (locale IN ('zh-CN', 'en', 'cs')),
  state          text NOT NULL,
  reported_at    timestamptz NOT NULL DEFAULT now(),
  sessions_ended integer NOT NULL DEFAULT 0 CHECK (sessions_ended >= 0),
  closed_at      timestamptz,
  closed_by      text,
  close_note     text CHECK (length(close_note) <= 2000),
  CHECK ((state = 'closed') = (closed_at IS NOT NULL)),
  CHECK ((state = 'closed') <= (closed_by IS NOT NULL AND close_note IS NOT NULL))
);
-- The support desk: open cases, oldest first.
CREATE INDEX suspicious_report_open_idx ON suspicious_report (reported_at, id) WHERE state = 'open';
CREATE INDEX suspicious_report_subject_idx ON suspicious_report (subject_id, reported_at DESC);
-- One open case per entry: reporting it twice is the same case.
CREATE UNIQUE INDEX suspicious_report_entry_open_idx ON suspicious_report (subject_id, entry_id) WHERE state = 'open';

-- suspicious-report
ALTER TABLE suspicious_report ADD CONSTRAINT suspicious_report_state_check CHECK (state IN ('open', 'closed'));
CREATE TRIGGER suspicious_report_lifecycle BEFORE INSERT OR UPDATE OF state ON suspicious_report
  FOR EACH ROW EXECUTE FUNCTION civitas_lifecycle_guard('suspicious-report', '>open', 'open>closed');

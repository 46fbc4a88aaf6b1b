-- Rights requests (module rights, ADR 0037; P8.2–P8.4): a person asks for a copy, a
-- correction, a deletion, a restriction or objection, an explanation of a decision, or the
-- cancellation of their account; the DPO confirms who they are, works on it and decides
-- within a deadline counted in Chinese working days or calendar days. Forward-only: never
-- edit this file after release.

-- One request. The states are the lifecycle table of src/modules/rights/rights.lifecycle.ts;
-- the deadline is computed once, when it is received, and kept with how it was counted.
CREATE TABLE rights_request (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id            uuid NOT NULL,
  kind                  text NOT NULL CHECK (kind IN ('copy', 'correction', 'deletion', 'restriction', 'objection', 'explanation', 'cancellation')),
  -- Inventory categories the person says the request concerns (none: all of their data).
  categories            text[] NOT NULL DEFAULT '{}',
  details               text CHECK (length(details) <= 4000),
  channel               text NOT NULL CHECK (channel IN ('self-service', 'support')),
  -- The language the request was made in: every message about it is written in it.
  locale                text NOT NULL CHECK (locale IN ('zh-CN', 'en', 'cs')),
  recorded_by           text,
  ticket_ref            text CHECK (length(ticket_ref) <= 100),
  state                 text NOT NULL,
  submitted_at          timestamptz NOT NULL,
  due_at                timestamptz NOT NULL,
  deadline_days         integer NOT NULL CHECK (deadline_days BETWEEN 1 AND 365),
  deadline_unit         text NOT NULL CHECK (deadline_unit IN ('working', 'calendar')),
  -- Counted past the published holiday calendar (weekends only): may move when it is published.
  deadline_provisional  boolean NOT NULL DEFAULT false,
  identity_confirmed_at timestamptz,
  identity_method       text CHECK (identity_method IN ('step-up', 'service-hall', 'registry')),
  identity_by           text,
  decided_at            timestamptz,
  refusal_reason        text CHECK (refusal_reason IN ('exemption', 'identity-not-confirmed', 'not-held', 'unfounded', 'department')),
  exemption             text,
  decision_note         text CHECK (length(decision_note) <= 4000),
  decided_by            text,
  withdrawn_at          timestamptz,
  -- When it left the open states (decided or withdrawn): the retention counts from here.
  closed_at             timestamptz,
  reminded_at           timestamptz,
  escalated_at          timestamptz,
  CHECK ((channel = 'support') <= (recorded_by IS NOT NULL)),
  CHECK ((state IN ('identity-confirmed', 'in-progress', 'awaiting-person', 'fulfilled', 'partly-fulfilled')) <= (identity_confirmed_at IS NOT NULL)),
  CHECK ((identity_confirmed_at IS NULL) = (identity_method IS NULL)),
  CHECK ((state IN ('fulfilled', 'partly-fulfilled', 'refused')) = (decided_at IS NOT NULL)),
  CHECK ((state IN ('partly-fulfilled', 'refused')) <= (refusal_reason IS NOT NULL)),
  CHECK ((refusal_reason = 'exemption') IS NOT TRUE OR exemption IS NOT NULL),
  CHECK ((state = 'withdrawn') = (withdrawn_at IS NOT NULL)),
  CHECK ((state IN ('fulfilled', 'partly-fulfilled', 'refused', 'withdrawn')) = (closed_at IS NOT NULL))
);
CREATE INDEX rights_request_subject_idx ON rights_request (subject_id, submitted_at DESC);
-- The DPO's queue: open requests by due date.
CREATE INDEX rights_request_queue_idx ON rights_request (due_at, id)
  WHERE state IN ('submitted', 'identity-confirmed', 'in-progress', 'awaiting-person');

-- The history the person and the DPO read: each step, who took it, what they wrote.
CREATE TABLE rights_request_event (
  id          bigserial PRIMARY KEY,
  request_id  uuid NOT NULL REFERENCES rights_request (id),
  subject_id  uuid NOT NULL,
  at          timestamptz NOT NULL,
  event       text NOT NULL,
  actor_type  text NOT NULL CHECK (actor_type IN ('citizen', 'staff', 'platform')),
  actor_id    text,
  note        text CHECK (length(note) <= 4000)
);
CREATE INDEX rights_request_event_request_idx ON rights_request_event (request_id, id);
CREATE INDEX rights_request_event_subject_idx ON rights_request_event (subject_id);

-- rights-request
ALTER TABLE rights_request ADD CONSTRAINT rights_request_state_check CHECK (state IN ('submitted', 'identity-confirmed', 'in-progress', 'awaiting-person', 'fulfilled', 'partly-fulfilled', 'refused', 'withdrawn'));
CREATE TRIGGER rights_request_lifecycle BEFORE INSERT OR UPDATE OF state ON rights_request
  FOR EACH ROW EXECUTE FUNCTION civitas_lifecycle_guard('rights-request', '>submitted', '>identity-confirmed', 'submitted>identity-confirmed', 'identity-confirmed>in-progress', 'in-progress>awaiting-person', 'awaiting-person>in-progress', 'in-progress>fulfilled', 'in-progress>partly-fulfilled', 'submitted>refused', 'identity-confirmed>refused', 'in-progress>refused', 'awaiting-person>refused', 'submitted>withdrawn', 'identity-confirmed>withdrawn', 'in-progress>withdrawn', 'awaiting-person>withdrawn');

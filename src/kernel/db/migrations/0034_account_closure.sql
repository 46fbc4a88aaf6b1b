-- Account closure (module closure, ADR 0039; P8.5.cancel): a person closes their account
-- after seeing what happens; a cooling-off period lets them undo it; then every session
-- ends, every connected service is told (back-channel logout and a RISC `account-purged`
-- Security Event Token pushed to the endpoint it registered), and the person's data is
-- erased through every owner's declaration. Forward-only: never edit this file after release.

-- One closure. It outlives the erasure with identifiers and dates only: the proof that the
-- account was closed when the person asked, and by which channel.
CREATE TABLE account_closure (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id        uuid NOT NULL,
  state             text NOT NULL,
  channel           text NOT NULL CHECK (channel IN ('self-service', 'support')),
  -- Support records the request with its ticket after checking who the person is.
  recorded_by       text,
  ticket_ref        text CHECK (length(ticket_ref) <= 100),
  locale            text NOT NULL CHECK (locale IN ('zh-CN', 'en', 'cs')),
  requested_at      timestamptz NOT NULL,
  -- The end of the cooling-off period: never later than the deadline.
  closes_at         timestamptz NOT NULL,
  -- The legal deadline (15 working days by default, GB/T 35273-2020 §8.5), kept as computed.
  due_at            timestamptz NOT NULL,
  undone_at         timestamptz,
  closed_at         timestamptz,
  -- How many services were told, and how many rows the erasure removed or blanked.
  services_told     integer,
  rows_erased       integer,
  CHECK (closes_at <= due_at),
  CHECK ((channel = 'support') <= (recorded_by IS NOT NULL AND ticket_ref IS NOT NULL)),
  CHECK ((state = 'undone') = (undone_at IS NOT NULL)),
  CHECK ((state = 'closed') = (closed_at IS NOT NULL))
);
-- At most one closure waiting per person.
CREATE UNIQUE INDEX account_closure_waiting_idx ON account_closure (subject_id) WHERE state = 'cooling-off';
-- The closing job: closures whose cooling-off period has passed.
CREATE INDEX account_closure_due_idx ON account_closure (closes_at) WHERE state = 'cooling-off';

-- account-closure
ALTER TABLE account_closure ADD CONSTRAINT account_closure_state_check CHECK (state IN ('cooling-off', 'undone', 'closed'));
CREATE TRIGGER account_closure_lifecycle BEFORE INSERT OR UPDATE OF state ON account_closure
  FOR EACH ROW EXECUTE FUNCTION civitas_lifecycle_guard('account-closure', '>cooling-off', 'cooling-off>undone', 'cooling-off>closed');

-- The endpoint a service registered for Security Event Tokens pushed to it (RFC 8935).
ALTER TABLE relying_party ADD COLUMN risc_push_endpoint text;

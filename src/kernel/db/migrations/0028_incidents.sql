-- The incident record (module incident, ADR 0031; P7.2i.record, P7.2i.report): what
-- happened, its lifecycle, its severity class, the report clock, the report's submission,
-- the notice to the people it affected. Forward-only: never edit this file after release.

-- One security incident. The states are the lifecycle table of
-- src/modules/incident/incident.lifecycle.ts. The record holds what the officer writes about
-- the incident (no one person's data: the people are in incident_affected) and staff ids.
-- report_due_at is fixed at opening from the detection time and the operator type's hours,
-- so a later change of the configuration does not move a running clock.
CREATE TABLE incident (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title              text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  summary            text NOT NULL CHECK (length(summary) BETWEEN 1 AND 4000),
  detected_at        timestamptz NOT NULL,
  opened_at          timestamptz NOT NULL DEFAULT now(),
  opened_by          text NOT NULL,
  systems            text[] NOT NULL DEFAULT '{}',
  categories         text[] NOT NULL DEFAULT '{}',
  cause              text,
  harm               text,
  measures           text,
  advice             text,
  contact            text,
  operator_type      text NOT NULL CHECK (operator_type IN ('cii', 'state_organ', 'other')),
  state              text NOT NULL,
  severity           text CHECK (severity IN ('I', 'II', 'III', 'IV')),
  suggested_severity text CHECK (suggested_severity IN ('I', 'II', 'III', 'IV')),
  -- The frozen scope and how many people it selected (set once, with incident_affected).
  scope              jsonb,
  affected_count     integer CHECK (affected_count >= 0),
  drill              boolean NOT NULL DEFAULT false,
  report_due_at      timestamptz NOT NULL,
  reported_at        timestamptz,
  notice_key         text UNIQUE,
  CHECK ((scope IS NULL) = (affected_count IS NULL)),
  CHECK ((state IN ('reported', 'people_told', 'closed')) <= (reported_at IS NOT NULL)),
  CHECK ((state = 'people_told') <= (notice_key IS NOT NULL))
);
CREATE INDEX incident_list_idx ON incident (opened_at DESC, id);
-- The clock job looks only at incidents not yet reported.
CREATE INDEX incident_unreported_idx ON incident (report_due_at) WHERE reported_at IS NULL;

-- Every step of an incident, with its author (a staff id; NULL: the platform's clock job).
-- Append-only: the timeline is the incident's history, as the audit chain is the platform's.
CREATE TABLE incident_timeline (
  incident_id uuid NOT NULL REFERENCES incident (id),
  seq         bigserial,
  at          timestamptz NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('opened', 'state', 'severity', 'updated', 'scoped', 'reported', 'sent',
                                            'reminded', 'escalated', 'reopened')),
  state       text,
  author_id   text,
  note        text CHECK (length(note) <= 4000),
  PRIMARY KEY (incident_id, seq)
);
-- The clock job writes each of these once per incident; a second pass finds it.
CREATE UNIQUE INDEX incident_timeline_clock_once ON incident_timeline (incident_id, kind)
  WHERE kind IN ('reminded', 'escalated');

-- The report's submission to the cyberspace authority: how, the receipt, who, when. A
-- reopened incident may be reported again (a follow-up report), hence a table.
CREATE TABLE incident_report (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id  uuid NOT NULL REFERENCES incident (id),
  channel      text NOT NULL CHECK (length(channel) BETWEEN 1 AND 100),
  reference    text CHECK (length(reference) <= 200),
  submitted_by text NOT NULL,
  submitted_at timestamptz NOT NULL
);
CREATE INDEX incident_report_incident_idx ON incident_report (incident_id, submitted_at);

-- The frozen sets of migration 0026 now belong to a record. No incident record existed
-- before this migration, so any row here is from a test of the audience alone: rows without
-- a record are removed rather than left to fail the constraint (none exist in production).
DELETE FROM incident_affected a WHERE NOT EXISTS (SELECT 1 FROM incident i WHERE i.id = a.incident_id);
ALTER TABLE incident_affected ADD CONSTRAINT incident_affected_incident_fkey
  FOREIGN KEY (incident_id) REFERENCES incident (id);

-- The security officer runs incidents (P7.2i; least privilege: no personal-data purpose).
ALTER TABLE staff_account DROP CONSTRAINT staff_account_role_check;
ALTER TABLE staff_account ADD CONSTRAINT staff_account_role_check
  CHECK (role IN ('administrator', 'support', 'dpo', 'auditor', 'service_hall', 'security_officer'));

-- security-incident
ALTER TABLE incident ADD CONSTRAINT incident_state_check CHECK (state IN ('detected', 'assessed', 'contained', 'reported', 'people_told', 'closed'));
CREATE TRIGGER incident_lifecycle BEFORE INSERT OR UPDATE OF state ON incident
  FOR EACH ROW EXECUTE FUNCTION civitas_lifecycle_guard('security-incident', '>detected', 'detected>assessed', 'assessed>contained', 'detected>reported', 'assessed>reported', 'contained>reported', 'reported>people_told', 'reported>closed', 'people_told>closed', 'closed>assessed');

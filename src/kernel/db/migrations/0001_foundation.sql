-- Foundation: tamper-evident audit chain, staff accounts, service catalogue.
-- Forward-only: never edit this file after release; add 0002_… instead.

-- Audit chain ---------------------------------------------------------------
-- The log is split into lanes, each its own hash chain, so concurrent transactions
-- append to different chains instead of queueing on one head row (ADR 0002).

-- One UPDATE per append: leave room on the page for HOT updates and vacuum it eagerly,
-- or the 16-row table bloats and every append pays for it (bench/audit-append).
CREATE TABLE audit_lane (
  lane smallint PRIMARY KEY,
  seq  bigint NOT NULL DEFAULT 0,
  head bytea  NOT NULL
) WITH (fillfactor = 10, autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_scale_factor = 0);

INSERT INTO audit_lane (lane, head)
SELECT l, decode(repeat('00', 32), 'hex') FROM generate_series(0, 15) AS l;

CREATE TABLE audit_entry (
  id           bigserial PRIMARY KEY,
  lane         smallint    NOT NULL,
  seq          bigint      NOT NULL,
  occurred_at  timestamptz NOT NULL,
  actor_type   text        NOT NULL,
  actor_id     text,
  action       text        NOT NULL,
  subject_type text,
  subject_id   text,
  purpose      text,
  legal_basis  text,
  clause       text,
  detail       jsonb       NOT NULL DEFAULT '{}'::jsonb,
  request_id   text,
  content_hash bytea       NOT NULL,
  hash         bytea       NOT NULL,
  UNIQUE (lane, seq)
);

CREATE INDEX audit_entry_subject_idx ON audit_entry (subject_type, subject_id, id);

CREATE TABLE audit_checkpoint (
  id         bigserial PRIMARY KEY,
  created_at timestamptz NOT NULL,
  heads      jsonb NOT NULL,
  prev_sig   bytea,
  key_id     text  NOT NULL,
  signature  bytea NOT NULL
);

CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit records are append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- Appends one entry in one round trip. A transaction's first append takes the first lane
-- no other transaction holds (SKIP LOCKED; only when all are busy does it wait, on a lane
-- picked by backend pid) and remembers it in a transaction-local setting, so its later
-- appends stay on that lane instead of locking more.
-- hash = sha256(prev_head || int2 lane || int8 seq || content_hash), big-endian.
CREATE FUNCTION audit_append(
  p_occurred_at timestamptz, p_actor_type text, p_actor_id text, p_action text,
  p_subject_type text, p_subject_id text, p_purpose text, p_legal_basis text,
  p_clause text, p_detail jsonb, p_request_id text, p_content_hash bytea
) RETURNS TABLE (entry_id bigint, entry_lane smallint, entry_seq bigint)
LANGUAGE plpgsql AS $$
DECLARE
  l smallint;
  s bigint;
  h bytea;
BEGIN
  l := nullif(current_setting('civitas.audit_lane', true), '')::smallint;
  IF l IS NOT NULL THEN
    SELECT a.seq, a.head INTO s, h FROM audit_lane a WHERE a.lane = l FOR UPDATE;
  ELSE
    SELECT a.lane, a.seq, a.head INTO l, s, h
      FROM audit_lane a ORDER BY a.lane LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
      SELECT a.lane, a.seq, a.head INTO l, s, h
        FROM audit_lane a
       WHERE a.lane = pg_backend_pid() % (SELECT count(*) FROM audit_lane)
         FOR UPDATE;
    END IF;
    PERFORM set_config('civitas.audit_lane', l::text, true);
  END IF;
  s := s + 1;
  h := sha256(h || int2send(l) || int8send(s) || p_content_hash);
  INSERT INTO audit_entry (lane, seq, occurred_at, actor_type, actor_id, action, subject_type,
                           subject_id, purpose, legal_basis, clause, detail, request_id,
                           content_hash, hash)
  VALUES (l, s, p_occurred_at, p_actor_type, p_actor_id, p_action, p_subject_type,
          p_subject_id, p_purpose, p_legal_basis, p_clause, p_detail, p_request_id,
          p_content_hash, h)
  RETURNING id INTO entry_id;
  UPDATE audit_lane SET seq = s, head = h WHERE lane = l;
  entry_lane := l;
  entry_seq := s;
  RETURN NEXT;
END $$;

-- Staff ----------------------------------------------------------------------
-- Staff accounts are separate from citizen accounts: different table, cookie and login.

CREATE TABLE staff_account (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL,
  display_name  text NOT NULL,
  role          text NOT NULL CHECK (role IN ('administrator', 'support', 'dpo', 'auditor')),
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  disabled_at   timestamptz
);
CREATE UNIQUE INDEX staff_account_email_key ON staff_account (lower(email));

CREATE TABLE staff_session (
  token_hash   bytea PRIMARY KEY,
  staff_id     uuid NOT NULL REFERENCES staff_account (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz
);
CREATE INDEX staff_session_staff_idx ON staff_session (staff_id);

-- Service catalogue ------------------------------------------------------------

CREATE TABLE department (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug        text NOT NULL UNIQUE,
  name        jsonb NOT NULL,
  position    integer NOT NULL
);

CREATE TABLE service (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  department_id uuid NOT NULL REFERENCES department (id),
  slug          text NOT NULL UNIQUE,
  name          jsonb NOT NULL,
  summary       jsonb NOT NULL,
  position      integer NOT NULL
);
CREATE INDEX service_department_idx ON service (department_id, position);

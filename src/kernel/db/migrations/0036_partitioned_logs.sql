-- The two logs that grow forever, the access log (vault_access) and the audit chain
-- (audit_entry), become partitioned by month of occurred_at (UTC), so that the retention
-- purge drops a whole month instead of deleting its rows one by one (ADR 0044).
-- Forward-only: never edit this file after release.
--
-- Each log gets a DEFAULT partition as a safety net: a row whose month has no partition
-- (a clock far ahead, maintenance that did not run) is still written, never refused. The
-- purge deletes the access log's rows in it one by one; the audit chain's stay until an
-- operator moves them (docs/operations.md).
--
-- Month partitions are made ahead by civitas_partitions_ensure (the purge job and every
-- start), owned by the owner role and reached by the application only through the parent.

-- A partition's name is <table>_pYYYYMM; its range is that month in UTC.
CREATE FUNCTION civitas_month_start(p_month date) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$ SELECT (date_trunc('month', p_month)::timestamp AT TIME ZONE 'UTC') $$;

CREATE FUNCTION civitas_partitions_ensure(p_table text, p_from date, p_months integer)
RETURNS SETOF text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  m date := date_trunc('month', p_from)::date;
  name text;
  busy boolean;
BEGIN
  IF p_table NOT IN ('vault_access', 'audit_entry') THEN
    RAISE EXCEPTION 'civitas_partitions_ensure: % is not a partitioned log', p_table;
  END IF;
  IF p_months < 1 OR p_months > 240 THEN
    RAISE EXCEPTION 'civitas_partitions_ensure: % months is out of range (1..240)', p_months;
  END IF;
  FOR i IN 1 .. p_months LOOP
    name := p_table || '_p' || to_char(m, 'YYYYMM');
    IF to_regclass('public.' || name) IS NULL THEN
      -- A month the default partition already holds rows of stays there: creating its
      -- partition would fail, and moving audit entries is not the application's to do.
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM public.%I WHERE occurred_at >= $1 AND occurred_at < $2)',
                     p_table || '_default')
         INTO busy USING civitas_month_start(m), civitas_month_start((m + interval '1 month')::date);
      IF NOT busy THEN
        EXECUTE format('CREATE TABLE public.%I PARTITION OF public.%I FOR VALUES FROM (%L) TO (%L)',
                       name, p_table, civitas_month_start(m),
                       civitas_month_start((m + interval '1 month')::date));
        -- The calling role may read it directly (pg_dump reads each partition), never write it.
        IF session_user <> current_user THEN
          EXECUTE format('GRANT SELECT ON public.%I TO %I', name, session_user);
        END IF;
        RETURN NEXT name;
      END IF;
    END IF;
    m := (m + interval '1 month')::date;
  END LOOP;
END $$;

-- The month partitions of a log, oldest first, with their ranges (the default is not listed).
CREATE FUNCTION civitas_partitions(p_table text)
RETURNS TABLE (name text, range_from timestamptz, range_to timestamptz)
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
  SELECT c.relname::text,
         civitas_month_start(to_date(right(c.relname, 6), 'YYYYMM')),
         civitas_month_start((to_date(right(c.relname, 6), 'YYYYMM') + interval '1 month')::date)
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
   WHERE i.inhparent = to_regclass('public.' || p_table)
     AND c.relname ~ ('^' || p_table || '_p[0-9]{6}$')
   ORDER BY c.relname
$$;

-- Drops one month partition of a log, and returns how many rows it held. Refused for the
-- default partition, for a month that ended less than 180 days ago (the least a network log
-- is kept, Cybersecurity Law art. 21), and, for the audit chain, for a month no signed
-- archive record covers: the record is what lets the chain be verified without it.
CREATE FUNCTION civitas_partition_drop(p_table text, p_name text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  upper_bound timestamptz;
  n bigint;
BEGIN
  SELECT p.range_to INTO upper_bound FROM civitas_partitions(p_table) p WHERE p.name = p_name;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'civitas_partition_drop: % is not a month partition of %', p_name, p_table;
  END IF;
  IF upper_bound > now() - interval '180 days' THEN
    RAISE EXCEPTION 'civitas_partition_drop: % ends %, less than 180 days ago', p_name, upper_bound;
  END IF;
  IF p_table = 'audit_entry' AND NOT EXISTS (SELECT 1 FROM public.audit_archive a WHERE a.partition = p_name) THEN
    RAISE EXCEPTION 'civitas_partition_drop: no archive record covers %', p_name;
  END IF;
  EXECUTE format('SELECT count(*) FROM public.%I', p_name) INTO n;
  EXECUTE format('DROP TABLE public.%I', p_name);
  RETURN n;
END $$;

-- The access log -------------------------------------------------------------
ALTER TABLE vault_access RENAME TO vault_access_unpartitioned;
CREATE TABLE vault_access (LIKE vault_access_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
  PARTITION BY RANGE (occurred_at);
ALTER SEQUENCE vault_access_id_seq OWNED BY vault_access.id;
CREATE TABLE vault_access_default PARTITION OF vault_access DEFAULT;

-- The audit chain ------------------------------------------------------------
-- (lane, seq) is no longer a unique key (a partitioned table's unique keys must hold the
-- partition column); it never was the guard: the lane lock assigns seq, and verification
-- refuses a lane whose seq repeats or skips.
ALTER TABLE audit_entry RENAME TO audit_entry_unpartitioned;
CREATE TABLE audit_entry (LIKE audit_entry_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
  PARTITION BY RANGE (occurred_at);
ALTER SEQUENCE audit_entry_id_seq OWNED BY audit_entry.id;
CREATE TABLE audit_entry_default PARTITION OF audit_entry DEFAULT;

-- What a dropped month of the chain leaves behind: per lane, the last entry it held (seq,
-- chain hash, chain version), signed with the checkpoint key and chained to the record before.
-- Verification starts each lane there (audit.verify.ts); the dropped entries' content
-- stays provable from any copy (a backup) because the boundary hash commits to all of it.
CREATE TABLE audit_archive (
  id          bigserial PRIMARY KEY,
  created_at  timestamptz NOT NULL,
  partition   text        NOT NULL UNIQUE,
  range_from  timestamptz NOT NULL,
  range_to    timestamptz NOT NULL,
  entries     bigint      NOT NULL,
  boundary    jsonb       NOT NULL,
  prev_sig    bytea,
  key_id      text        NOT NULL,
  alg         text        NOT NULL CHECK (alg IN ('ed25519', 'sm2-sm3')),
  signature   bytea       NOT NULL
);
CREATE TRIGGER audit_archive_append_only BEFORE UPDATE OR DELETE ON audit_archive
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_archive_no_truncate BEFORE TRUNCATE ON audit_archive
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- Months from the oldest row (at most ten years back) to three months ahead, then the rows.
DO $$
DECLARE
  oldest date := greatest(
    least((SELECT min(occurred_at) FROM vault_access_unpartitioned),
          (SELECT min(occurred_at) FROM audit_entry_unpartitioned),
          now())::date,
    (now() - interval '10 years')::date);
  months integer := ((extract(year FROM age(date_trunc('month', now()), date_trunc('month', oldest))) * 12
                     + extract(month FROM age(date_trunc('month', now()), date_trunc('month', oldest))))::integer + 4);
BEGIN
  PERFORM civitas_partitions_ensure('vault_access', oldest, months);
  PERFORM civitas_partitions_ensure('audit_entry', oldest, months);
END $$;

INSERT INTO vault_access SELECT * FROM vault_access_unpartitioned;
INSERT INTO audit_entry SELECT * FROM audit_entry_unpartitioned;
DROP TABLE vault_access_unpartitioned;
DROP TABLE audit_entry_unpartitioned;

ALTER TABLE vault_access ADD PRIMARY KEY (id, occurred_at);
ALTER TABLE vault_access ADD CONSTRAINT vault_access_subject_id_fkey
  FOREIGN KEY (subject_id) REFERENCES vault_subject (id);
CREATE INDEX vault_access_subject_idx ON vault_access (subject_id, id DESC);
CREATE INDEX vault_access_window_idx ON vault_access (subject_id, occurred_at) WHERE outcome = 'allowed';
CREATE INDEX vault_access_occurred_idx ON vault_access (occurred_at);

ALTER TABLE audit_entry ADD PRIMARY KEY (id, occurred_at);
CREATE INDEX audit_entry_lane_seq_idx ON audit_entry (lane, seq);
CREATE INDEX audit_entry_subject_idx ON audit_entry (subject_type, subject_id, id);
CREATE INDEX audit_entry_occurred_brin ON audit_entry USING brin (occurred_at) WITH (pages_per_range = 32);
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

REVOKE EXECUTE ON FUNCTION civitas_partitions_ensure(text, date, integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION civitas_partition_drop(text, text) FROM PUBLIC;

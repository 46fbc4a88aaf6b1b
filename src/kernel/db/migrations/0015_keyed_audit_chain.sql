-- The audit chain is keyed (HMAC-SHA256 with a key derived from the audit signing key,
-- which never enters the database), so an entry deleted or altered after the newest
-- checkpoint cannot be re-chained with SQL's sha256 (ADR 0011).
-- Forward-only: never edit this file after release.

-- 1 = sha256 link (entries written before this migration), 2 = HMAC-SHA256 link.
-- Verification refuses a 1 after a 2 in a lane, and any 1 after a checkpoint that
-- declares chain 2, so the old formula cannot be used to forge new entries.
ALTER TABLE audit_entry ADD COLUMN chain smallint NOT NULL DEFAULT 1 CHECK (chain IN (1, 2));
ALTER TABLE audit_checkpoint ADD COLUMN chain smallint NOT NULL DEFAULT 1 CHECK (chain IN (1, 2));

DROP FUNCTION audit_append(timestamptz, text, text, text, text, text, text, text, text, jsonb, text, bytea);

-- As 0001's audit_append, with the link keyed:
--   hash = HMAC-SHA256(K, prev_head || int2 lane || int8 seq || content_hash)
-- p_ipad and p_opad are K xor 0x36.. and K xor 0x5c.. (64 bytes each, RFC 2104), computed
-- by the caller; SQL has sha256 but no HMAC in core. They are parameters, never stored.
-- SECURITY DEFINER: the application role may not UPDATE audit_lane itself (it could
-- rewind a lane head); it may only call this function, which moves the head by one entry.
CREATE FUNCTION audit_append(
  p_occurred_at timestamptz, p_actor_type text, p_actor_id text, p_action text,
  p_subject_type text, p_subject_id text, p_purpose text, p_legal_basis text,
  p_clause text, p_detail jsonb, p_request_id text, p_content_hash bytea,
  p_ipad bytea, p_opad bytea
) RETURNS TABLE (entry_id bigint, entry_lane smallint, entry_seq bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  l smallint;
  s bigint;
  h bytea;
BEGIN
  IF length(p_ipad) <> 64 OR length(p_opad) <> 64 THEN
    RAISE EXCEPTION 'audit_append: the chain key pads must be 64 bytes';
  END IF;
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
  h := sha256(p_opad || sha256(p_ipad || h || int2send(l) || int8send(s) || p_content_hash));
  INSERT INTO audit_entry (lane, seq, occurred_at, actor_type, actor_id, action, subject_type,
                           subject_id, purpose, legal_basis, clause, detail, request_id,
                           content_hash, hash, chain)
  VALUES (l, s, p_occurred_at, p_actor_type, p_actor_id, p_action, p_subject_type,
          p_subject_id, p_purpose, p_legal_basis, p_clause, p_detail, p_request_id,
          p_content_hash, h, 2)
  RETURNING id INTO entry_id;
  UPDATE audit_lane SET seq = s, head = h WHERE lane = l;
  entry_lane := l;
  entry_seq := s;
  RETURN NEXT;
END $$;

-- Only roles granted it (the application role, see src/db/roles.ts) may append.
REVOKE EXECUTE ON FUNCTION audit_append(timestamptz, text, text, text, text, text, text, text, text, jsonb, text, bytea, bytea, bytea) FROM PUBLIC;

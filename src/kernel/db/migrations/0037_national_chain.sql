-- The national algorithm suite for the audit log (ADR 0043, GB/T 39786-2021):
-- chain 3 links entries with HMAC-SM3 (content hash SM3), and checkpoints record the
-- algorithm that signed them, so a log mixing chains 2 and 3, and checkpoints signed with
-- Ed25519 and SM2, verifies entry by entry and checkpoint by checkpoint.
-- Forward-only: never edit this file after release.

ALTER TABLE audit_entry DROP CONSTRAINT audit_entry_chain_check;
ALTER TABLE audit_entry ADD CONSTRAINT audit_entry_chain_check CHECK (chain IN (1, 2, 3));
ALTER TABLE audit_checkpoint DROP CONSTRAINT audit_checkpoint_chain_check;
ALTER TABLE audit_checkpoint ADD CONSTRAINT audit_checkpoint_chain_check CHECK (chain IN (1, 2, 3));

-- 'ed25519' (every checkpoint before this migration) or 'sm2-sm3' (GB/T 32918 with SM3 and
-- the signer's ZA). Together with key_id it names the key that verifies the checkpoint.
ALTER TABLE audit_checkpoint ADD COLUMN alg text NOT NULL DEFAULT 'ed25519'
  CHECK (alg IN ('ed25519', 'sm2-sm3'));

-- SQL has no SM3 in core (pgcrypto would need an extension and an OpenSSL built with SM3 on
-- every server), so chain 3 is linked by the application, in two steps on one transaction:
--   audit_lane_take()      locks a lane as audit_append does and returns its next seq and head;
--   audit_append_linked()  appends the entry whose hash the caller computed over that head,
--                          refusing it unless the lane is still at that seq and head.
-- The key never reaches the database, not even as HMAC pads. As with audit_append, a caller
-- can append only at the head of a lane, one entry at a time; an entry linked without the
-- key does not verify.
CREATE FUNCTION audit_lane_take() RETURNS TABLE (take_lane smallint, take_seq bigint, take_head bytea)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
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
  take_lane := l;
  take_seq := s + 1;
  take_head := h;
  RETURN NEXT;
END $$;

CREATE FUNCTION audit_append_linked(
  p_occurred_at timestamptz, p_actor_type text, p_actor_id text, p_action text,
  p_subject_type text, p_subject_id text, p_purpose text, p_legal_basis text,
  p_clause text, p_detail jsonb, p_request_id text, p_content_hash bytea,
  p_lane smallint, p_seq bigint, p_prev bytea, p_hash bytea, p_chain smallint
) RETURNS TABLE (entry_id bigint, entry_lane smallint, entry_seq bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  s bigint;
  h bytea;
BEGIN
  IF p_chain <> 3 THEN
    RAISE EXCEPTION 'audit_append_linked: only chain 3 is linked by the caller (chain 2 is linked by audit_append)';
  END IF;
  IF length(p_hash) <> 32 OR length(p_content_hash) <> 32 THEN
    RAISE EXCEPTION 'audit_append_linked: hashes must be 32 bytes';
  END IF;
  SELECT a.seq, a.head INTO s, h FROM audit_lane a WHERE a.lane = p_lane FOR UPDATE;
  IF NOT FOUND OR s + 1 <> p_seq OR h <> p_prev THEN
    RAISE EXCEPTION 'audit_append_linked: lane % is no longer at seq % (take the lane again)', p_lane, p_seq - 1;
  END IF;
  INSERT INTO audit_entry (lane, seq, occurred_at, actor_type, actor_id, action, subject_type,
                           subject_id, purpose, legal_basis, clause, detail, request_id,
                           content_hash, hash, chain)
  VALUES (p_lane, p_seq, p_occurred_at, p_actor_type, p_actor_id, p_action, p_subject_type,
          p_subject_id, p_purpose, p_legal_basis, p_clause, p_detail, p_request_id,
          p_content_hash, p_hash, p_chain)
  RETURNING id INTO entry_id;
  UPDATE audit_lane SET seq = p_seq, head = p_hash WHERE lane = p_lane;
  entry_lane := p_lane;
  entry_seq := p_seq;
  RETURN NEXT;
END $$;

REVOKE EXECUTE ON FUNCTION audit_lane_take() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION audit_append_linked(timestamptz, text, text, text, text, text, text, text, text, jsonb, text, bytea, smallint, bigint, bytea, bytea, smallint) FROM PUBLIC;

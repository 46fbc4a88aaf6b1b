-- Lifecycles as state tables (ADR 0015, src/kernel/lifecycle.ts). Each record with a
-- lifecycle gets a `state` column, backfilled from the timestamps that held it until now
-- (they stay: they say when), a CHECK on its states, and a trigger refusing any insert or
-- change of state that its module's transition table (`<module>.lifecycle.ts`) does not
-- list. The trigger's arguments are that table's `from>to` pairs (`>s`: a new row in s),
-- written out by `guardSql`; test/lifecycles.test.ts proves they still agree.
-- Forward-only: never edit this file after release.

-- One guard for every lifecycle: TG_ARGV[0] names it, the rest are the allowed pairs.
CREATE FUNCTION civitas_lifecycle_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  pair text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    pair := '>' || NEW.state;
  ELSIF OLD.state IS NOT DISTINCT FROM NEW.state THEN
    RETURN NEW;
  ELSE
    pair := OLD.state || '>' || NEW.state;
  END IF;
  IF pair = ANY (TG_ARGV[1:]) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'lifecycle %: % refused on %', TG_ARGV[0],
    CASE WHEN TG_OP = 'INSERT' THEN 'a new row in ' || NEW.state
         ELSE 'no transition from ' || OLD.state || ' to ' || NEW.state END,
    TG_TABLE_NAME
    USING ERRCODE = 'check_violation', CONSTRAINT = TG_TABLE_NAME || '_lifecycle';
END;
$$;

-- verification_attempt already has its state column and CHECK (0007).

-- consent: withdrawn once withdrawn_at is set.
ALTER TABLE consent ADD COLUMN state text NOT NULL DEFAULT 'given';
UPDATE consent SET state = 'withdrawn' WHERE withdrawn_at IS NOT NULL;
ALTER TABLE consent ADD CONSTRAINT consent_withdrawn_when
  CHECK ((state = 'withdrawn') = (withdrawn_at IS NOT NULL));

-- delivery_request: erased, else closed, else released, else given.
ALTER TABLE delivery_request ADD COLUMN state text NOT NULL DEFAULT 'given';
UPDATE delivery_request SET state = CASE WHEN erased_at IS NOT NULL THEN 'erased'
                                         WHEN closed_at IS NOT NULL THEN 'closed'
                                         WHEN released_at IS NOT NULL THEN 'released'
                                         ELSE 'given' END;
ALTER TABLE delivery_request ADD CONSTRAINT delivery_request_erased_when
  CHECK ((state = 'erased') = (erased_at IS NOT NULL));

-- company_agent: revoked_at marked both ends; one at or after valid_until was the end date.
ALTER TABLE company_agent ADD COLUMN state text NOT NULL DEFAULT 'granted';
UPDATE company_agent SET state = CASE WHEN revoked_at >= valid_until THEN 'expired' ELSE 'revoked' END
 WHERE revoked_at IS NOT NULL;
ALTER TABLE company_agent ADD CONSTRAINT company_agent_ended_when
  CHECK ((state = 'granted') = (revoked_at IS NULL));

-- sign_in_challenge: passed once completed, locked after the fifth wrong answer.
ALTER TABLE sign_in_challenge ADD COLUMN state text NOT NULL DEFAULT 'pending';
UPDATE sign_in_challenge SET state = CASE WHEN completed_at IS NOT NULL THEN 'passed' ELSE 'locked' END
 WHERE completed_at IS NOT NULL OR attempts >= 5;
ALTER TABLE sign_in_challenge ADD CONSTRAINT sign_in_challenge_passed_when
  CHECK ((state = 'passed') = (completed_at IS NOT NULL));

-- citizen_account: every account is active; closing and closed are new.
ALTER TABLE citizen_account ADD COLUMN state text NOT NULL DEFAULT 'active';

-- linked_flow: rows were deleted when used, so every row left is waiting for its callback.
ALTER TABLE linked_flow ADD COLUMN state text NOT NULL DEFAULT 'started';

-- The tables' states and transitions, as guardSql(lifecycle) writes them.
-- agent-authorisation
ALTER TABLE company_agent ADD CONSTRAINT company_agent_state_check CHECK (state IN ('granted', 'revoked', 'expired'));
CREATE TRIGGER company_agent_lifecycle BEFORE INSERT OR UPDATE OF state ON company_agent
  FOR EACH ROW EXECUTE FUNCTION civitas_lifecycle_guard('agent-authorisation', '>granted', 'granted>revoked', 'granted>expired');

-- citizen-account
ALTER TABLE citizen_account ADD CONSTRAINT citizen_account_state_check CHECK (state IN ('active', 'closing', 'closed'));
CREATE TRIGGER citizen_account_lifecycle BEFORE INSERT OR UPDATE OF state ON citizen_account
  FOR EACH ROW EXECUTE FUNCTION civitas_lifecycle_guard('citizen-account', '>active', 'active>closing', 'closing>active', 'closing>closed');

-- consent
ALTER TABLE consent ADD CONSTRAINT consent_state_check CHECK (state IN ('given', 'withdrawn'));
CREATE TRIGGER consent_lifecycle BEFORE INSERT OR UPDATE OF state ON consent
  FOR EACH ROW EXECUTE FUNCTION civitas_lifecycle_guard('consent', '>given', 'given>withdrawn');

-- delivery-request
ALTER TABLE delivery_request ADD CONSTRAINT delivery_request_state_check CHECK (state IN ('given', 'released', 'closed', 'erased'));
CREATE TRIGGER delivery_request_lifecycle BEFORE INSERT OR UPDATE OF state ON delivery_request
  FOR EACH ROW EXECUTE FUNCTION civitas_lifecycle_guard('delivery-request', '>given', 'given>released', 'given>closed', 'released>closed', 'given>erased', 'released>erased', 'closed>erased');

-- linked-account-flow
ALTER TABLE linked_flow ADD CONSTRAINT linked_flow_state_check CHECK (state IN ('started', 'used'));
CREATE TRIGGER linked_flow_lifecycle BEFORE INSERT OR UPDATE OF state ON linked_flow
  FOR EACH ROW EXECUTE FUNCTION civitas_lifecycle_guard('linked-account-flow', '>started', 'started>used');

-- sign-in-challenge
ALTER TABLE sign_in_challenge ADD CONSTRAINT sign_in_challenge_state_check CHECK (state IN ('pending', 'passed', 'locked'));
CREATE TRIGGER sign_in_challenge_lifecycle BEFORE INSERT OR UPDATE OF state ON sign_in_challenge
  FOR EACH ROW EXECUTE FUNCTION civitas_lifecycle_guard('sign-in-challenge', '>pending', 'pending>passed', 'pending>locked');

-- verification-attempt
CREATE TRIGGER verification_attempt_lifecycle BEFORE INSERT OR UPDATE OF state ON verification_attempt
  FOR EACH ROW EXECUTE FUNCTION civitas_lifecycle_guard('verification-attempt', '>started', 'started>submitted', 'submitted>matched', 'submitted>mismatched', 'submitted>partner_error', 'partner_error>submitted', 'started>expired', 'submitted>expired', 'partner_error>expired');


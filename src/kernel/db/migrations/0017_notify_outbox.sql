-- The notification outbox (module notify, ADR 0013). A message to a person is a row here,
-- written in the transaction of what it tells (a sign-in, a disclosure); a drain claims due
-- rows with FOR UPDATE SKIP LOCKED and sends them through their channel, so a request never
-- waits for a gateway and several nodes can drain at once without sending a message twice.
--
-- No destination and no personal data: the channel reads the phone number through the vault
-- when it sends (purpose from the template catalogue, notify.templates.ts). `params` holds
-- what the template's text says: a time in minutes, a coarse device kind, a change code, an
-- authority's name. `last_error` is a failure code (notify.states.ts), never a message text.
CREATE TABLE notify_outbox (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id      uuid NOT NULL,
  template        text NOT NULL,
  channel         text NOT NULL,
  locale          text NOT NULL CHECK (locale IN ('zh-CN', 'en', 'cs')),
  params          jsonb NOT NULL,
  -- The earliest moment it may go (a disclosure under a restriction: when it ends).
  due_at          timestamptz NOT NULL DEFAULT now(),
  state           text NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'sending', 'sent', 'retrying', 'failed')),
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- When a drain may next take it: due_at at first, the back-off after a failure, the end
  -- of the claimant's lease while sending (a crashed node's claim runs out).
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  sent_at         timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((state = 'sent') = (sent_at IS NOT NULL))
);
CREATE INDEX notify_outbox_due_idx ON notify_outbox (next_attempt_at)
  WHERE state IN ('pending', 'retrying', 'sending');
CREATE INDEX notify_outbox_subject_idx ON notify_outbox (subject_id, created_at DESC);

-- The notices owed for disclosures (P5.3.3), written by sharing and never sent until now,
-- move into the outbox as SMS notices, due when they were (deliver_after: the end of a
-- recorded restriction), so the person is finally told. What the text says moves with them
-- (when, and to whom); the order's reference, the authority and the fields stay where they
-- already are, in the access entry and the audit entry of the disclosure. A kind of notice
-- this migration does not know stops it, rather than being dropped.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM notice WHERE kind <> 'disclosure') THEN
    RAISE EXCEPTION 'notice rows of a kind other than disclosure: move them by hand first';
  END IF;
END $$;
INSERT INTO notify_outbox (id, subject_id, template, channel, locale, params, due_at,
                           state, next_attempt_at, sent_at, created_at)
SELECT id, subject_id, 'disclosure-notice', 'sms', 'zh-CN',
       jsonb_build_object(
         'time', to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'),
         'recipient', COALESCE(payload->>'recipient', payload->>'authority', '')),
       deliver_after,
       CASE WHEN delivered_at IS NULL THEN 'pending' ELSE 'sent' END,
       deliver_after, delivered_at, created_at
  FROM notice;
DROP TABLE notice;

-- Login alerts (module identity): each names its message, and whether it was delivered is
-- read from the outbox (the security page). Alerts from before the outbox get a message in
-- its final state (sent, or failed with `before-outbox`), so none is sent again, late.
ALTER TABLE login_alert ADD COLUMN message_id uuid;
UPDATE login_alert SET message_id = gen_random_uuid();
INSERT INTO notify_outbox (id, subject_id, template, channel, locale, params, due_at, state,
                           attempts, next_attempt_at, last_error, sent_at, created_at)
SELECT message_id, subject_id,
       CASE WHEN method = 'security-change' THEN 'security-change'
            WHEN 'second-step-failures' = ANY (reasons) THEN 'sign-in-attempts'
            ELSE 'login-alert' END,
       'sms', 'zh-CN',
       CASE WHEN method = 'security-change'
            THEN jsonb_build_object('time', to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'),
                                    'change', reasons[1])
            ELSE jsonb_build_object('time', to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'),
                                    'device', device) END,
       created_at,
       CASE WHEN delivered_at IS NULL THEN 'failed' ELSE 'sent' END,
       1, created_at,
       CASE WHEN delivered_at IS NULL THEN 'before-outbox' END,
       delivered_at, created_at
  FROM login_alert;
ALTER TABLE login_alert ALTER COLUMN message_id SET NOT NULL;
ALTER TABLE login_alert DROP COLUMN delivered_at;

-- The state table of notify.states.ts, enforced here too: a message is queued pending, and
-- changes state only along these transitions (sent and failed are final; a drain taking over
-- a claim whose lease ran out keeps it sending).
CREATE FUNCTION notify_outbox_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.state <> 'pending' THEN
      RAISE EXCEPTION 'notify_outbox: a message is queued pending, not %', NEW.state
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.state = OLD.state THEN
    RETURN NEW;
  END IF;
  IF NOT ((OLD.state, NEW.state) IN (
      ('pending', 'sending'), ('retrying', 'sending'),
      ('sending', 'sent'), ('sending', 'retrying'), ('sending', 'failed'))) THEN
    RAISE EXCEPTION 'notify_outbox: no transition from % to %', OLD.state, NEW.state
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER notify_outbox_transition BEFORE INSERT OR UPDATE ON notify_outbox
  FOR EACH ROW EXECUTE FUNCTION notify_outbox_transition();

-- Notifications (module notify, ADR 0026): a message to a person is a notification, which is
-- also their inbox entry, and one delivery per channel it goes by (a row of notify_outbox,
-- which keeps its lifecycle). Until now an outbox row was the message itself and went by
-- SMS only; the person could neither read their messages in the portal nor choose how to
-- hear. Forward-only: never edit this file after release.

-- A message to many people (an incident notice, a transfer notice, a policy change): its
-- template and the parameters everybody's copy shares, written once. `key` names it for the
-- module that sends it (`incident:<id>`), so sending it twice finds the first.
CREATE TABLE notify_notice (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key        text NOT NULL UNIQUE,
  template   text NOT NULL,
  params     jsonb NOT NULL,
  drill      boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One person's message: the inbox entry. `params` are this person's own (merged over the
-- notice's). No destination and no personal data, as in the outbox before. A person gets a
-- notice at most once (the unique key), however often it is sent.
CREATE TABLE notification (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id   uuid NOT NULL,
  notice_id    uuid REFERENCES notify_notice (id),
  template     text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('security', 'incident', 'legal', 'policy', 'service', 'survey')),
  params       jsonb NOT NULL DEFAULT '{}',
  locale       text NOT NULL CHECK (locale IN ('zh-CN', 'en', 'cs')),
  -- Not shown, and not sent, before this (a disclosure under a recorded restriction).
  visible_from timestamptz NOT NULL DEFAULT now(),
  read_at      timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (notice_id, subject_id)
);
CREATE INDEX notification_inbox_idx ON notification (subject_id, visible_from DESC, id);
CREATE INDEX notification_unread_idx ON notification (subject_id) WHERE read_at IS NULL;

-- Every message queued so far becomes a notification with the same id (login alerts and the
-- sharing module name their message by it), already read: the inbox starts with the
-- history, not with a pile of "new" alerts from before it existed.
INSERT INTO notification (id, subject_id, template, kind, params, locale, visible_from, read_at, created_at)
SELECT id, subject_id, template,
       CASE WHEN template = 'disclosure-notice' THEN 'legal' ELSE 'security' END,
       params, locale, due_at, CASE WHEN due_at <= now() THEN created_at END, created_at
  FROM notify_outbox;

-- A delivery names its notification; what it says is read from there.
ALTER TABLE notify_outbox ADD COLUMN notification_id uuid REFERENCES notification (id);
UPDATE notify_outbox SET notification_id = id;
ALTER TABLE notify_outbox ALTER COLUMN notification_id SET NOT NULL;
ALTER TABLE notify_outbox DROP COLUMN template, DROP COLUMN locale, DROP COLUMN params;
ALTER TABLE notify_outbox ADD CONSTRAINT notify_outbox_channel_check CHECK (channel IN ('sms', 'mail', 'push'));
ALTER TABLE notify_outbox ADD CONSTRAINT notify_outbox_once_per_channel UNIQUE (notification_id, channel);

-- The person's choices: which channels each kind of message goes by (none: the kind's
-- default). The language to write to them in when no request says it (a notice to many).
CREATE TABLE notify_preference (
  subject_id uuid NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('security', 'incident', 'legal', 'policy', 'service', 'survey')),
  channels   text[] NOT NULL CHECK (channels <@ ARRAY['sms', 'mail', 'push']),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subject_id, kind)
);
CREATE TABLE notify_person (
  subject_id uuid PRIMARY KEY,
  locale     text NOT NULL CHECK (locale IN ('zh-CN', 'en', 'cs')),
  updated_at timestamptz NOT NULL DEFAULT now()
);

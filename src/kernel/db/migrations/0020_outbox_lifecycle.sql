-- The outbox's state table moves onto the shared lifecycle guard (ADR 0015,
-- src/modules/notify/notify.lifecycle.ts): one trigger function for every lifecycle, its
-- transitions listed as the trigger's arguments (written out by `guardSql`), and
-- test/lifecycles.test.ts proving they equal the TypeScript table. Same transitions as the
-- trigger of 0017, which goes. The CHECK on the states (notify_outbox_state_check) stays.
-- Forward-only: never edit this file after release.
DROP TRIGGER notify_outbox_transition ON notify_outbox;
DROP FUNCTION notify_outbox_transition();
CREATE TRIGGER notify_outbox_lifecycle BEFORE INSERT OR UPDATE OF state ON notify_outbox
  FOR EACH ROW EXECUTE FUNCTION civitas_lifecycle_guard('notify-outbox', '>pending', 'pending>sending', 'retrying>sending', 'sending>sent', 'sending>retrying', 'sending>failed');

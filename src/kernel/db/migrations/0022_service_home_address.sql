-- Where a person starts a department's service from the portal's catalogue (issue 12 group 8):
-- the service's own home address, which opens its single sign-on. Registered by staff with
-- the rest of the relying party; optional (no address, no link). Only http(s) reaches a page.
ALTER TABLE relying_party ADD COLUMN home_uri text
  CHECK (home_uri IS NULL OR home_uri ~ '^https?://');

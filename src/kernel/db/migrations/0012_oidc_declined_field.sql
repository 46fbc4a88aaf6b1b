-- Single sign-on: the optional fields a person declined to share with a service on its
-- consent screen, so that the screen is not shown again for them at every sign-in. A field
-- declined here is asked again only when the service asks for consent explicitly
-- (prompt=consent) or after a year; giving consent for it later (any channel) wins.
CREATE TABLE oidc_declined_field (
  subject_id  uuid NOT NULL REFERENCES vault_subject (id),
  client_id   text NOT NULL,
  field       text NOT NULL,
  declined_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subject_id, client_id, field)
);

-- Single sign-on for a company: whom the person chose to act for when they authorised a
-- service (one row per grant; no row: the person themself). Read when claims are released,
-- where the company authorisation is checked again.
CREATE TABLE oidc_acting (
  grant_id   text PRIMARY KEY,
  subject_id uuid NOT NULL REFERENCES vault_subject (id),
  company_id uuid NOT NULL REFERENCES company (subject_id),
  chosen_at  timestamptz NOT NULL DEFAULT now()
);

-- Company (legal-person) accounts, their agents, the acting identity of a session, and
-- linked external accounts. A company is a vault subject of kind 'organisation'; its credit
-- code lives in the vault (company_registration). The name here is the registry's public
-- name, shown in headers and lists.
CREATE TABLE company (
  subject_id        uuid PRIMARY KEY REFERENCES vault_subject (id),
  name              text NOT NULL,
  registry_status   text NOT NULL CHECK (registry_status IN ('active', 'revoked')),
  -- The natural person the registry confirmed as legal representative.
  representative_id uuid NOT NULL REFERENCES vault_subject (id),
  bound_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX company_representative_idx ON company (representative_id);

-- An authorisation of a registered person to act for a company, within scopes, until a
-- date. Checked when used: an expired or revoked row grants nothing.
CREATE TABLE company_agent (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id    uuid NOT NULL REFERENCES company (subject_id),
  agent_id      uuid NOT NULL REFERENCES vault_subject (id),
  -- The agent's mobile number masked (138****5678), as the representative typed it: enough
  -- to tell agents apart on the company page without reading the agent's data.
  agent_label   text NOT NULL,
  scopes        text[] NOT NULL CHECK (cardinality(scopes) > 0),
  valid_until   timestamptz NOT NULL,
  granted_by    uuid NOT NULL,
  granted_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz
);
CREATE UNIQUE INDEX company_agent_live_idx ON company_agent (company_id, agent_id) WHERE revoked_at IS NULL;
CREATE INDEX company_agent_agent_idx ON company_agent (agent_id) WHERE revoked_at IS NULL;

-- Whom a signed-in session acts for: no row = the person themself.
CREATE TABLE company_acting (
  session_id  uuid PRIMARY KEY REFERENCES citizen_session (id) ON DELETE CASCADE,
  company_id  uuid NOT NULL REFERENCES company (subject_id),
  chosen_at   timestamptz NOT NULL DEFAULT now()
);

-- A link between an account and an upstream identity (P7.1). sub_hash is a keyed hash of
-- (provider, upstream subject): the upstream identifier itself is not stored. One
-- upstream identity links to at most one account; one account, one link per provider.
CREATE TABLE linked_account (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id  uuid NOT NULL REFERENCES vault_subject (id),
  provider    text NOT NULL,
  sub_hash    bytea NOT NULL,
  linked_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (provider, sub_hash),
  UNIQUE (subject_id, provider)
);

-- An authorisation request in flight: state (hashed), nonce and PKCE verifier, bound to
-- the browser by a cookie holding the state. Used once, within ten minutes.
CREATE TABLE linked_flow (
  state_hash  bytea PRIMARY KEY,
  provider    text NOT NULL,
  mode        text NOT NULL CHECK (mode IN ('link', 'login')),
  subject_id  uuid,
  nonce       text NOT NULL,
  verifier    text NOT NULL,
  next        text,
  expires_at  timestamptz NOT NULL
);

-- Single sign-on: the OpenID provider's storage, its signing keys, and the relying-party
-- registry (a department service registered to receive claims).

-- oidc-provider's models (sessions, interactions, codes, tokens, grants): one row per
-- model instance, its payload as the library gives it. Tokens are looked up by id (the
-- random value the client holds); grant_id lets a revoked grant take its tokens with it.
CREATE TABLE oidc_model (
  kind        text NOT NULL,
  id          text NOT NULL,
  payload     jsonb NOT NULL,
  grant_id    text,
  uid         text,
  user_code   text,
  expires_at  timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (kind, id)
);
CREATE INDEX oidc_model_grant_idx ON oidc_model (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX oidc_model_uid_idx ON oidc_model (uid) WHERE uid IS NOT NULL;
CREATE INDEX oidc_model_expiry_idx ON oidc_model (expires_at);

-- Token signing keys. The private key is sealed under a keyring master key (named in
-- master_key, AES-256-GCM); a key is
-- used for signing from activated_at, published from created_at, and stays published
-- until retired_at + the longest token lifetime so tokens it signed still verify.
CREATE TABLE oidc_signing_key (
  kid          text PRIMARY KEY,
  alg          text NOT NULL CHECK (alg IN ('ES256', 'RS256')),
  sealed_jwk   bytea NOT NULL,
  master_key   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  activated_at timestamptz NOT NULL DEFAULT now(),
  retired_at   timestamptz
);

-- A department service registered as an OpenID client (P1.2, P2.3); a service may have
-- several (web app, mobile app, back end).
-- fields: [{ "field": "name", "purpose": "service-provision", "retentionDays": 365,
--            "required": true }]; the person consents to exactly these.
CREATE TABLE relying_party (
  client_id                 text PRIMARY KEY,
  service_id                uuid NOT NULL REFERENCES service (id),
  sealed_secret             bytea,
  master_key                text,
  redirect_uris             text[] NOT NULL,
  post_logout_redirect_uris text[] NOT NULL DEFAULT '{}',
  frontchannel_logout_uri   text,
  backchannel_logout_uri    text,
  policy_url                text NOT NULL,
  dpa_reference             text NOT NULL,
  fields                    jsonb NOT NULL,
  assurance_level           smallint NOT NULL DEFAULT 1 CHECK (assurance_level BETWEEN 1 AND 4),
  grant_types               text[] NOT NULL DEFAULT '{authorization_code,refresh_token}',
  id_token_alg              text NOT NULL DEFAULT 'ES256' CHECK (id_token_alg IN ('ES256', 'RS256')),
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX relying_party_service_idx ON relying_party (service_id);

-- Sessions and assurance in single sign-on (issue 10, items 1-3).
--
-- How a portal sign-in was proved (RFC 8176 `amr` values: pwd, sms, otp, hwk, mfa), so the
-- ID token reports the real methods instead of always `pwd`. Sessions opened before this
-- migration report none.
ALTER TABLE citizen_session ADD COLUMN amr text[] NOT NULL DEFAULT '{}';

-- The provider sessions and grants of one person, found when their portal sessions end
-- (sign-out, password reset, a lowered assurance level). Partial: tokens, codes and
-- interactions, the bulk of the table, are not indexed by person.
CREATE INDEX oidc_model_account_idx ON oidc_model ((payload->>'accountId'))
  WHERE kind IN ('Session', 'Grant');

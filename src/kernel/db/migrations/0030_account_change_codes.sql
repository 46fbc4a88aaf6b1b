-- One-time codes for the person's own account changes (issue 14, ADR 0035; P8.1.correct,
-- P8.3): `reauth` proves a signed-in session again by a code to the verified phone,
-- `phone-new` proves the new number of a phone change, `phone-old` the number it replaces.
-- Forward-only: never edit this file after release.
ALTER TABLE one_time_code DROP CONSTRAINT one_time_code_purpose_check;
ALTER TABLE one_time_code ADD CONSTRAINT one_time_code_purpose_check
  CHECK (purpose IN ('register', 'login', 'reset', 'reauth', 'phone-new', 'phone-old'));

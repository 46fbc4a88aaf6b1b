-- The security pages (issue 12, group 7).
--
-- "Who accessed my data" shows refused attempts too (P5.3.3, P8.1): an entry is either
-- allowed or refused, and a refusal keeps the error code that refused it (a code, never
-- free text), so the page can say why in the person's language.
ALTER TABLE vault_access ADD COLUMN outcome text NOT NULL DEFAULT 'allowed'
  CHECK (outcome IN ('allowed', 'refused'));
ALTER TABLE vault_access ADD COLUMN refusal text
  CHECK ((outcome = 'refused') = (refusal IS NOT NULL));

-- A name the person gives a signed-in device, to tell two "Chrome · Linux" apart (P7.3).
-- Personal data (declared in session.data.ts); never copied into audit details.
ALTER TABLE citizen_session ADD COLUMN name text CHECK (char_length(name) BETWEEN 1 AND 40);

-- Policy documents (issue 11 item 8, ADR 0016): one store of versioned texts, the
-- platform's privacy policy and every consent text, so that the exact text behind any
-- consent can be produced later. Forward-only: never edit this file after release.
--
-- A row is a publication: document, version, language, form, the exact text, the SHA-256
-- of its UTF-8 bytes (checked here, not trusted from the caller) and the date it takes
-- effect. Published rows are never updated or removed (triggers below): a change is a new
-- version. `form` says how a text is shown:
--   text      shown as it stands (a consent's text hash is the document's own);
--   template  the wording of a screen, one `name: text` line per part, filled with a
--             particular service's details; each filled-in text shown is kept once, in
--             policy_rendering, under its hash.
CREATE TABLE policy_document (
  document_id    text NOT NULL CHECK (document_id ~ '^[a-z][a-z0-9-]*$'),
  version        text NOT NULL CHECK (version ~ '^[0-9A-Za-z][0-9A-Za-z.-]*$'),
  language       text NOT NULL CHECK (language IN ('zh-CN', 'en', 'cs')),
  form           text NOT NULL CHECK (form IN ('text', 'template')),
  body           text NOT NULL CHECK (body <> ''),
  text_hash      bytea NOT NULL,
  effective_from timestamptz NOT NULL,
  published_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (document_id, version, language),
  CONSTRAINT policy_document_hash_of_body CHECK (text_hash = sha256(convert_to(body, 'UTF8')))
);
CREATE INDEX policy_document_current_idx ON policy_document (document_id, language, effective_from DESC);

-- The exact texts shown from a template document (a consent screen filled in for one
-- service and the fields it asked for), kept once per distinct text.
CREATE TABLE policy_rendering (
  document_id text NOT NULL,
  version     text NOT NULL,
  language    text NOT NULL,
  text_hash   bytea NOT NULL,
  body        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (document_id, version, language, text_hash),
  FOREIGN KEY (document_id, version, language) REFERENCES policy_document (document_id, version, language),
  CONSTRAINT policy_rendering_hash_of_body CHECK (text_hash = sha256(convert_to(body, 'UTF8')))
);

CREATE FUNCTION policy_text_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a published policy text is never changed or removed (%): publish a new version', TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER policy_document_immutable BEFORE UPDATE OR DELETE ON policy_document
  FOR EACH ROW EXECUTE FUNCTION policy_text_immutable();
CREATE TRIGGER policy_document_no_truncate BEFORE TRUNCATE ON policy_document
  FOR EACH STATEMENT EXECUTE FUNCTION policy_text_immutable();
CREATE TRIGGER policy_rendering_immutable BEFORE UPDATE OR DELETE ON policy_rendering
  FOR EACH ROW EXECUTE FUNCTION policy_text_immutable();
CREATE TRIGGER policy_rendering_no_truncate BEFORE TRUNCATE ON policy_rendering
  FOR EACH STATEMENT EXECUTE FUNCTION policy_text_immutable();

-- The documents that exist today, taken word for word from the UI strings they replace
-- (src/web/i18n: `verify.face.keep`; `sso.consent.*`), unchanged since they were first
-- shown on 2026-11-24. The versions keep the labels the code recorded in
-- consent.policy_version ('1' for the face image, '2026-01' for the SSO screen).
INSERT INTO policy_document (document_id, version, language, form, body, text_hash, effective_from)
SELECT d.document_id, d.version, d.language, d.form, d.body, sha256(convert_to(d.body, 'UTF8')), d.effective_from
  FROM (VALUES
  ('face-image-consent', '1', 'zh-CN', 'text', $t$保留我的人脸图像，以便今后更快核验。这是对存储敏感个人信息的单独同意；我可以随时在“我的授权”中撤回。$t$, timestamptz '2026-11-24 00:00:00+00'),
  ('face-image-consent', '1', 'en', 'text', $t$Keep my face image to speed up future checks. This is separate consent to storing sensitive personal information; I can withdraw it at any time under “My consents”.$t$, timestamptz '2026-11-24 00:00:00+00'),
  ('face-image-consent', '1', 'cs', 'text', $t$Uchovat snímek mého obličeje pro rychlejší budoucí ověření. Jde o samostatný souhlas s uložením citlivého osobního údaje; mohu ho kdykoli odvolat v části „Moje souhlasy“.$t$, timestamptz '2026-11-24 00:00:00+00'),
  ('sso-consent-screen', '2026-01', 'zh-CN', 'template', $t$title: 是否同意向该服务提供您的信息？
intro: 需要使用您的以下信息。
department: 服务提供部门
field: 信息
purpose: 用途
kept-for: 该服务保存期限
days: 天
required: 办理该服务所必需
optional: 可选
policy: 该服务自己的隐私政策
dpa: 数据处理协议
sensitive: 我单独同意该服务获取上面标注的敏感个人信息。
withdraw: 您可以随时在“我的授权”中撤回本次同意。
allow: 同意并继续
deny: 不同意$t$, timestamptz '2026-11-24 00:00:00+00'),
  ('sso-consent-screen', '2026-01', 'en', 'template', $t$title: Share your data with this service?
intro: wants to use the following information about you.
department: Run by
field: Information
purpose: Used for
kept-for: Kept by the service for
days: days
required: needed for this service
optional: optional
policy: The service’s own privacy policy
dpa: Data-processing agreement
sensitive: I separately agree that this service receives my sensitive personal information marked above.
withdraw: You can withdraw this consent at any time under “My consents”.
allow: Allow and continue
deny: Do not allow$t$, timestamptz '2026-11-24 00:00:00+00'),
  ('sso-consent-screen', '2026-01', 'cs', 'template', $t$title: Sdílet vaše údaje s touto službou?
intro: chce použít tyto údaje o vás.
department: Provozuje
field: Údaj
purpose: Účel
kept-for: Služba uchovává
days: dní
required: pro tuto službu nezbytné
optional: nepovinné
policy: Zásady ochrany soukromí služby
dpa: Smlouva o zpracování
sensitive: Samostatně souhlasím, aby služba dostala výše označené citlivé osobní údaje.
withdraw: Souhlas můžete kdykoli odvolat v části „Moje souhlasy“.
allow: Povolit a pokračovat
deny: Nepovolit$t$, timestamptz '2026-11-24 00:00:00+00'),
  -- A placeholder, said to be one: a later issue writes the platform's privacy policy as version 1.
  ('privacy-policy', '0', 'zh-CN', 'text', $t$Civitas 隐私政策（占位文本，版本 0）
本平台的隐私政策尚未写成，将作为本文件的后续版本发布。在此之前，平台遵守的承诺逐条列于源代码的 policy/clauses.md；您给出的每一项同意都记录其自身的文本。$t$, timestamptz '2026-12-01 00:00:00+00'),
  ('privacy-policy', '0', 'en', 'text', $t$Civitas privacy policy (placeholder, version 0)
The platform's privacy policy has not been written yet; it will be published as a later version of this document. Until then, the commitments the platform keeps are listed clause by clause in policy/clauses.md in its source code, and every consent you give records its own text.$t$, timestamptz '2026-12-01 00:00:00+00'),
  ('privacy-policy', '0', 'cs', 'text', $t$Zásady ochrany osobních údajů Civitas (zástupný text, verze 0)
Zásady platformy zatím nejsou sepsány; vyjdou jako pozdější verze tohoto dokumentu. Do té doby jsou závazky platformy uvedeny bod po bodu v souboru policy/clauses.md v jejím zdrojovém kódu a každý souhlas, který udělíte, zaznamenává svůj vlastní text.$t$, timestamptz '2026-12-01 00:00:00+00')
  ) AS d(document_id, version, language, form, body, effective_from);

-- consent → the document it was given under -------------------------------------------
-- All three or none. Only consents given before this migration may have none, and only
-- when their text cannot be proved: the text behind their hash was never kept.
ALTER TABLE consent
  ADD COLUMN document_id       text,
  ADD COLUMN document_version  text,
  ADD COLUMN document_language text,
  ADD CONSTRAINT consent_document_fkey FOREIGN KEY (document_id, document_version, document_language)
    REFERENCES policy_document (document_id, version, language),
  ADD CONSTRAINT consent_document_whole CHECK (
    (document_id IS NULL) = (document_version IS NULL) AND (document_id IS NULL) = (document_language IS NULL));

-- Existing rows, mapped honestly: a consent is linked to a document only where its stored
-- hash is the hash of that document's exact text, i.e. the text is proved (face-image
-- consents given in one of the three languages). SSO consents hashed a text built from
-- the screen's strings and the service's details that was never kept: they stay unlinked,
-- and `consent.textShown` says their text was not kept.
UPDATE consent c
   SET document_id = d.document_id, document_version = d.version, document_language = d.language
  FROM policy_document d
 WHERE d.form = 'text' AND d.text_hash = c.text_hash AND c.document_id IS NULL;

-- From now on every consent names its document, and its hash is one the store can answer
-- with a text: the document's own (form text) or a kept rendering of it (form template).
-- The evidence of a consent is never changed afterwards.
CREATE FUNCTION consent_evidence_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF (NEW.document_id, NEW.document_version, NEW.document_language, NEW.text_hash, NEW.policy_version)
       IS DISTINCT FROM (OLD.document_id, OLD.document_version, OLD.document_language, OLD.text_hash, OLD.policy_version) THEN
      RAISE EXCEPTION 'the evidence of a consent (document, version, language, text hash) is never changed'
        USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.document_id IS NULL THEN
    RAISE EXCEPTION 'a consent names the policy document, version and language it was given under'
      USING ERRCODE = 'not_null_violation';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM policy_document d
                  WHERE d.document_id = NEW.document_id AND d.version = NEW.document_version
                    AND d.language = NEW.document_language AND d.form = 'text' AND d.text_hash = NEW.text_hash)
     AND NOT EXISTS (SELECT 1 FROM policy_rendering r
                  WHERE r.document_id = NEW.document_id AND r.version = NEW.document_version
                    AND r.language = NEW.document_language AND r.text_hash = NEW.text_hash) THEN
    RAISE EXCEPTION 'a consent''s text hash must be one of its document''s kept texts'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER consent_evidence BEFORE INSERT OR UPDATE ON consent
  FOR EACH ROW EXECUTE FUNCTION consent_evidence_check();

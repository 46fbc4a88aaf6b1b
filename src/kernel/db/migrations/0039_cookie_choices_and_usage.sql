-- Cookie choices and usage statistics (issue 16 items 4 and 6, ADR 0045).
-- Forward-only: never edit this file after release.
--
-- The texts a signed-in person consents to when they allow an optional cookie category:
-- one policy document per category, shown word for word on the banner and on /cookies,
-- and named (with its hash) by the consent that records the answer (P5.1.1, P3.2.optional).
INSERT INTO policy_document (document_id, version, language, form, body, text_hash, effective_from)
SELECT d.document_id, d.version, d.language, 'text', d.body, sha256(convert_to(d.body, 'UTF8')), d.effective_from
  FROM (VALUES
  ('cookie-analytics', '1', 'zh-CN', $t$统计分析 Cookie：用一个随机的匿名标识统计页面和服务的访问次数，帮助我们改进服务。不采集设备指纹，不保存 IP 地址，原始记录 90 天后删除。$t$, timestamptz '2026-01-01 00:00:00+00'),
  ('cookie-analytics', '1', 'en', $t$Analytics cookies: a random pseudonymous id counts visits to pages and services so we can improve them. No fingerprinting, no IP address kept; the raw records are deleted after 90 days.$t$, timestamptz '2026-01-01 00:00:00+00'),
  ('cookie-analytics', '1', 'cs', $t$Analytické cookies: náhodný pseudonymní identifikátor počítá návštěvy stránek a služeb, abychom je mohli zlepšovat. Žádný otisk zařízení, žádná uložená IP adresa; původní záznamy se po 90 dnech mažou.$t$, timestamptz '2026-01-01 00:00:00+00'),
  ('cookie-personalisation', '1', 'zh-CN', $t$个性化 Cookie：在未登录时记住您最近使用的服务，下次优先显示。$t$, timestamptz '2026-01-01 00:00:00+00'),
  ('cookie-personalisation', '1', 'en', $t$Personalisation cookies: remember the services you used recently while not signed in, and list them first next time.$t$, timestamptz '2026-01-01 00:00:00+00'),
  ('cookie-personalisation', '1', 'cs', $t$Cookies pro přizpůsobení: pamatují si služby, které jste nedávno použili bez přihlášení, a příště je ukážou jako první.$t$, timestamptz '2026-01-01 00:00:00+00')
  ) AS d (document_id, version, language, body, effective_from);

-- P4 "improving services", P3.4: one row per page or service use, recorded only with
-- analytics consent. Keyed by the analytics cookie's random id, and the person's id when
-- signed in; no IP address, no user agent, no query string (the route's pattern only).
CREATE TABLE usage_event (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  visitor_id  uuid NOT NULL,
  subject_id  uuid,
  kind        text NOT NULL CHECK (kind IN ('page', 'service')),
  name        text NOT NULL CHECK (name <> '' AND length(name) <= 200),
  occurred_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX usage_event_subject_idx ON usage_event (subject_id) WHERE subject_id IS NOT NULL;
CREATE INDEX usage_event_occurred_idx ON usage_event (occurred_at);

-- The daily aggregates the console shows: counts only, no id (the job usage.aggregate).
CREATE TABLE usage_daily (
  day         date NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('page', 'service')),
  name        text NOT NULL,
  events      integer NOT NULL CHECK (events >= 0),
  visitors    integer NOT NULL CHECK (visitors >= 0),
  signed_in   integer NOT NULL CHECK (signed_in >= 0),
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (day, kind, name)
);

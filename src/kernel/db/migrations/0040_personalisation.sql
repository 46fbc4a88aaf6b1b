-- Personalisation of the home page (issue 16 item 5, ADR 0047).
-- Forward-only: never edit this file after release.
--
-- P4 "personalise (location)": the service halls a person may be pointed to, a small
-- catalogue like the departments': names in the three languages, the city, and coordinates
-- rounded to whole degrees (about 100 km), which is all the nearest-hall suggestion uses.
CREATE TABLE service_hall (
  slug      text PRIMARY KEY CHECK (slug ~ '^[a-z0-9-]{1,60}$'),
  name      jsonb NOT NULL CHECK (name ?& ARRAY['zh-CN', 'en', 'cs']),
  city      text NOT NULL CHECK (city ~ '^[a-z0-9-]{1,60}$'),
  city_name jsonb NOT NULL CHECK (city_name ?& ARRAY['zh-CN', 'en', 'cs']),
  lat       smallint NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon       smallint NOT NULL CHECK (lon BETWEEN -180 AND 180)
);

INSERT INTO service_hall (slug, name, city, city_name, lat, lon) VALUES
  ('beijing-hall', '{"zh-CN":"北京市政务服务中心","en":"Beijing Government Service Centre","cs":"Centrum veřejných služeb Peking"}', 'beijing', '{"zh-CN":"北京","en":"Beijing","cs":"Peking"}', 40, 116),
  ('shanghai-hall', '{"zh-CN":"上海市民中心","en":"Shanghai Citizens'' Centre","cs":"Občanské centrum Šanghaj"}', 'shanghai', '{"zh-CN":"上海","en":"Shanghai","cs":"Šanghaj"}', 31, 121),
  ('guangzhou-hall', '{"zh-CN":"广州市政务服务中心","en":"Guangzhou Government Service Centre","cs":"Centrum veřejných služeb Kanton"}', 'guangzhou', '{"zh-CN":"广州","en":"Guangzhou","cs":"Kanton"}', 23, 113),
  ('shenzhen-hall', '{"zh-CN":"深圳市民中心","en":"Shenzhen Civic Centre","cs":"Občanské centrum Šen-čen"}', 'shenzhen', '{"zh-CN":"深圳","en":"Shenzhen","cs":"Šen-čen"}', 23, 114),
  ('chengdu-hall', '{"zh-CN":"成都市政务服务中心","en":"Chengdu Government Service Centre","cs":"Centrum veřejných služeb Chengdu"}', 'chengdu', '{"zh-CN":"成都","en":"Chengdu","cs":"Chengdu"}', 31, 104),
  ('wuhan-hall', '{"zh-CN":"武汉市民之家","en":"Wuhan Citizens'' Home","cs":"Dům občanů Wu-chan"}', 'wuhan', '{"zh-CN":"武汉","en":"Wuhan","cs":"Wu-chan"}', 31, 114),
  ('xian-hall', '{"zh-CN":"西安市政务服务中心","en":"Xi''an Government Service Centre","cs":"Centrum veřejných služeb Si-an"}', 'xian', '{"zh-CN":"西安","en":"Xi''an","cs":"Si-an"}', 34, 109),
  ('hangzhou-hall', '{"zh-CN":"杭州市民中心","en":"Hangzhou Citizens'' Centre","cs":"Občanské centrum Chang-čou"}', 'hangzhou', '{"zh-CN":"杭州","en":"Hangzhou","cs":"Chang-čou"}', 30, 120);

-- P3.2.optional P3.4 a signed-in person's recent and favourite services, recorded only with
-- personalisation consent (the cookie choice's personalisation category, their consent
-- record): the service's slug, whether it is a favourite, when last started or signed in to.
CREATE TABLE personal_service (
  subject_id   uuid NOT NULL,
  service_slug text NOT NULL CHECK (service_slug ~ '^[a-z0-9-]{1,80}$'),
  favourite    boolean NOT NULL DEFAULT false,
  last_used_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subject_id, service_slug)
);
CREATE INDEX personal_service_used_idx ON personal_service (last_used_at);

-- P2.2.1 the service hall a person chose, and how (a city they picked, or the nearest to a
-- rounded device location they shared once): the hall only, never the place given.
CREATE TABLE personal_hall (
  subject_id uuid PRIMARY KEY,
  hall_slug  text NOT NULL REFERENCES service_hall (slug),
  chosen_by  text NOT NULL CHECK (chosen_by IN ('city', 'location')),
  chosen_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX personal_hall_chosen_idx ON personal_hall (chosen_at);

-- The text a person consents to now says what is kept, and that a signed-in person's is kept
-- with their account (version 2; a consent names the version it was given on).
INSERT INTO policy_document (document_id, version, language, form, body, text_hash, effective_from)
SELECT d.document_id, '2', d.language, 'text', d.body, sha256(convert_to(d.body, 'UTF8')), timestamptz '2026-01-01 00:00:01+00'
  FROM (VALUES
  ('cookie-personalisation', 'zh-CN', $t$个性化 Cookie：记住您最近从首页办理或通过单点登录进入的服务、您收藏的服务，以及您选择的政务服务大厅，并在首页优先显示。未登录时保存在本浏览器的 Cookie 中；登录后随账号保存，可导出，撤回同意或注销账号时删除。$t$),
  ('cookie-personalisation', 'en', $t$Personalisation cookies: remember the services you recently started from the home page or signed in to, the services you mark as favourites, and the service hall you chose, and list them first on the home page. While you are not signed in they are kept in a cookie in this browser; signed in, with your account, in your data export, and deleted when you withdraw this consent or close the account.$t$),
  ('cookie-personalisation', 'cs', $t$Cookies pro přizpůsobení: pamatují si služby, které jste nedávno spustili z úvodní stránky nebo do nich vstoupili jednotným přihlášením, služby označené jako oblíbené a zvolenou úřadovnu, a ukážou je na úvodní stránce jako první. Bez přihlášení se drží v cookie v tomto prohlížeči; po přihlášení u vašeho účtu, jsou v exportu vašich údajů a smažou se, když souhlas odvoláte nebo účet zrušíte.$t$)
  ) AS d (document_id, language, body);

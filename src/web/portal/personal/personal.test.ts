/**
 * Invariant: personalisation exists only with personalisation consent (P3.2.optional): without
 * it nothing is recorded (no row, no cookie) and the home page is the same for everyone; with
 * it, recent and favourite services (favourites first) and the nearest service hall from a
 * city or a location rounded to whole degrees (P2.2.1, P4); what is kept is declared, exported,
 * purged and erased (P3.4), and withdrawing the consent deletes it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { registerCitizen } from '../../../../test/support/citizens.ts';
import { idNumberFor } from '../../../../test/support/citizen.ts';
import { formatChoice } from '../../http/cookie-choice.ts';
import { subjectData } from '../../../modules/inventory/index.ts';
import { nearestHall, roundPlace } from '../../../modules/personal/index.ts';

let p: TestPlatform;
const DAY = 86_400_000;
const choice = (personalisation: boolean) =>
  `civitas_cookie_choice=${formatChoice({ analytics: false, personalisation, at: Date.now() })}`;
const req = (path: string, cookie: string, body?: Record<string, string>) =>
  fetch(`${p.url}${path}`, {
    method: body ? 'POST' : 'GET',
    redirect: 'manual',
    headers: {
      cookie: cookie.includes('civitas_lang=') ? cookie : `civitas_lang=en; ${cookie}`,
      ...(body ? { 'content-type': 'application/x-www-form-urlencoded', origin: p.url } : {}),
    },
    ...(body ? { body: new URLSearchParams(body).toString() } : {}),
  });
const recentOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith('civitas_recent='))
    ?.split(';')[0];
const rows = async (subjectId: string) => ({
  services: (
    await p.storage.db.query<{ service_slug: string; favourite: boolean }>(
      `SELECT service_slug, favourite FROM personal_service WHERE subject_id = $1 ORDER BY service_slug`,
      [subjectId],
    )
  ).rows,
  hall: (await p.storage.db.query(`SELECT hall_slug FROM personal_hall WHERE subject_id = $1`, [subjectId]))
    .rows,
});
const SERVICE = 'transit-card';
/** The signed-in header differs per person: compare the rest of the page. */
const main = (html: string) => html.slice(html.indexOf('<main'));

describe('personalisation of the home page', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
  });
  after(() => p.stop());

  test('P3.2.optional without consent nothing is recorded, no cookie is set, and the page is the same for everyone', async () => {
    const a = await registerCitizen(p, '13700000301', idNumberFor(301));
    const b = await registerCitizen(p, '13700000302', idNumberFor(302));
    for (const c of [a, b]) {
      for (const jar of [c.cookie, `${c.cookie}; ${choice(false)}`]) {
        const start = await req(`/services/${SERVICE}/start`, jar);
        assert.equal(start.status, 303);
        assert.equal(recentOf(start), undefined);
        const fav = await req('/personal/favourite', jar, { service: SERVICE, on: '1' });
        assert.equal(recentOf(fav), undefined);
        await req('/personal/hall', jar, { city: 'beijing' });
      }
      assert.deepEqual(await rows(c.subjectId), { services: [], hall: [] });
    }
    const anonymous = await req(`/services/${SERVICE}/start`, choice(false));
    assert.equal(recentOf(anonymous), undefined);
    const [ha, hb] = await Promise.all([
      req('/', `${a.cookie}; ${choice(false)}`).then((r) => r.text()),
      req('/', `${b.cookie}; ${choice(false)}`).then((r) => r.text()),
    ]);
    assert.equal(main(ha), main(hb));
    assert.doesNotMatch(ha, /Your services|Your service hall|\/services\/[a-z-]+\/start/);
  });

  test('P4 P3.2.optional an anonymous visitor with consent: recent services and favourites in the recent cookie, favourites first', async () => {
    const start = await req(`/services/${SERVICE}/start`, choice(true));
    assert.equal(start.status, 303);
    assert.match(start.headers.get('location') ?? '', /^https?:\/\//);
    const recent = recentOf(start)!;
    assert.match(recent, /^civitas_recent=1\.transit-card\.\./);
    const fav = await req('/personal/favourite', `${choice(true)}; ${recent}`, {
      service: 'housing-fund-account',
      on: '1',
    });
    const both = recentOf(fav)!;
    const html = await (await req('/', `${choice(true)}; ${both}`)).text();
    const list = html.slice(html.indexOf('your-services-title'), html.indexOf('hall-title'));
    assert.ok(list.indexOf('housing-fund-account') < list.indexOf(SERVICE), 'favourites first');
    assert.match(html, new RegExp(`href="/services/${SERVICE}/start"`));
    // Refusing afterwards clears the cookie (the cookie choice clears refused categories).
    const refused = await req('/', `${choice(false)}; ${both}`);
    assert.ok(refused.headers.getSetCookie().some((c) => /^civitas_recent=;/.test(c)));
  });

  test('P2.2.1 the nearest hall from a city, or from a device location rounded to whole degrees; only the hall is kept', async () => {
    const c = await registerCitizen(p, '13700000303', idNumberFor(303));
    const jar = `${c.cookie}; ${choice(true)}`;
    // Shanghai, given with six decimals: rounded to 31,121 before anything is compared.
    assert.deepEqual(roundPlace(31.230416, 121.473701), { lat: 31, lon: 121 });
    const halls = { rows: await p.personal.halls() };
    assert.equal(nearestHall(halls.rows, { lat: 31.230416, lon: 121.473701 })?.hall.slug, 'shanghai-hall');
    assert.ok(
      halls.rows.every(
        (h: { lat: number; lon: number }) => Number.isInteger(h.lat) && Number.isInteger(h.lon),
      ),
    );

    const byGeo = await req('/personal/hall', jar, { city: '', place: 'geo:31.230416,121.473701' });
    assert.equal(byGeo.status, 303);
    const kept = await p.storage.db.query(`SELECT * FROM personal_hall WHERE subject_id = $1`, [c.subjectId]);
    assert.deepEqual(Object.keys(kept.rows[0] ?? {}).sort(), [
      'chosen_at',
      'chosen_by',
      'hall_slug',
      'subject_id',
    ]);
    assert.equal(kept.rows[0]?.hall_slug, 'shanghai-hall');
    assert.equal(kept.rows[0]?.chosen_by, 'location');
    const html = await (await req('/', jar)).text();
    assert.match(html, /data-hall="shanghai-hall"/);
    assert.match(html, /Shanghai Citizens&#39; Centre|Shanghai Citizens' Centre/);
    assert.doesNotMatch(html, /31\.23|121\.47/);

    await req('/personal/hall', jar, { city: 'chengdu' });
    assert.equal((await rows(c.subjectId)).hall[0]?.hall_slug, 'chengdu-hall');
    // Neither: the page again, the error tied to the city field, in the person's language.
    const none = await req('/personal/hall', jar, { city: '' });
    assert.equal(none.status, 400);
    assert.match(await none.text(), /<a href="#hall-city">Choose a city, or tick the box/);
    const bad = await req('/personal/hall', jar, { place: 'geo:31.2304169999,121.4' });
    assert.equal(bad.status, 303);
    const cs = await req('/personal/hall', `${jar}; civitas_lang=cs`, {
      city: 'nowhere',
    });
    assert.equal(cs.status, 400);
    assert.match(await cs.text(), /Vyberte město, nebo zaškrtněte/);
  });

  test('P3.4 a signed-in person’s services are declared, in their export, purged after a year, erased with the account', async () => {
    const t = subjectData
      .flatMap((o) => Object.entries(o.tables))
      .find(([n]) => n === 'personal_service')?.[1];
    assert.ok(t && 'columns' in t);
    assert.deepEqual(t.erase, { delete: 'rows' });
    assert.equal(t.columns.service_slug?.category, 'usage');

    const c = await registerCitizen(p, '13700000304', idNumberFor(304));
    const jar = `${c.cookie}; ${choice(true)}`;
    assert.equal(
      recentOf(await req(`/services/${SERVICE}/start`, jar)),
      undefined,
      'kept server-side, not in a cookie',
    );
    await req('/personal/favourite', jar, { service: 'housing-fund-account', on: '1' });
    await req('/personal/hall', jar, { city: 'beijing' });
    assert.deepEqual((await rows(c.subjectId)).services, [
      { service_slug: 'housing-fund-account', favourite: true },
      { service_slug: SERVICE, favourite: false },
    ]);

    const jobId = await p.exports.request(c.subjectId, 'en');
    await p.exports.prepare(jobId);
    const archive = (await p.exports.download(c.subjectId, jobId, 'json')).body.toString('utf8');
    assert.match(archive, /My recent and favourite services/);
    assert.match(archive, /The service hall I chose/);
    assert.match(archive, /beijing-hall/);

    await p.storage.db.query(
      `UPDATE personal_service SET last_used_at = now() - interval '366 days' WHERE subject_id = $1 AND service_slug = $2`,
      [c.subjectId, SERVICE],
    );
    await p.retention.run();
    assert.deepEqual(
      (await rows(c.subjectId)).services.map((r) => r.service_slug),
      ['housing-fund-account'],
    );

    await p.closure.request(c.subjectId, { locale: 'en' });
    await p.closure.runDue({ now: new Date(Date.now() + 30 * DAY) });
    assert.deepEqual(await rows(c.subjectId), { services: [], hall: [] });
  });

  test('P3.2.optional P8.5 withdrawing personalisation consent stops recording and deletes what was kept', async () => {
    const c = await registerCitizen(p, '13700000305', idNumberFor(305));
    const jar = `${c.cookie}; ${choice(true)}`;
    await req('/', jar); // the browser's choice becomes the account's consent
    await req(`/services/${SERVICE}/start`, jar);
    await req('/personal/hall', jar, { city: 'wuhan' });
    assert.equal((await rows(c.subjectId)).services.length, 1);
    const consent = (await p.consent.of(c.subjectId)).find((r) => r.purpose === 'personalisation-cookies')!;
    await p.consent.withdraw(consent.id, { type: 'self', id: c.subjectId }, 'test');
    assert.deepEqual(await rows(c.subjectId), { services: [], hall: [] });
    // The account now governs (withdrawn): nothing is recorded again, the page is the plain one.
    await req(`/services/${SERVICE}/start`, c.cookie);
    assert.deepEqual(await rows(c.subjectId), { services: [], hall: [] });
    assert.doesNotMatch(await (await req('/', c.cookie)).text(), /Your services/);
  });
});

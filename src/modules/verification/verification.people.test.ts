/**
 * Invariant: a corrected name or ID number drops the person to L1 until verified again;
 * only service-hall staff record an in-person check, which the person sees; the /me/verify
 * pages explain what is sent to whom and show refusals in the person's language.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { asJpeg, seedCapture, seededPeople } from '../../dev/partner-seed.ts';
import { registerCitizen, type Citizen } from '../../../test/support/citizens.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { staffSessionToken } from '../../../test/support/staff.ts';

let p: TestPlatform;
const [, , zhang, chen] = seededPeople as [
  unknown,
  unknown,
  (typeof seededPeople)[0],
  (typeof seededPeople)[0],
];
let z: Citizen;
let c: Citizen;

const staffCookie = async (role: 'support' | 'service_hall', email: string) => {
  await p.staff.create(
    { email, displayName: role, role, password: 'a staff password 1' },
    { type: 'system', id: 'test' },
  );
  return `civitas_staff=${await staffSessionToken(p.staff, email, 'a staff password 1', 'req-staff')}`;
};
const level = async (subjectId: string) => (await p.verification.status(subjectId)).level;

describe('correction, service hall and pages', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    z = await registerCitizen(p, '13700000011', zhang.idNumber, { name: zhang.name });
    c = await registerCitizen(p, '13700000012', chen.idNumber, { name: chen.name });
  });
  after(() => p.stop());

  test('P2.1 correcting the ID number lowers the level to L1', async () => {
    await p.verification.verifyRegistry(z.subjectId, 'req-1');
    assert.equal(await level(z.subjectId), 2);
    const post = (body: unknown) =>
      fetch(`${p.url}/api/me/verification/correction`, {
        method: 'POST',
        headers: { cookie: z.cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bad = await post({ idNumber: '310104197801012631' });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { code: string }).code, 'identity.invalid_id_number');
    assert.equal(await level(z.subjectId), 2, 'a refused correction changes nothing');
    const taken = await post({ idNumber: chen.idNumber });
    assert.equal(((await taken.json()) as { code: string }).code, 'identity.id_number_registered');
    const ok = await post({ idNumber: '440305198005051234' });
    assert.equal(ok.status, 200, await ok.clone().text());
    assert.deepEqual(await ok.json(), { level: 1 });
    assert.deepEqual(await p.vault.findSubject('id_number', '440305198005051234'), [z.subjectId]);
    const { rows } = await p.storage.db.query<{ detail: { from: number; to: number; reason: string } }>(
      `SELECT detail FROM audit_entry WHERE action = 'identity.assurance_changed' AND subject_id = $1 ORDER BY id`,
      [z.subjectId],
    );
    assert.deepEqual(rows.at(-1)!.detail, { from: 2, to: 1, reason: 'corrected:id_number' });
    await assert.rejects(
      p.verification.verifyRegistry(z.subjectId, 'req-2'),
      /attempt/,
      'the registry does not know the new number',
    );
  });

  test('P2.1 P8.1.correct correcting the name through the page lowers the level and keeps what was typed on refusal', async () => {
    await p.verification.correct(z.subjectId, { idNumber: zhang.idNumber }, 'req-3');
    await p.verification.verifyRegistry(z.subjectId, 'req-4');
    assert.equal(await level(z.subjectId), 2);
    const form = (body: Record<string, string>) =>
      fetch(`${p.url}/me/verify/correct`, {
        method: 'POST',
        headers: {
          cookie: `${z.cookie}; civitas_lang=zh-CN`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(body).toString(),
        redirect: 'manual',
      });
    const refused = await form({ name: '张伟', idNumber: '12345' });
    assert.equal(refused.status, 400);
    const html = await refused.text();
    assert.match(html, /居民身份证号码共 18 位/, 'the refusal says which part is wrong: its length');
    assert.match(html, /value="12345"/, 'what was typed is kept');
    const done = await form({ name: '张 伟', idNumber: '' });
    assert.equal(done.headers.get('location'), '/me/verify?corrected=1');
    assert.equal(await level(z.subjectId), 1);
  });

  test('P7.2.roles only service-hall staff record an in-person verification, and the person sees it', async () => {
    const support = await staffCookie('support', 'support@civitas.example');
    const hall = await staffCookie('service_hall', 'hall@civitas.example');
    const record = (cookie: string, body: unknown) =>
      fetch(`${p.url}/api/staff/verification/in-person`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const body = { idNumber: chen.idNumber, documentKind: 'resident-id-card', faceCompared: true };
    const refused = await record(support, body);
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { code: string }).code, 'http.forbidden');
    assert.equal(await level(c.subjectId), 1);
    const unknown = await record(hall, { ...body, idNumber: '110101199001010023' });
    assert.equal(((await unknown.json()) as { code: string }).code, 'verification.person_not_found');
    const ok = await record(hall, body);
    assert.equal(ok.status, 200, await ok.clone().text());
    assert.deepEqual(((await ok.json()) as { level: number; subjectId: string }).level, 4);
    assert.equal(await level(c.subjectId), 4);
    const [entry] = await p.vault.accessLog(c.subjectId, { limit: 1 });
    assert.deepEqual([entry!.actorLabel, entry!.purpose], ['role:service_hall', 'real-name-verification']);
    const { rows } = await p.storage.db.query<{ actor_type: string; detail: { documentKind: string } }>(
      `SELECT actor_type, detail FROM audit_entry WHERE action = 'verification.in_person_recorded' AND subject_id = $1`,
      [c.subjectId],
    );
    assert.deepEqual(
      rows.map((r) => [r.actor_type, r.detail.documentKind]),
      [['staff', 'resident-id-card']],
    );

    const page = await fetch(`${p.url}/admin/verify`, {
      method: 'POST',
      headers: { cookie: `${support}; civitas_lang=en`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        idNumber: chen.idNumber,
        documentKind: 'passport',
        faceCompared: '1',
      }).toString(),
    });
    assert.equal(page.status, 403);
    assert.match(await page.text(), /Not allowed for your role/);
  });

  test('P5.1.4 the verify page says what is sent to whom, and the face step takes a camera upload', async () => {
    const me = await registerCitizen(p, '13700000013', '110105198503120418', { name: '王芳' });
    const page = await fetch(`${p.url}/me/verify`, { headers: { cookie: `${me.cookie}; civitas_lang=en` } });
    const html = await page.text();
    assert.match(html, /<strong id="current-level">L1<\/strong>/);
    assert.match(html, /Population registry/);
    assert.match(html, /AGR-RNV-2026-001/);
    assert.match(html, /accept="image\/jpeg,image\/png" capture="user"/);
    // No script of its own: the only one is the portal's draft keeper (web/static/keep-draft.js).
    assert.deepEqual(
      [...html.matchAll(/<script[^>]*>/g)].map((m) => /src="([^"]+)"/.exec(m[0])?.[1]),
      ['/static/keep-draft.js'],
    );
    // The keep-my-image consent is the policy document's text, and the form says which version.
    const wording = await p.policy.inEffect('face-image-consent', 'en');
    assert.ok(html.includes(wording.text), 'the consent text is the document’s');
    assert.match(html, new RegExp(`name="keepWording" value="${wording.version}"`));
    const l2 = await fetch(`${p.url}/me/verify/registry`, {
      method: 'POST',
      headers: { cookie: me.cookie },
      redirect: 'manual',
    });
    assert.equal(l2.headers.get('location'), '/me/verify?done=2');
    const form = new FormData();
    form.append('photo', new Blob([seedCapture(seededPeople[0]!)], { type: 'image/jpeg' }), 'me.jpg');
    form.append('keep', '1');
    form.append('keepWording', wording.version);
    const l3 = await fetch(`${p.url}/me/verify/face`, {
      method: 'POST',
      headers: { cookie: me.cookie },
      body: form,
      redirect: 'manual',
    });
    assert.equal(l3.headers.get('location'), '/me/verify?done=3&kept=1');
    const kept = (await p.consent.of(me.subjectId)).find((c) => c.categories.includes('biometric'))!;
    assert.equal(
      (await p.consent.textShown(kept.id)).text,
      (await p.policy.inEffect('face-image-consent', 'zh-CN')).text,
      'the consent keeps the text read, in the page’s language',
    );
    const after = await (
      await fetch(`${p.url}/me/verify?done=3&kept=1`, {
        headers: { cookie: `${me.cookie}; civitas_lang=cs` },
      })
    ).text();
    assert.match(after, /Ověřeno. Vaše úroveň je nyní <strong>L3<\/strong>/);
    assert.match(after, /Snímek vašeho obličeje je uchován/);
    const spoof = new FormData();
    spoof.append('photo', new Blob([asJpeg('not a face')], { type: 'image/jpeg' }), 'x.jpg');
    const refused = await fetch(`${p.url}/me/verify/face`, {
      method: 'POST',
      headers: { cookie: `${me.cookie}; civitas_lang=zh-CN` },
      body: spoof,
    });
    assert.equal(refused.status, 422);
    assert.match(await refused.text(), /未通过活体检测/);
  });

  test('P2.1 a person sent by a service needing a higher level continues there once verified', async () => {
    const li = seededPeople[1]!;
    const me = await registerCitizen(p, '13700000014', li.idNumber, { name: li.name });
    const next = '/oidc/interaction/abc123';
    const page = await (
      await fetch(`${p.url}/me/verify?next=${encodeURIComponent(next)}`, { headers: { cookie: me.cookie } })
    ).text();
    assert.match(page, /action="\/me\/verify\/registry\?next=%2Foidc%2Finteraction%2Fabc123"/);
    const l2 = await fetch(`${p.url}/me/verify/registry?next=${encodeURIComponent(next)}`, {
      method: 'POST',
      headers: { cookie: me.cookie },
      redirect: 'manual',
    });
    assert.equal(l2.headers.get('location'), `/me/verify?done=2&next=${encodeURIComponent(next)}`);
    const done = await (
      await fetch(`${p.url}${l2.headers.get('location')}`, {
        headers: { cookie: `${me.cookie}; civitas_lang=en` },
      })
    ).text();
    assert.match(done, /<a href="\/oidc\/interaction\/abc123">Continue to the service<\/a>/);
    const offsite = await (
      await fetch(`${p.url}/me/verify?done=2&next=${encodeURIComponent('//evil.example/')}`, {
        headers: { cookie: me.cookie },
      })
    ).text();
    assert.doesNotMatch(offsite, /继续办理/, 'no link off the site: never an open redirect');
    assert.match(offsite, /action="\/me\/verify\/registry"/);
  });
});

/**
 * Invariant: a person climbs the assurance levels only through a partner's or a service
 * hall's confirmation, recorded as an attempt whose lifecycle follows the transition
 * table; every partner receives only what its registration allows, through the sharing
 * rules, and the person sees each release; a partner outage leaves the attempt retryable.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalBankVerify } from '../../dev/bank-verify.ts';
import type { LocalFaceMatch } from '../../dev/face-match.ts';
import { asJpeg, seedCapture, seededPeople } from '../../dev/partner-seed.ts';
import type { LocalPopulationRegistry } from '../../dev/population-registry.ts';
import { registerCitizen, type Citizen } from '../../../test/support/citizens.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';

let p: TestPlatform;
const [wang, li, zhang] = seededPeople as [
  (typeof seededPeople)[0],
  (typeof seededPeople)[0],
  (typeof seededPeople)[0],
];
let a: Citizen; // 王芳: L2 → L3 → L4
let b: Citizen; // 李娜: partner outage, face refusals
const registry = () => p.partners.registry as LocalPopulationRegistry;
const face = () => p.partners.face as LocalFaceMatch;
const bank = () => p.partners.bank as LocalBankVerify;

const call = (c: Citizen, path: string, body?: unknown, locale = 'en') =>
  fetch(`${p.url}/api/me/verification${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { cookie: c.cookie, 'content-type': 'application/json', 'accept-language': locale },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const json = async <T = Record<string, unknown>>(res: Response, status: number): Promise<T> => {
  const text = await res.text();
  assert.equal(res.status, status, text);
  return JSON.parse(text) as T;
};
const levelOf = async (c: Citizen) => (await json<{ level: number }>(await call(c, ''), 200)).level;
const capture = (person: typeof wang) => seedCapture(person).toString('base64');

describe('real-name verification through the local partners', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000', VERIFICATION_ATTEMPTS_PER_DAY: '4' });
    a = await registerCitizen(p, '13900000001', wang.idNumber, { name: wang.name });
    b = await registerCitizen(p, '13900000002', li.idNumber, { name: li.name });
  });
  after(() => p.stop());

  test('P5.1.4 the partners are registered once, with agreement, region and the verification purpose', async () => {
    // The verification partners (the company registry also serves this purpose).
    const partners = (await p.sharing.partners()).filter((x) =>
      ['bank-verify', 'face-match', 'population-registry'].includes(x.slug),
    );
    assert.ok(partners.every((x) => x.allowedPurposes.includes('real-name-verification')));
    assert.deepEqual(
      partners.map((x) => [x.slug, x.region, x.allowedCategories.join(',')]),
      [
        ['bank-verify', 'CN', 'identity,id_document,financial,contact'],
        ['face-match', 'CN', 'biometric'],
        ['population-registry', 'CN', 'identity,id_document'],
      ],
    );
    assert.ok(partners.every((x) => x.agreementRef.length > 0));
    assert.equal(await p.verification.seedPartners(), 0, 'seeding again adds nothing');
  });

  test('P2.1 a person verified by the population registry reaches L2', async () => {
    assert.equal(await levelOf(a), 1);
    const d = await json<{ state: string; level: number }>(await call(a, '/registry', {}), 200);
    assert.deepEqual([d.state, d.level], ['matched', 2]);
    assert.deepEqual(registry().received.at(-1), { name: wang.name, idNumber: wang.idNumber });
    assert.equal(await levelOf(a), 2);
    const { rows } = await p.storage.db.query<{ detail: { from: number; to: number; reason: string } }>(
      `SELECT detail FROM audit_entry WHERE action = 'identity.assurance_changed' AND subject_id = $1`,
      [a.subjectId],
    );
    assert.deepEqual(
      rows.map((r) => r.detail),
      [{ from: 1, to: 2, reason: 'verified:population-registry' }],
    );
  });

  test('P5.1.4 the registry call is shared under necessity and shown in "who accessed my data"', async () => {
    const [entry] = await p.vault.accessLog(a.subjectId, { limit: 1 });
    assert.deepEqual(
      [entry!.operation, entry!.actorLabel, entry!.basis, entry!.categories.sort()],
      ['share', 'partner:population-registry', 'necessity', ['id_document', 'identity']],
    );
    const { rows } = await p.storage.db.query<{ clause: string; detail: { fields: string[] } }>(
      `SELECT clause, detail FROM audit_entry WHERE action = 'sharing.share' AND subject_id = $1`,
      [a.subjectId],
    );
    assert.deepEqual(
      rows.map((r) => [r.clause, r.detail.fields]),
      [['P5.1.4', ['name', 'id_number']]],
    );
  });

  test('P2.1 a registry mismatch keeps the level at L1 and is refused in the person’s language', async () => {
    const nobody = await registerCitizen(p, '13900000003', '110101199001010015', { name: '赵六' });
    const problem = await json<{ code: string; clause: string; title: string }>(
      await call(nobody, '/registry', {}, 'cs'),
      422,
    );
    assert.deepEqual(
      [problem.code, problem.clause, problem.title],
      [
        'verification.registry_mismatch',
        'P2.1',
        'Evidence obyvatel toto jméno a číslo průkazu nepotvrzuje; zkontrolujte je nebo je níže opravte',
      ],
    );
    const status = await json<{ level: number; attempts: { state: string; outcome: string }[] }>(
      await call(nobody, ''),
      200,
    );
    assert.equal(status.level, 1);
    assert.deepEqual(
      [status.attempts[0]!.state, status.attempts[0]!.outcome],
      ['mismatched', 'registry-mismatch'],
    );
  });

  test('P7.3 verification attempts are capped per day; the cap names its reason', async () => {
    const capped = await registerCitizen(p, '13900000004', '110101199001010023', { name: '钱七' });
    for (let i = 0; i < 4; i++) await json(await call(capped, '/registry', {}), 422);
    const before = registry().received.length;
    const problem = await json<{ code: string; clause: string }>(await call(capped, '/registry', {}), 429);
    assert.deepEqual([problem.code, problem.clause], ['verification.too_many_attempts', 'P7.3']);
    assert.equal(registry().received.length, before, 'nothing was sent to the registry');
  });

  test('P2.1 a partner outage leaves the attempt retryable, and the retry is not counted as a new attempt', async () => {
    registry().down = true;
    try {
      const problem = await json<{ code: string }>(await call(b, '/registry', {}), 503);
      assert.equal(problem.code, 'verification.partner_unavailable');
    } finally {
      registry().down = false;
    }
    const { rows } = await p.storage.db.query<{ detail: { reason: string } }>(
      `SELECT detail FROM audit_entry WHERE action = 'verification.partner_error' AND subject_id = $1`,
      [b.subjectId],
    );
    assert.deepEqual(
      rows.map((r) => r.detail.reason),
      ['population-registry unavailable: local registry set down'],
      'operators see why, without personal data',
    );
    const waiting = await json<{ attempts: { id: string; state: string }[] }>(await call(b, ''), 200);
    assert.equal(waiting.attempts[0]!.state, 'partner_error');
    const d = await json<{ attemptId: string; level: number }>(await call(b, '/registry', {}), 200);
    assert.equal(d.attemptId, waiting.attempts[0]!.id, 'the same attempt was retried');
    assert.equal(d.level, 2);
    const after = await json<{ attempts: unknown[] }>(await call(b, ''), 200);
    assert.equal(after.attempts.length, 1);
  });

  test('P5.1.4 the face partner receives only the captured image and an opaque reference', async () => {
    const d = await json<{ state: string; level: number; imageKept: boolean }>(
      await call(a, '/face', { image: capture(wang) }),
      200,
    );
    assert.deepEqual([d.state, d.level, d.imageKept], ['matched', 3, false]);
    const received = face().received.at(-1)!;
    assert.deepEqual(Object.keys(received).sort(), ['image', 'reference']);
    assert.equal(received.image, capture(wang));
    assert.match(String(received.reference), /^prr_[A-Za-z0-9_-]{22}$/);
    const everything = JSON.stringify(face().received);
    for (const secret of [wang.name, wang.idNumber, a.subjectId, a.phone])
      assert.ok(
        !everything.includes(secret),
        'the face partner never sees name, ID number, account or phone',
      );
    const [entry] = await p.vault.accessLog(a.subjectId, { limit: 1 });
    assert.deepEqual([entry!.actorLabel, entry!.categories], ['partner:face-match', ['biometric']]);
  });

  test('P2.1 a photo of someone else, or not a live capture, is refused and the level stays', async () => {
    const other = await json<{ code: string }>(await call(b, '/face', { image: capture(wang) }), 422);
    assert.equal(other.code, 'verification.face_mismatch');
    const photoOfPhoto = asJpeg(`print face:${li.face}`).toString('base64');
    const spoof = await json<{ code: string }>(await call(b, '/face', { image: photoOfPhoto }), 422);
    assert.equal(spoof.code, 'verification.liveness_failed');
    assert.equal(await levelOf(b), 2);
  });

  test('P7.2 the captured image is discarded after the decision unless kept by consent', async () => {
    const image = seedCapture(li);
    const d = await p.verification.verifyFace(b.subjectId, { image }, 'req-discard');
    assert.deepEqual([d.state, d.level, d.imageKept], ['matched', 3, false]);
    assert.ok(
      image.every((x) => x === 0),
      'the capture buffer is zeroed after the decision',
    );
    const self = { type: 'self' as const, id: b.subjectId, label: 'self' };
    const read = () =>
      p.vault.read({
        subjectId: b.subjectId,
        actor: self,
        purpose: 'real-name-verification',
        basis: { type: 'self' },
        fields: ['face_image'],
      });
    assert.deepEqual((await read()).withheld, [{ field: 'face_image', reason: 'not-held' }]);
    const { rows } = await p.storage.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_entry WHERE detail::text LIKE $1`,
      [`%${seedCapture(li).toString('base64').slice(0, 12)}%`],
    );
    assert.equal(rows[0]!.n, 0, 'the image is never in the audit log');

    const kept = await json<{ imageKept: boolean }>(
      await call(b, '/face', { image: capture(li), keepImage: true }),
      200,
    );
    assert.equal(kept.imageKept, true);
    assert.equal((await read()).values.face_image, capture(li));
    const consent = (await p.consent.of(b.subjectId)).find((c) => c.categories.includes('biometric'));
    assert.deepEqual(
      [consent?.kind, consent?.purpose, consent?.sensitive],
      ['use', 'real-name-verification', true],
      'kept under a separate sensitive-data consent',
    );
  });

  test('P2.1 the bank four-element check raises L3 to L4; a wrong element is refused', async () => {
    const early = await registerCitizen(p, '13900000005', zhang.idNumber, { name: zhang.name });
    const tooSoon = await json<{ code: string }>(
      await call(early, '/bank', { cardNumber: zhang.card!.number, phone: zhang.card!.phone }),
      409,
    );
    assert.equal(tooSoon.code, 'verification.level_required');
    const wrongPhone = await json<{ code: string }>(
      await call(a, '/bank', { cardNumber: wang.card!.number, phone: '13800000009' }),
      422,
    );
    assert.equal(wrongPhone.code, 'verification.bank_mismatch');
    const typo = await json<{ code: string }>(
      await call(a, '/bank', { cardNumber: '6222021000112345673', phone: '13800000001' }),
      400,
    );
    assert.equal(typo.code, 'verification.invalid_card');
    const d = await json<{ level: number }>(
      await call(a, '/bank', {
        cardNumber: `${wang.card!.number.slice(0, 4)} ${wang.card!.number.slice(4)}`,
        phone: wang.card!.phone,
      }),
      200,
    );
    assert.equal(d.level, 4);
    assert.deepEqual(bank().received.at(-1), {
      name: wang.name,
      idNumber: wang.idNumber,
      cardNumber: wang.card!.number,
      phone: wang.card!.phone,
    });
  });

  test('P4.x the phone collected to provide the service is not sent to the bank on necessity', async () => {
    await assert.rejects(
      p.sharing.share({
        subjectId: a.subjectId,
        partner: 'bank-verify',
        purpose: 'real-name-verification',
        fields: ['phone'],
        basis: { type: 'necessity', service: 'verification-l4' },
        by: { type: 'self', id: a.subjectId, label: 'self' },
      }),
      (err: Error & { code?: string; clause?: string }) =>
        err.code === 'vault.incompatible_purpose' && err.clause === 'P4.x',
    );
  });
});

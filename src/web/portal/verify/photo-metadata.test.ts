/**
 * Invariant (P2.2.1): a photo a person uploads reaches the face partner and the vault without
 * its GPS, camera serial numbers, owner name or dates, unless they ticked to keep them; the
 * stored photo still decodes. The same holds for the API and for phone recovery's face check.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import exifr from 'exifr';
import sharp from 'sharp';
import type { LocalFaceMatch } from '../../../dev/face-match.ts';
import { seededPeople } from '../../../dev/partner-seed.ts';
import { registerCitizen, type Citizen } from '../../../../test/support/citizens.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { geotaggedJpeg, geotaggedPng, OWNER, SERIAL } from '../../../../test/support/photos.ts';

let p: TestPlatform;
const [wang, li, zhang, chen] = seededPeople as [
  (typeof seededPeople)[0],
  (typeof seededPeople)[0],
  (typeof seededPeople)[0],
  (typeof seededPeople)[0],
];
const face = () => p.partners.face as LocalFaceMatch;
/** What the face partner received last, as bytes. */
const sentToPartner = () => Buffer.from(String(face().received.at(-1)?.image), 'base64');

/** The face photo kept in the vault (read as the person). */
const stored = async (c: Citizen) => {
  const r = await p.vault.read({
    subjectId: c.subjectId,
    actor: { type: 'self', id: c.subjectId, label: 'self' },
    purpose: 'real-name-verification',
    basis: { type: 'self' },
    fields: ['face_image'],
  });
  return Buffer.from(String(r.values.face_image), 'base64');
};

async function upload(c: Citizen, photo: Buffer, type: string, fields: Record<string, string>) {
  const wording = await p.policy.inEffect('face-image-consent', 'en');
  const form = new FormData();
  form.append('photo', new Blob([photo], { type }), 'me');
  for (const [k, v] of Object.entries({ keep: '1', keepWording: wording.version, ...fields }))
    form.append(k, v);
  return fetch(`${p.url}/me/verify/face`, {
    method: 'POST',
    headers: { cookie: `${c.cookie}; civitas_lang=en` },
    body: form,
    redirect: 'manual',
  });
}

const noTrace = (b: Buffer) => {
  for (const trace of [SERIAL, OWNER, 'Exif\0\0', 'eXIf', 'tEXt', 'http://ns.adobe.com/xap', 'Photoshop 3.0'])
    assert.equal(b.includes(Buffer.from(trace, 'latin1')), false, `no ${JSON.stringify(trace)}`);
};

describe('photo uploads lose their metadata', () => {
  let answer: LocalFaceMatch['answer'];
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    // The local face model recognises its own test bytes, not a real picture: this real
    // photo is taken as a live match of whoever sends it, and the request still recorded.
    answer = face().answer.bind(face());
    face().answer = async (body) => {
      await answer(body);
      return { liveness: 'pass', score: 0.97 };
    };
  });
  after(async () => {
    face().answer = answer;
    await p.stop();
  });

  test('P2.2.1 a geotagged JPEG uploaded on /me/verify is stored and sent without GPS IFD, serial or owner, and still decodes', async () => {
    const me = await registerCitizen(p, '13900000701', wang.idNumber, { name: wang.name, level: 2 });
    const jpeg = await geotaggedJpeg();
    assert.ok((await exifr.gps(jpeg))?.latitude, 'the upload is geotagged');
    const res = await upload(me, jpeg, 'image/jpeg', {});
    assert.equal(res.headers.get('location'), '/me/verify?done=3&kept=1');

    const kept = await stored(me);
    assert.equal(await exifr.gps(kept), undefined, 'no GPS IFD');
    assert.equal(
      await exifr.parse(kept, { tiff: true, exif: true, gps: true, xmp: true, iptc: true }),
      undefined,
    );
    noTrace(kept);
    const decoded = await sharp(kept).metadata();
    assert.deepEqual([decoded.format, decoded.width, decoded.height], ['jpeg', 96, 128]);
    await sharp(kept).raw().toBuffer(); // the whole picture decodes
    assert.ok(sentToPartner().equals(kept), 'the partner received the cleaned photo too');
  });

  test('P2.2.1 ticking "keep the photo’s details" keeps them', async () => {
    const me = await registerCitizen(p, '13900000702', li.idNumber, { name: li.name, level: 2 });
    const jpeg = await geotaggedJpeg();
    const res = await upload(me, jpeg, 'image/jpeg', { keepMetadata: '1' });
    assert.equal(res.headers.get('location'), '/me/verify?done=3&kept=1');
    const kept = await stored(me);
    assert.ok(kept.equals(jpeg));
    assert.ok((await exifr.gps(kept))?.latitude);
  });

  test('P2.2.1 the form offers the choice unticked, in three languages', async () => {
    const me = await registerCitizen(p, '13900000703', '110101199003070011', { level: 2 });
    for (const [lang, text] of [
      ['en', /Keep the photo’s details/],
      ['zh-CN', /保留照片的附加信息/],
      ['cs', /Ponechat údaje fotografie/],
    ] as const) {
      const html = await (
        await fetch(`${p.url}/me/verify`, { headers: { cookie: `${me.cookie}; civitas_lang=${lang}` } })
      ).text();
      assert.match(html, /<input type="checkbox" name="keepMetadata" value="1"\/>/);
      assert.match(html, text);
    }
  });

  test('P2.2.1 a PNG through the API loses eXIf, tEXt, iTXt and tIME; a GIF is refused', async () => {
    const me = await registerCitizen(p, '13900000704', zhang.idNumber, { name: zhang.name, level: 2 });
    const call = (image: Buffer) =>
      fetch(`${p.url}/api/me/verification/face`, {
        method: 'POST',
        headers: { cookie: me.cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ image: image.toString('base64'), keepImage: true }),
      });
    const gif = await call(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'));
    assert.equal(gif.status, 400);
    assert.equal(((await gif.json()) as { code: string }).code, 'verification.invalid_image');

    const png = await geotaggedPng();
    const res = await call(png);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(((await res.json()) as { imageKept: boolean }).imageKept, true);
    const kept = await stored(me);
    noTrace(kept);
    assert.equal(await exifr.gps(kept), undefined);
    assert.equal((await sharp(kept).metadata()).format, 'png');
    await sharp(kept).raw().toBuffer();
    assert.ok(sentToPartner().equals(kept));
  });

  test('P2.2.1 phone recovery’s face check sends the partner a photo without metadata', async () => {
    const me = await registerCitizen(p, '13900000705', chen.idNumber, { name: chen.name, level: 3 });
    const before = face().received.length;
    assert.equal(
      await p.verification.faceConfirms(me.subjectId, await geotaggedJpeg(), 'phone-recovery', 'r'),
      true,
    );
    assert.equal(face().received.length, before + 1);
    const sent = sentToPartner();
    noTrace(sent);
    assert.equal(await exifr.gps(sent), undefined);
    await sharp(sent).raw().toBuffer();
  });
});

/**
 * Invariant: a photo leaves `stripPhotoMetadata` with no GPS, no serial number, no owner name,
 * no date, no XMP, IPTC or comment, and still decodes to the same picture; a clean photo comes
 * back unchanged; anything that is not a JPEG or PNG we can walk is refused.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import exifr from 'exifr';
import sharp from 'sharp';
import { geotaggedJpeg, geotaggedPng, OWNER, SERIAL } from '../../../test/support/photos.ts';
import { PhotoRefused, stripPhotoMetadata } from './index.ts';

const everything = { tiff: true, exif: true, gps: true, xmp: true, iptc: true, icc: false, ifd1: true };
const pixels = async (b: Buffer) => (await sharp(b).raw().toBuffer({ resolveWithObject: true })).data;

describe('photo metadata', () => {
  test('P2.2.1 the fixture is a real geotagged JPEG (an independent parser reads its GPS, serial and owner)', async () => {
    const jpeg = await geotaggedJpeg();
    const gps = await exifr.gps(jpeg);
    assert.ok(Math.abs(gps.latitude - 39.9075) < 0.001 && Math.abs(gps.longitude - 116.3978) < 0.001);
    const all = await exifr.parse(jpeg, everything);
    assert.equal(all.SerialNumber, SERIAL);
    assert.equal(all.Artist, OWNER);
    assert.equal(all.OwnerName, OWNER);
    assert.equal(all.City, 'Beijing');
    assert.ok(jpeg.includes(Buffer.from('Photoshop 3.0')) && jpeg.includes(Buffer.from(`taken by ${OWNER}`)));
  });

  test('P2.2.1 a JPEG loses its GPS IFD, Exif, XMP, IPTC and comment, and still decodes to the same pixels', async () => {
    const jpeg = await geotaggedJpeg();
    const { bytes, format, removed } = stripPhotoMetadata(jpeg);
    assert.equal(format, 'jpeg');
    assert.ok(removed > 300);
    assert.equal(await exifr.gps(bytes), undefined);
    assert.equal(await exifr.parse(bytes, everything), undefined);
    for (const trace of [
      SERIAL,
      OWNER,
      'Exif\0\0',
      'http://ns.adobe.com/xap',
      'Photoshop 3.0',
      'Beijing',
      '2026:03:01',
    ])
      assert.equal(bytes.includes(Buffer.from(trace, 'latin1')), false, trace);
    const meta = await sharp(bytes).metadata();
    assert.equal(meta.exif, undefined);
    assert.deepEqual([meta.width, meta.height], [96, 128]);
    assert.ok((await pixels(bytes)).equals(await pixels(jpeg)), 'lossless: the same pixels');
  });

  test('P2.2.1 a rotated photo keeps only its orientation', async () => {
    const { bytes } = stripPhotoMetadata(await geotaggedJpeg({ orientation: 6 }));
    const left = await exifr.parse(bytes, everything);
    assert.deepEqual(Object.keys(left ?? {}), ['Orientation']);
    assert.equal((await sharp(bytes).metadata()).orientation, 6);
    assert.equal(await exifr.gps(bytes), undefined);
  });

  test('P2.2.1 a PNG loses eXIf, tEXt, iTXt and tIME and still decodes to the same pixels', async () => {
    const png = await geotaggedPng();
    assert.ok((await exifr.gps(png))?.latitude, 'the fixture is geotagged');
    const { bytes, format } = stripPhotoMetadata(png);
    assert.equal(format, 'png');
    assert.equal(await exifr.gps(bytes), undefined);
    for (const chunk of ['eXIf', 'tEXt', 'iTXt', 'tIME', OWNER, 'Beijing'])
      assert.equal(bytes.includes(Buffer.from(chunk, 'latin1')), false, chunk);
    assert.ok((await pixels(bytes)).equals(await pixels(png)));
  });

  test('a photo with nothing to remove comes back byte for byte; data after EOI goes', async () => {
    const clean = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
      .jpeg()
      .toBuffer();
    assert.ok(stripPhotoMetadata(clean).bytes.equals(clean));
    const appended = Buffer.concat([clean, await geotaggedJpeg()]);
    const out = stripPhotoMetadata(appended).bytes;
    assert.ok(out.equals(clean));
  });

  test('anything but a JPEG or PNG, or a broken one, is refused', async () => {
    const jpeg = await geotaggedJpeg();
    for (const bad of [
      Buffer.from('GIF89a....'),
      Buffer.from('not a photo'),
      jpeg.subarray(0, 200),
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff]), Buffer.alloc(10)]),
      (await geotaggedPng()).subarray(0, 60),
    ])
      assert.throws(() => stripPhotoMetadata(bad), PhotoRefused);
  });
});

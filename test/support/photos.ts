/**
 * Tests only: real photos carrying the metadata a phone or camera writes. The picture itself
 * is encoded by sharp (libvips); the Exif block is written here byte by byte (TIFF 6.0 /
 * Exif 2.3: IFD0 with camera, owner and date, the Exif IFD with serial numbers and the owner
 * name, the GPS IFD with latitude, longitude and altitude), with XMP, IPTC and a comment
 * beside it, so an independent parser (exifr) can confirm the fixture is really geotagged.
 */
import sharp from 'sharp';

/** Beijing, Tiananmen: 39°54'27" N, 116°23'52" E. */
export const PLACE = { lat: [39, 54, 27], lon: [116, 23, 52], altitude: 44 } as const;
export const SERIAL = 'SN-4471-0923-CIVITAS';
export const OWNER = 'Wang Fang';

type Entry = { tag: number; type: 2 | 3 | 4 | 5; value: string | number | readonly number[] };

/** One IFD (big-endian) at `offset` in the TIFF block; `next` links the next IFD. */
function ifd(entries: Entry[], offset: number): Buffer {
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  const head = 2 + sorted.length * 12 + 4;
  const dir = Buffer.alloc(head);
  const extra: Buffer[] = [];
  let extraAt = offset + head;
  dir.writeUInt16BE(sorted.length, 0);
  sorted.forEach((e, k) => {
    const at = 2 + k * 12;
    dir.writeUInt16BE(e.tag, at);
    dir.writeUInt16BE(e.type, at + 2);
    let data: Buffer;
    let count: number;
    if (e.type === 2) {
      data = Buffer.from(`${String(e.value)}\0`, 'latin1');
      count = data.length;
    } else if (e.type === 5) {
      const rationals = e.value as readonly number[];
      data = Buffer.alloc(rationals.length * 8);
      rationals.forEach((n, r) => {
        data.writeUInt32BE(n, r * 8);
        data.writeUInt32BE(1, r * 8 + 4);
      });
      count = rationals.length;
    } else if (e.type === 3) {
      data = Buffer.alloc(4);
      data.writeUInt16BE(Number(e.value), 0);
      count = 1;
    } else {
      data = Buffer.alloc(4);
      data.writeUInt32BE(Number(e.value), 0);
      count = 1;
    }
    dir.writeUInt32BE(count, at + 4);
    if (data.length <= 4) data.copy(dir, at + 8);
    else {
      dir.writeUInt32BE(extraAt, at + 8);
      extra.push(data);
      extraAt += data.length;
    }
  });
  return Buffer.concat([dir, ...extra]);
}

/** The Exif APP1 body's TIFF block: IFD0 → Exif IFD, GPS IFD. */
export function exifTiff(orientation = 1): Buffer {
  const header = Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]);
  const ifd0Entries = (exifAt: number, gpsAt: number): Entry[] => [
    { tag: 0x010f, type: 2, value: 'Civitas Camera Co.' }, // Make
    { tag: 0x0110, type: 2, value: 'Model X' }, // Model
    { tag: 0x0112, type: 3, value: orientation }, // Orientation
    { tag: 0x0132, type: 2, value: '2026:03:01 10:15:00' }, // DateTime
    { tag: 0x013b, type: 2, value: OWNER }, // Artist
    { tag: 0x8298, type: 2, value: `(c) ${OWNER}` }, // Copyright
    { tag: 0x8769, type: 4, value: exifAt }, // ExifIFD
    { tag: 0x8825, type: 4, value: gpsAt }, // GPSInfo
  ];
  // Two passes: the sizes are known once laid out.
  const size0 = ifd(ifd0Entries(0, 0), 8).length;
  const exifEntries: Entry[] = [
    { tag: 0x9003, type: 2, value: '2026:03:01 10:15:00' }, // DateTimeOriginal
    { tag: 0xa430, type: 2, value: OWNER }, // CameraOwnerName
    { tag: 0xa431, type: 2, value: SERIAL }, // BodySerialNumber
    { tag: 0xa435, type: 2, value: 'LENS-99812' }, // LensSerialNumber
  ];
  const exifAt = 8 + size0;
  const exif = ifd(exifEntries, exifAt);
  const gpsAt = exifAt + exif.length;
  const gps = ifd(
    [
      { tag: 0x0000, type: 4, value: 0x02030000 }, // GPSVersionID 2.3.0.0 (BYTE×4 read as one LONG here)
      { tag: 0x0001, type: 2, value: 'N' },
      { tag: 0x0002, type: 5, value: PLACE.lat },
      { tag: 0x0003, type: 2, value: 'E' },
      { tag: 0x0004, type: 5, value: PLACE.lon },
      { tag: 0x0006, type: 5, value: [PLACE.altitude] },
    ],
    gpsAt,
  );
  return Buffer.concat([header, ifd(ifd0Entries(exifAt, gpsAt), 8), exif, gps]);
}

const segment = (marker: number, body: Buffer) => {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
};

const XMP = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" exif:GPSLatitude="39,54.45N" exif:GPSLongitude="116,23.87E" dc:creator="${OWNER}"/></rdf:RDF></x:xmpmeta>`;

/** A real JPEG (a face-sized gradient) with Exif + GPS, XMP, IPTC and a comment. */
export async function geotaggedJpeg(opts: { orientation?: number } = {}): Promise<Buffer> {
  const plain = await sharp({
    create: { width: 96, height: 128, channels: 3, background: { r: 200, g: 160, b: 140 } },
  })
    .jpeg({ quality: 85 })
    .toBuffer();
  const exif = segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exifTiff(opts.orientation)]));
  const xmp = segment(0xe1, Buffer.from(`http://ns.adobe.com/xap/1.0/\0${XMP}`, 'utf8'));
  // IPTC in Photoshop's 8BIM resource: 2:80 By-line, 2:90 City.
  const dataset = (n: number, v: string) => {
    const t = Buffer.from(v, 'utf8');
    const h = Buffer.from([0x1c, 2, n, 0, 0]);
    h.writeUInt16BE(t.length, 3);
    return Buffer.concat([h, t]);
  };
  const iptc = Buffer.concat([dataset(80, OWNER), dataset(90, 'Beijing')]);
  const res = Buffer.alloc(12);
  res.write('8BIM', 0, 'latin1');
  res.writeUInt16BE(0x0404, 4);
  res.writeUInt32BE(iptc.length, 8);
  const app13 = segment(
    0xed,
    Buffer.concat([
      Buffer.from('Photoshop 3.0\0', 'latin1'),
      res,
      iptc,
      iptc.length % 2 ? Buffer.from([0]) : Buffer.alloc(0),
    ]),
  );
  const comment = segment(0xfe, Buffer.from(`taken by ${OWNER}`, 'utf8'));
  // After SOI (and sharp's JFIF APP0, if it wrote one).
  const at = plain[3] === 0xe0 ? 4 + plain.readUInt16BE(4) : 2;
  return Buffer.concat([plain.subarray(0, at), exif, xmp, app13, comment, plain.subarray(at)]);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Buffer) => {
  let c = 0xffffffff;
  for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};

/** A real PNG with an eXIf chunk (the same GPS Exif), tEXt (author, place), iTXt XMP and tIME. */
export async function geotaggedPng(): Promise<Buffer> {
  const plain = await sharp({
    create: { width: 64, height: 64, channels: 3, background: { r: 120, g: 140, b: 200 } },
  })
    .png()
    .toBuffer();
  const ihdrEnd = 8 + 12 + plain.readUInt32BE(8);
  const time = Buffer.from([0x07, 0xea, 3, 1, 10, 15, 0]);
  const extra = Buffer.concat([
    chunk('eXIf', exifTiff()),
    chunk('tEXt', Buffer.from(`Author\0${OWNER}`, 'latin1')),
    chunk('tEXt', Buffer.from('Location\0Beijing 39.9075 116.3978', 'latin1')),
    chunk('iTXt', Buffer.from(`XML:com.adobe.xmp\0\0\0\0\0${XMP}`, 'utf8')),
    chunk('tIME', time),
  ]);
  return Buffer.concat([plain.subarray(0, ihdrEnd), extra, plain.subarray(ihdrEnd)]);
}

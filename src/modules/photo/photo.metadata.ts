/**
 * Removing what a photo says about where, when and with what it was taken (P2.2.1; ADR 0047),
 * losslessly: the picture's bytes are copied as they are, only the metadata around them goes.
 *
 * Rules:
 * - P2.2.1 an allow-list, not a deny-list: a JPEG keeps only what decoding needs (SOI, the
 *   frame, tables, restart interval, scans and their entropy-coded data, EOI), the JFIF
 *   header and the colour profile (ICC, Adobe's colour transform). Everything else goes:
 *   Exif (GPS, camera and lens serial numbers, owner name, dates, maker notes, the embedded
 *   thumbnail), XMP, IPTC/Photoshop (APP13: by-line, city, caption), comments, MPF and any
 *   image appended after EOI (a phone's second picture, with its own Exif), unknown segments.
 * - The orientation is not identifying and a face shown on its side is hard to compare: when
 *   the Exif said the picture is rotated, a new minimal Exif holding only the orientation
 *   takes its place.
 * - A PNG keeps its critical chunks and the ancillary chunks that change how it looks (colour,
 *   gamma, transparency, background, pixel size); eXIf, tEXt, zTXt, iTXt, tIME, dSIG and
 *   every chunk not known here go, and nothing after IEND survives.
 * - Only JPEG and PNG are accepted; anything else, or a file whose structure is broken, is
 *   refused (`PhotoRefused`): a photo the platform cannot clean is not taken at all.
 * - No decoding, no re-encoding: the pixels (and a face comparison's score) stay exactly as
 *   uploaded, and a photo with nothing to remove comes back byte for byte the same.
 */

export type PhotoFormat = 'jpeg' | 'png';

export class PhotoRefused extends Error {
  constructor(readonly reason: 'not-jpeg-or-png' | 'malformed') {
    super(`photo refused: ${reason}`);
    this.name = 'PhotoRefused';
  }
}

export interface Stripped {
  format: PhotoFormat;
  bytes: Buffer;
  /** How many bytes of metadata went (0: the photo came back unchanged). */
  removed: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function photoFormat(b: Buffer): PhotoFormat | undefined {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  return undefined;
}

/** Removes identifying metadata (see the rules above); throws `PhotoRefused`. */
export function stripPhotoMetadata(b: Buffer): Stripped {
  const format = photoFormat(b);
  if (format === 'jpeg') return done(format, b, stripJpeg(b));
  if (format === 'png') return done(format, b, stripPng(b));
  throw new PhotoRefused('not-jpeg-or-png');
}

const done = (format: PhotoFormat, input: Buffer, parts: Buffer[]): Stripped => {
  const bytes = Buffer.concat(parts);
  return { format, bytes, removed: input.length - bytes.length };
};

// JPEG markers (ITU-T T.81 table B.1).
const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP14 = 0xee;

/** Segments decoding needs: SOF0–SOF15 (not DHT 0xc4, JPG 0xc8, DAC 0xcc, which are tables), DHT, DAC, DQT, DNL, DRI, EXP. */
const decodingMarker = (m: number) => (m >= 0xc0 && m <= 0xcf && m !== 0xc8) || (m >= 0xdb && m <= 0xdf);

const startsWith = (seg: Buffer, text: string) =>
  seg.length >= text.length && seg.subarray(0, text.length).toString('latin1') === text;

function stripJpeg(b: Buffer): Buffer[] {
  const out: Buffer[] = [b.subarray(0, 2)];
  let orientation: number | undefined;
  let i = 2;
  for (;;) {
    if (i + 1 >= b.length) throw new PhotoRefused('malformed'); // no EOI
    if (b[i] !== 0xff) throw new PhotoRefused('malformed');
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === EOI) {
      out.push(b.subarray(i, i + 2)); // whatever follows EOI (an appended image) goes
      break;
    }
    if (marker === SOI || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01)
      throw new PhotoRefused('malformed'); // no parameters, out of place here
    if (i + 4 > b.length) throw new PhotoRefused('malformed');
    const length = b.readUInt16BE(i + 2);
    const end = i + 2 + length;
    if (length < 2 || end > b.length) throw new PhotoRefused('malformed');
    const body = b.subarray(i + 4, end);
    const keep =
      decodingMarker(marker) ||
      marker === SOS ||
      (marker === APP0 && startsWith(body, 'JFIF\0')) ||
      (marker === APP2 && startsWith(body, 'ICC_PROFILE\0')) ||
      (marker === APP14 && startsWith(body, 'Adobe'));
    if (marker === APP1 && startsWith(body, 'Exif\0\0')) orientation ??= exifOrientation(body.subarray(6));
    if (keep) out.push(b.subarray(i, end));
    i = end;
    if (marker === SOS) {
      // Entropy-coded data up to the next marker that is not a stuffed 0xFF00 or a restart.
      let j = i;
      while (
        j + 1 < b.length &&
        !(b[j] === 0xff && b[j + 1] !== 0x00 && !(b[j + 1]! >= 0xd0 && b[j + 1]! <= 0xd7))
      )
        j += 1;
      out.push(b.subarray(i, j));
      i = j;
    }
  }
  if (orientation !== undefined && orientation >= 2 && orientation <= 8) {
    // After SOI and a JFIF header, if there is one (JFIF wants to come first).
    const at = out.length > 1 && out[1]![1] === APP0 ? 2 : 1;
    out.splice(at, 0, orientationOnlyExif(orientation));
  }
  return out;
}

/** The Orientation (tag 0x0112) of IFD0 in an Exif TIFF block; undefined if absent or unreadable. */
function exifOrientation(tiff: Buffer): number | undefined {
  if (tiff.length < 8) return undefined;
  const order = tiff.subarray(0, 2).toString('latin1');
  if (order !== 'II' && order !== 'MM') return undefined;
  const le = order === 'II';
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return undefined;
  const count = u16(ifd);
  for (let k = 0; k < count; k++) {
    const e = ifd + 2 + k * 12;
    if (e + 12 > tiff.length) return undefined;
    if (u16(e) === 0x0112 && u16(e + 2) === 3) return u16(e + 8);
  }
  return undefined;
}

/** An APP1 Exif segment holding one entry: IFD0's Orientation (big-endian TIFF). */
function orientationOnlyExif(orientation: number): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4); // IFD0 right after the header
  tiff.writeUInt16BE(1, 8); // one entry
  tiff.writeUInt16BE(0x0112, 10); // Orientation
  tiff.writeUInt16BE(3, 12); // SHORT
  tiff.writeUInt32BE(1, 14); // one value
  tiff.writeUInt16BE(orientation, 18); // in the value field, left-justified
  tiff.writeUInt32BE(0, 22); // no next IFD
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.from([0xff, APP1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/** PNG chunks kept (ISO/IEC 15948, PNG 3rd edition): critical ones, and those that change how it looks. */
const keptPngChunks = new Set([
  'IHDR',
  'PLTE',
  'IDAT',
  'IEND',
  'tRNS',
  'cHRM',
  'gAMA',
  'iCCP',
  'sBIT',
  'sRGB',
  'cICP',
  'mDCV',
  'cLLI',
  'bKGD',
  'pHYs',
]);

function stripPng(b: Buffer): Buffer[] {
  const out: Buffer[] = [b.subarray(0, 8)];
  let i = 8;
  let first = true;
  for (;;) {
    if (i + 12 > b.length) throw new PhotoRefused('malformed'); // no IEND
    const length = b.readUInt32BE(i);
    const type = b.subarray(i + 4, i + 8).toString('latin1');
    const end = i + 12 + length;
    if (!/^[A-Za-z]{4}$/.test(type) || end > b.length) throw new PhotoRefused('malformed');
    if (first && type !== 'IHDR') throw new PhotoRefused('malformed');
    first = false;
    const critical = type.charCodeAt(0) < 0x61; // upper-case first letter
    if (keptPngChunks.has(type)) out.push(b.subarray(i, end));
    // An unknown critical chunk means a decoder must understand it: not a PNG we can clean.
    else if (critical) throw new PhotoRefused('malformed');
    i = end;
    if (type === 'IEND') break;
  }
  return out;
}

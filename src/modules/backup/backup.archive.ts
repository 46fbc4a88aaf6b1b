/**
 * The file archive inside a physical backup: a flat stream of frames, written and read
 * without knowing a file's size beforehand (PostgreSQL's files change while a base backup
 * copies them; WAL replay puts them right).
 *
 * Frames: M dir (u16 path, u32 mode) · F file (u16 path, u32 mode) · D data (u32 length,
 * bytes) · E end of file · Z end of archive.
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { once } from 'node:events';

const named = (type: string, path: string, mode: number) => {
  const p = Buffer.from(path);
  const b = Buffer.alloc(1 + 2 + p.length + 4);
  b.write(type, 0);
  b.writeUInt16BE(p.length, 1);
  p.copy(b, 3);
  b.writeUInt32BE(mode, 3 + p.length);
  return b;
};

export const dirFrame = (path: string, mode: number) => named('M', path, mode);
export const endFrame = () => Buffer.from('Z');

/** The frames of one file; a file that vanished meanwhile yields nothing (it was temporary). */
export async function* fileFrames(source: string, path: string, mode: number): AsyncGenerator<Buffer> {
  const s = createReadStream(source, { highWaterMark: 1 << 20 });
  let opened = false;
  try {
    for await (const chunk of s as AsyncIterable<Buffer>) {
      if (!opened) {
        yield named('F', path, mode);
        opened = true;
      }
      const h = Buffer.alloc(5);
      h.write('D', 0);
      h.writeUInt32BE(chunk.length, 1);
      yield Buffer.concat([h, chunk]);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (!opened) yield named('F', path, mode);
  yield Buffer.from('E');
}

export function bytesFrames(path: string, mode: number, body: Buffer): Buffer {
  const h = Buffer.alloc(5);
  h.write('D', 0);
  h.writeUInt32BE(body.length, 1);
  return Buffer.concat([named('F', path, mode), h, body, Buffer.from('E')]);
}

/**
 * Writes the archive under `root`, each archive path mapped by `place` (undefined: refused).
 * Refuses paths that climb out, and an archive without its end frame.
 */
export async function unpack(
  input: AsyncIterable<Buffer>,
  place: (path: string) => string | undefined,
  root: string,
): Promise<void> {
  let buf: Buffer = Buffer.alloc(0);
  let out: WriteStream | undefined;
  let ended = false;
  const target = (path: string) => {
    const rel = place(path);
    if (!rel || rel.startsWith('/') || normalize(rel).startsWith('..'))
      throw new Error(`bad path in backup: ${path}`);
    return join(root, normalize(rel));
  };
  for await (const chunk of input) {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      if (ended) {
        if (buf.length) throw new Error('data after the end of the archive');
        break;
      }
      if (buf.length < 1) break;
      const type = String.fromCharCode(buf[0]!);
      if (type === 'M' || type === 'F') {
        if (buf.length < 3) break;
        const n = buf.readUInt16BE(1);
        if (buf.length < 3 + n + 4) break;
        const path = buf.subarray(3, 3 + n).toString();
        const mode = buf.readUInt32BE(3 + n);
        buf = buf.subarray(3 + n + 4);
        const at = target(path);
        if (type === 'M') await mkdir(at, { recursive: true, mode: mode & 0o777 });
        else {
          await mkdir(dirname(at), { recursive: true, mode: 0o700 });
          out = createWriteStream(at, { mode: mode & 0o777 });
        }
      } else if (type === 'D') {
        if (buf.length < 5) break;
        const n = buf.readUInt32BE(1);
        if (buf.length < 5 + n) break;
        if (!out) throw new Error('data outside a file in backup archive');
        if (!out.write(buf.subarray(5, 5 + n))) await once(out, 'drain');
        buf = buf.subarray(5 + n);
      } else if (type === 'E') {
        if (!out) throw new Error('end of a file that never began in backup archive');
        const closing = once(out, 'close');
        out.end();
        await closing;
        out = undefined;
        buf = buf.subarray(1);
      } else if (type === 'Z') {
        ended = true;
        buf = buf.subarray(1);
      } else throw new Error(`unknown frame ${type} in backup archive`);
    }
  }
  if (!ended) throw new Error('the backup archive is cut short');
}

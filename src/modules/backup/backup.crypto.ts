/**
 * The encrypted form of a backup: a stream of AES-256-GCM chunks, so a dump of any size is
 * sealed and opened in constant memory.
 *
 * Rules (P7.2.backup):
 * - Each backup has its own content key, HKDF-SHA256 of the backup key with a random salt
 *   and the backup id: nonces (the chunk counter) never repeat under one key.
 * - Every chunk's associated data binds the backup id, the chunk's index and whether it is
 *   the last one: chunks cannot be reordered, moved to another backup, dropped, or the
 *   file cut short without opening failing.
 * - Opening releases a chunk's plaintext only after its tag verified: nothing forged ever
 *   reaches pg_restore or the data directory.
 *
 * Layout: "CIVBAK1\n", u16 header length, header JSON {id, keyId, salt, chunk}, then per
 * chunk u32 ciphertext length, ciphertext, 16-byte tag.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

const MAGIC = Buffer.from('CIVBAK1\n');
const CHUNK = 1 << 20;
const TAG = 16;

interface Header {
  id: string;
  keyId: string;
  salt: string;
}

const contentKey = (key: Buffer, salt: Buffer, id: string) =>
  Buffer.from(hkdfSync('sha256', key, salt, `civitas-backup:${id}`, 32));

const nonce = (index: number) => {
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(BigInt(index), 4);
  return n;
};

const aad = (id: string, index: number, last: boolean) =>
  Buffer.concat([Buffer.from(`${id}\0`), nonce(index), Buffer.from([last ? 1 : 0])]);

export function encryptStream(key: { id: string; key: Buffer }, backupId: string): Transform {
  const salt = randomBytes(32);
  const k = contentKey(key.key, salt, backupId);
  let pending: Buffer[] = [];
  let size = 0;
  let index = 0;
  const seal = (plain: Buffer, last: boolean): Buffer => {
    const c = createCipheriv('aes-256-gcm', k, nonce(index));
    c.setAAD(aad(backupId, index, last));
    const body = Buffer.concat([c.update(plain), c.final()]);
    index += 1;
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    return Buffer.concat([len, body, c.getAuthTag()]);
  };
  const header = Buffer.from(JSON.stringify({ id: backupId, keyId: key.id, salt: salt.toString('base64') }));
  const hlen = Buffer.alloc(2);
  hlen.writeUInt16BE(header.length);
  let started = false;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      if (!started) {
        this.push(Buffer.concat([MAGIC, hlen, header]));
        started = true;
      }
      pending.push(chunk);
      size += chunk.length;
      while (size >= CHUNK) {
        const all = Buffer.concat(pending);
        // Keep one byte back: the last chunk must be sealed as last, even when the input
        // ends exactly on a chunk boundary.
        if (all.length === CHUNK) {
          pending = [all];
          break;
        }
        this.push(seal(all.subarray(0, CHUNK), false));
        pending = [all.subarray(CHUNK)];
        size = all.length - CHUNK;
      }
      done();
    },
    flush(done: TransformCallback) {
      if (!started) this.push(Buffer.concat([MAGIC, hlen, header]));
      this.push(seal(Buffer.concat(pending), true));
      done();
    },
  });
}

/** Reads the header of an encrypted backup: which key it needs. */
export function readHeader(head: Buffer): (Header & { length: number }) | undefined {
  if (head.length < MAGIC.length + 2 || !head.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const n = head.readUInt16BE(MAGIC.length);
  const end = MAGIC.length + 2 + n;
  if (head.length < end) return undefined;
  return { ...(JSON.parse(head.subarray(MAGIC.length + 2, end).toString()) as Header), length: end };
}

/**
 * Opens what `encryptStream` sealed. Fails (the stream errors) on a wrong key, a backup id
 * other than `backupId`, any altered, missing or reordered chunk, and a file cut short.
 */
export function decryptStream(keyFor: (keyId: string) => Buffer, backupId: string): Transform {
  let buf: Buffer = Buffer.alloc(0);
  let k: Buffer | undefined;
  let index = 0;
  let finished = false;
  const open = (body: Buffer, tag: Buffer, last: boolean): Buffer => {
    const d = createDecipheriv('aes-256-gcm', k!, nonce(index));
    d.setAAD(aad(backupId, index, last));
    d.setAuthTag(tag);
    const plain = Buffer.concat([d.update(body), d.final()]);
    index += 1;
    return plain;
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      try {
        if (!k) {
          const h = readHeader(buf);
          if (!h) {
            if (buf.length > 70_000) throw new Error('not a Civitas backup file');
            return done();
          }
          if (h.id !== backupId) throw new Error(`the file is backup ${h.id}, not ${backupId}`);
          k = contentKey(keyFor(h.keyId), Buffer.from(h.salt, 'base64'), backupId);
          buf = buf.subarray(h.length);
        }
        for (;;) {
          if (finished) {
            if (buf.length > 0) throw new Error('data after the last chunk');
            break;
          }
          if (buf.length < 4) break;
          const n = buf.readUInt32BE(0);
          if (n > CHUNK) throw new Error('chunk longer than any this format writes');
          if (buf.length < 4 + n + TAG) break;
          const body = buf.subarray(4, 4 + n);
          const tag = buf.subarray(4 + n, 4 + n + TAG);
          // A full-size chunk may still be the last; a short one must be.
          let plain: Buffer;
          if (n < CHUNK) {
            plain = open(body, tag, true);
            finished = true;
          } else {
            try {
              plain = open(body, tag, false);
            } catch {
              plain = open(body, tag, true);
              finished = true;
            }
          }
          buf = buf.subarray(4 + n + TAG);
          this.push(plain);
        }
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      done(finished ? null : new Error('the backup file is cut short (its last chunk is missing)'));
    },
  });
}

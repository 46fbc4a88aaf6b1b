/**
 * Invariant (P7.2.backup: encrypted backups, protection against damage): what the backup
 * encryption seals opens only whole and unchanged, under the right key and backup id, in
 * constant memory: a flipped byte, a dropped or repeated chunk, a file cut short at a chunk
 * boundary, another backup's id all fail.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, test } from 'node:test';
import { decryptStream, encryptStream } from './backup.crypto.ts';

const KEY = { id: 'bk-test', key: randomBytes(32) };
const CHUNK = 1 << 20;
const seal = (plain: Buffer, id = 'bk-1') =>
  buffer(Readable.from([plain.subarray(0, 7), plain.subarray(7)]).pipe(encryptStream(KEY, id)));
const open = (sealed: Buffer, id = 'bk-1') =>
  buffer(Readable.from([sealed]).pipe(decryptStream(() => KEY.key, id)));

describe('backup encryption', () => {
  test('P7.2.backup sealed backups of every size open to the same bytes', async () => {
    for (const n of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5]) {
      const plain = randomBytes(n);
      const sealed = await seal(plain);
      // No plaintext run shows through (16 random bytes cannot recur in the ciphertext by chance;
      // a shorter one could).
      if (n >= 16) assert.ok(!sealed.includes(plain.subarray(0, Math.min(n, 64))), `${n} bytes in the clear`);
      assert.ok((await open(sealed)).equals(plain), `${n} bytes`);
    }
  });

  test('P7.2.backup an altered byte, a file cut at a chunk boundary, a dropped chunk or another id fail', async () => {
    const plain = randomBytes(2 * CHUNK + 10);
    const sealed = await seal(plain);
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 20]! ^= 1;
    await assert.rejects(open(flipped));
    const header = sealed.length - 2 * (4 + CHUNK + 16) - (4 + 10 + 16);
    const frame = 4 + CHUNK + 16;
    await assert.rejects(open(sealed.subarray(0, header + frame)), /cut short/);
    const dropped = Buffer.concat([sealed.subarray(0, header), sealed.subarray(header + frame)]);
    await assert.rejects(open(dropped));
    await assert.rejects(open(sealed, 'bk-2'), /not bk-2/);
  });
});

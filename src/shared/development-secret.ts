/**
 * Development secrets carry a mark in their own bits, so a development key can never be
 * passed off as a production one by editing a `"development": false` into its file.
 *
 * Rules (P7.2):
 * - A development secret is 32 random bytes drawn until sha256(MARK ‖ secret) starts with
 *   two zero bytes (about 65,000 draws of a cheap hash: tens of milliseconds, once).
 * - A production secret is drawn until it does NOT carry the mark, so our own production
 *   keys are never refused. A key made elsewhere carries it by chance with probability
 *   1/65,536; it is refused with a message saying to make another.
 * - Production refuses any key file holding a marked secret, whatever its flag says.
 */
import { createHash, randomBytes } from 'node:crypto';

const MARK = Buffer.from('civitas development secret v1\0');

export function isDevelopmentSecret(secret: Buffer): boolean {
  const h = createHash('sha256').update(MARK).update(secret).digest();
  return h[0] === 0 && h[1] === 0;
}

export function newSecret(development: boolean): Buffer {
  for (;;) {
    const s = randomBytes(32);
    if (isDevelopmentSecret(s) === development) return s;
  }
}

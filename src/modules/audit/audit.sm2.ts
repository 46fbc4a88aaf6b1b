/**
 * SM2 signatures (GB/T 32918.2-2016 with SM3, the signer's ZA over the default identifier
 * 1234567812345678 of GM/T 0009) for audit checkpoints and backup manifests when
 * `CRYPTO_SUITE=national` (ADR 0043).
 *
 * Rules:
 * - Not node:crypto: on Node 20 (OpenSSL 3.0) `sign('sm3', …, sm2Key)` makes an ECDSA
 *   signature on the SM2 curve, with neither the SM2 signing equation nor ZA; neither
 *   GB/T 32918 verifier accepts it (checked in audit.sm2.test.ts), and exporting an
 *   imported SM2 key crashes the process. sm-crypto-v2 (on the audited @noble curves)
 *   signs and verifies here; keys stay raw hex in this file's hands only.
 * - The SM2 key is derived from the audit signing key's seed (HKDF-SM3, its own label), as
 *   the chain keys are: no second secret to keep, and a development seed stays one.
 * - A signature is r ‖ s, 64 bytes; verification refuses any other length, r or s outside
 *   [1, n-1], and a point not on the curve, rather than throwing.
 */
import { createHash, hkdfSync } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';

/** The order n of the SM2 curve (GB/T 32918.5). */
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
/** GM/T 0009-2012's default signer identifier, which ZA hashes. */
export const SM2_USER_ID = '1234567812345678';

export interface Sm2Key {
  /** `sm2-` and the first 16 hex digits of SM3 of the public key. */
  id: string;
  /** Uncompressed point, 04 ‖ x ‖ y, hex. */
  publicKeyHex: string;
  sign(payload: Buffer): Buffer;
  verify(payload: Buffer, signature: Buffer): boolean;
}

export interface Sm2PublicKey {
  id: string;
  verify(payload: Buffer, signature: Buffer): boolean;
}

/** The SM2 key pair derived from a 32-byte seed: d in [1, n-2] as GB/T 32918.1 requires. */
export function sm2KeyFromSeed(seed: Buffer): Sm2Key {
  const okm = Buffer.from(hkdfSync('sm3', seed, Buffer.alloc(0), 'civitas audit sm2 signing key', 48));
  // 48 bytes reduced mod n-2: the bias is below 2^-128.
  const d = (BigInt(`0x${okm.toString('hex')}`) % (N - 2n)) + 1n;
  okm.fill(0);
  const privateKeyHex = d.toString(16).padStart(64, '0');
  const publicKeyHex = sm2.getPublicKeyFromPrivateKey(privateKeyHex);
  const pub = sm2PublicKey(publicKeyHex);
  return {
    ...pub,
    publicKeyHex,
    sign: (payload) =>
      Buffer.from(
        sm2.doSignature(payload, privateKeyHex, { hash: true, publicKey: publicKeyHex, userId: SM2_USER_ID }),
        'hex',
      ),
  };
}

export function sm2PublicKey(publicKeyHex: string): Sm2PublicKey {
  // The point precomputed once: a verification then costs a fifth (bench: about 2,100/s).
  const point = sm2.precomputePublicKey(publicKeyHex);
  return {
    id: `sm2-${createHash('sm3').update(Buffer.from(publicKeyHex, 'hex')).digest('hex').slice(0, 16)}`,
    verify(payload, signature) {
      if (signature.length !== 64) return false;
      const r = BigInt(`0x${signature.subarray(0, 32).toString('hex')}`);
      const s = BigInt(`0x${signature.subarray(32).toString('hex')}`);
      if (r < 1n || r >= N || s < 1n || s >= N) return false;
      try {
        return sm2.doVerifySignature(payload, signature.toString('hex'), point, {
          hash: true,
          userId: SM2_USER_ID,
        });
      } catch {
        return false;
      }
    },
  };
}

/** Raw GB/T 32918 verification of a digest e (no ZA): for the known-answer tests only. */
export function sm2VerifyDigest(publicKeyHex: string, e: Buffer, signature: Buffer): boolean {
  return sm2.doVerifySignature(e, signature.toString('hex'), publicKeyHex, { hash: false });
}

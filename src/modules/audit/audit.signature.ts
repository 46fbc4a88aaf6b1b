/**
 * The platform's own signatures (audit checkpoints, backup manifests): which algorithm
 * signs, and verification by the algorithm and key each signed object records (ADR 0043).
 *
 * Rules:
 * - P7.2 `default` signs with Ed25519, `national` with SM2 (GB/T 32918, SM3, ZA); each
 *   signature travels with its key id and algorithm, so after a move either way the older
 *   signatures still verify.
 * - An algorithm is verified only by the key of that algorithm: an SM2 key id on an
 *   Ed25519 signature (or the reverse) is refused, as is an unknown key id.
 */
import { sign, verify } from 'node:crypto';
import type { SigningKey } from './audit.signing-key.ts';

export const signatureAlgs = ['ed25519', 'sm2-sm3'] as const;
export type SignatureAlg = (typeof signatureAlgs)[number];

export interface Signature {
  keyId: string;
  alg: SignatureAlg;
  signature: Buffer;
}

/** The key id and algorithm that new signatures carry. */
export function signerOf(key: Pick<SigningKey, 'id' | 'sm2' | 'suite'>): {
  keyId: string;
  alg: SignatureAlg;
} {
  return key.suite === 'national' ? { keyId: key.sm2.id, alg: 'sm2-sm3' } : { keyId: key.id, alg: 'ed25519' };
}

/** What signs: the Ed25519 key, the SM2 key, and the suite choosing between them. */
export type SigningKeys = Pick<SigningKey, 'id' | 'privateKey' | 'sm2' | 'suite'>;

export function signPayload(key: SigningKeys, payload: Buffer): Signature {
  const who = signerOf(key);
  const signature = who.alg === 'sm2-sm3' ? key.sm2.sign(payload) : sign(null, payload, key.privateKey);
  return { ...who, signature };
}

/** What verifies: the Ed25519 public key and the SM2 public key, each with its id. */
export type SignatureKeys = Pick<SigningKey, 'id' | 'publicKey'> & {
  sm2: Pick<SigningKey['sm2'], 'id' | 'verify'>;
};

/** Whether `signature` over `payload` verifies with the key and algorithm it names. */
export function payloadVerifies(key: SignatureKeys, s: Signature, payload: Buffer): boolean {
  if (s.alg === 'sm2-sm3') return s.keyId === key.sm2.id && key.sm2.verify(payload, s.signature);
  if (s.alg !== 'ed25519' || s.keyId !== key.id) return false;
  try {
    return verify(null, payload, key.publicKey, s.signature);
  } catch {
    return false;
  }
}

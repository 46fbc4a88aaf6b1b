/**
 * The Ed25519 key that signs audit checkpoints (and, derived from its seed, the chain keys
 * and the SM2 key of the national suite, ADR 0043).
 *
 * Rules:
 * - Development and test generate a key under DATA_DIR/keys on first start, marked
 *   `"development": true`.
 * - Production demands AUDIT_SIGNING_KEY_FILE, refuses a development key, and refuses a
 *   file that group or others can read.
 * - "Development" is read from the key's own bits (src/shared/development-secret.ts), not
 *   only from the file's flag: editing the flag to false does not make a production key.
 * - `CRYPTO_SUITE=national`: new entries are chain 3 (HMAC-SM3) and new checkpoints and
 *   backup manifests are signed with SM2; the Ed25519 key and chain 2 stay to verify what
 *   they made, so a move either way needs no new file.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { Config } from '../../kernel/config/index.ts';
import { isDevelopmentSecret, newSecret } from '../../shared/development-secret.ts';
import { chainKey, type ChainKey } from './audit.chain.ts';
import { sm2KeyFromSeed, type Sm2Key } from './audit.sm2.ts';
import { clock } from '../../kernel/clock.ts';
import { createWholeFile } from '../../shared/whole-file.ts';

const keyFile = z.object({
  type: z.literal('civitas-audit-signing-key'),
  development: z.boolean(),
  createdAt: z.string(),
  privateKeyPkcs8: z.string().min(1),
});

export interface SigningKey {
  id: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Keys the entry chain (derived from the private key, so it never enters the database). */
  chainKey: ChainKey;
  /** Chain 3's key (HMAC-SM3), derived the same way under its own label. */
  chainKey3: ChainKey;
  /** The SM2 key of the national suite, derived from the same seed (audit.sm2.ts). */
  sm2: Sm2Key;
  /** `CRYPTO_SUITE`: which chain new entries use and which key signs new checkpoints. */
  suite: 'default' | 'national';
  development: boolean;
}

export function signingKeyPath(config: Pick<Config, 'auditSigningKeyFile' | 'dataDir'>): string {
  return resolve(config.auditSigningKeyFile ?? join(config.dataDir, 'keys', 'audit-signing-key.json'));
}

/** PKCS#8 DER of an Ed25519 private key is this fixed prefix followed by the 32-byte seed. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Writes a new key file; false when `keepExisting` and another process made one first. */
export function writeSigningKey(path: string, development: boolean, keepExisting = false): boolean {
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, newSecret(development)]),
    format: 'der',
    type: 'pkcs8',
  });
  const body = {
    type: 'civitas-audit-signing-key',
    development,
    createdAt: clock.date().toISOString(),
    privateKeyPkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
  return createWholeFile(path, `${JSON.stringify(body, null, 2)}\n`, { keepExisting });
}

export function loadSigningKey(
  config: Pick<Config, 'auditSigningKeyFile' | 'dataDir' | 'mode'> & { cryptoSuite?: Config['cryptoSuite'] },
): SigningKey {
  const path = signingKeyPath(config);
  const production = config.mode === 'production';
  if (!existsSync(path)) {
    if (production)
      throw new Error(
        `AUDIT_SIGNING_KEY_FILE: ${path} does not exist (create one with \`civitas keys audit --out FILE\`)`,
      );
    writeSigningKey(path, true, true);
  }
  if (production && (statSync(path).mode & 0o077) !== 0) {
    throw new Error(`AUDIT_SIGNING_KEY_FILE: ${path} is readable by group or others; chmod 600 it`);
  }
  const parsed = keyFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`AUDIT_SIGNING_KEY_FILE: ${path} is not a Civitas audit signing key`);
  if (production && parsed.data.development) {
    throw new Error(`AUDIT_SIGNING_KEY_FILE: ${path} is a development key; production needs its own`);
  }
  const privateKey = createPrivateKey({
    key: Buffer.from(parsed.data.privateKeyPkcs8, 'base64'),
    format: 'der',
    type: 'pkcs8',
  });
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
  if (production && isDevelopmentSecret(seed)) {
    throw new Error(
      `AUDIT_SIGNING_KEY_FILE: ${path} was made as a development key (its flag was changed); make a production key with \`civitas keys audit --out FILE\``,
    );
  }
  const publicKey = createPublicKey(privateKey);
  const raw = publicKey.export({ format: 'der', type: 'spki' });
  return {
    id: createHash('sha256').update(raw).digest('hex').slice(0, 16),
    privateKey,
    publicKey,
    chainKey: chainKey(seed),
    chainKey3: chainKey(seed, 3),
    sm2: sm2KeyFromSeed(seed),
    suite: config.cryptoSuite ?? 'default',
    development: parsed.data.development,
  };
}

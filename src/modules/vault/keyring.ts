/**
 * Key management for the vault (ADR 0004).
 *
 * Each data subject has a random 256-bit data key; it encrypts their fields and is stored
 * only wrapped (AES-256-GCM) by a master key from the key manager. Destroying the wrapped
 * data key makes every field of that person unreadable (crypto-shredding).
 *
 * `KeyManager` is the seam for an external KMS. The local implementation keeps master keys
 * and the blind-index key in a JSON keyring file.
 *
 * Rules:
 * - Development and test generate a keyring on first start, marked `"development": true`.
 * - Production refuses a missing keyring, a development keyring, and one readable by group
 *   or others. "Development" is read from the keys' own bits too
 *   (src/shared/development-secret.ts): editing the flag to false does not make it production.
 * - Rotation adds a master key and makes it active; old keys stay to unwrap data keys until
 *   they are rewrapped. A process that meets an unknown key id reloads the file once, so
 *   rotation needs no restart.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import type { Config } from '../../kernel/config/index.ts';
import { isDevelopmentSecret, newSecret } from '../../shared/development-secret.ts';
import { clock } from '../../kernel/clock.ts';
import { createWholeFile } from '../../shared/whole-file.ts';

export interface KeyManager {
  readonly activeKeyId: string;
  /** The algorithm suite new seals use (`CRYPTO_SUITE`); an external KMS keeps its own. */
  readonly suite: Suite;
  wrap(dataKey: Buffer, context: string): Promise<{ keyId: string; wrapped: Buffer }>;
  unwrap(keyId: string, wrapped: Buffer, context: string): Promise<Buffer>;
  /**
   * Keyed hash (HMAC-SHA256, 16 bytes): equal values give equal tokens, the value cannot be
   * recovered. For identifiers other systems hold (pairwise subjects, cookie keys) and the
   * short-lived keys of other modules; it never changes with the suite (ADR 0043).
   */
  blindIndex(field: string, normalisedValue: string): Buffer;
  /**
   * The blind-index token the vault stores for a lookup field, in a suite (ADR 0043):
   * `default` as `blindIndex`; `national` the byte 2 then HMAC-SM3 (16 bytes) under a key
   * derived from the same blind-index key. A stored token records its suite by its length.
   */
  lookupIndex(field: string, normalisedValue: string, suite: Suite): Buffer;
}

const fileSchema = z.object({
  type: z.literal('civitas-keyring'),
  development: z.boolean(),
  activeKeyId: z.string(),
  masterKeys: z.array(z.object({ id: z.string(), key: z.string(), createdAt: z.string() })).min(1),
  blindIndexKey: z.string(),
  /** P7.2.backup keys that encrypt backups, apart from the data keys (src/modules/backup). */
  backupKeys: z
    .array(z.object({ id: z.string(), key: z.string(), createdAt: z.string() }))
    .min(1)
    .optional(),
});
type KeyringFile = z.infer<typeof fileSchema>;

export function keyringPath(config: Pick<Config, 'keyringFile' | 'dataDir'>): string {
  return resolve(config.keyringFile ?? join(config.dataDir, 'keys', 'keyring.json'));
}

const newMasterKey = (development: boolean, prefix = 'mk') => ({
  id: `${prefix}-${clock
    .date()
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14)}-${randomBytes(3).toString('hex')}`,
  key: newSecret(development).toString('base64'),
  createdAt: clock.date().toISOString(),
});

function writeAtomically(path: string, body: KeyringFile, exclusive: boolean): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const text = `${JSON.stringify(body, null, 2)}\n`;
  if (exclusive) {
    // Two processes creating the development keyring at once: the first wins whole, the
    // other reads it (shared/whole-file.ts); the CLI's `keys init` (production) still fails
    // on a taken path.
    createWholeFile(path, text, { keepExisting: body.development });
    return;
  }
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
}

export function createKeyringFile(path: string, development: boolean): void {
  const mk = newMasterKey(development);
  writeAtomically(
    path,
    {
      type: 'civitas-keyring',
      development,
      activeKeyId: mk.id,
      masterKeys: [mk],
      blindIndexKey: newSecret(development).toString('base64'),
      backupKeys: [newMasterKey(development, 'bk')],
    },
    true,
  );
}

function readKeyring(path: string, production: boolean): KeyringFile {
  if (production && (statSync(path).mode & 0o077) !== 0) {
    throw new Error(`KEYRING_FILE: ${path} is readable by group or others; chmod 600 it`);
  }
  const parsed = fileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`KEYRING_FILE: ${path} is not a Civitas keyring`);
  if (production && parsed.data.development) {
    throw new Error(`KEYRING_FILE: ${path} is a development keyring; production needs its own`);
  }
  const secrets = [parsed.data.blindIndexKey, ...parsed.data.masterKeys.map((k) => k.key)];
  if (production && secrets.some((k) => isDevelopmentSecret(Buffer.from(k, 'base64')))) {
    throw new Error(
      `KEYRING_FILE: ${path} was made as a development keyring (its flag was changed); make a production one with \`civitas keys init --out FILE\``,
    );
  }
  return parsed.data;
}

/** Adds a new active master key to the file; returns its id. Data keys are rewrapped separately. */
export function addMasterKey(path: string): string {
  const current = readKeyring(path, false);
  const mk = newMasterKey(current.development);
  writeAtomically(path, { ...current, activeKeyId: mk.id, masterKeys: [...current.masterKeys, mk] }, false);
  return mk.id;
}

/**
 * P7.2.backup the key that encrypts backups: separate from the master keys, so a backup
 * copy never needs the keys that unwrap people's data keys, and one can be replaced without
 * the other. The newest encrypts; older ones stay to read older backups.
 */
export interface BackupKeys {
  active(): { id: string; key: Buffer };
  byId(id: string): Buffer;
}

/** Adds a backup key to a keyring that has none (made before backups existed); returns its id. */
export function addBackupKey(path: string): string {
  const current = readKeyring(path, false);
  const bk = newMasterKey(current.development, 'bk');
  writeAtomically(path, { ...current, backupKeys: [...(current.backupKeys ?? []), bk] }, false);
  return bk.id;
}

export function loadBackupKeys(config: Pick<Config, 'keyringFile' | 'dataDir' | 'mode'>): BackupKeys {
  const path = keyringPath(config);
  const production = config.mode === 'production';
  if (!existsSync(path)) {
    if (production)
      throw new Error(
        `KEYRING_FILE: ${path} does not exist (create one with \`civitas keys init --out FILE\`)`,
      );
    createKeyringFile(path, true);
  }
  let file = readKeyring(path, production);
  if (!file.backupKeys) {
    // A development keyring made before backups existed gets its key; production is told.
    if (production)
      throw new Error(
        `KEYRING_FILE: ${path} has no backup key; add one with \`civitas keys backup\` (P7.2.backup)`,
      );
    addBackupKey(path);
    file = readKeyring(path, production);
  }
  const keys = () => file.backupKeys ?? [];
  if (production && keys().some((k) => isDevelopmentSecret(Buffer.from(k.key, 'base64'))))
    throw new Error(`KEYRING_FILE: ${path} holds a development backup key; production needs its own`);
  return {
    active() {
      const k = keys()[keys().length - 1]!;
      return { id: k.id, key: Buffer.from(k.key, 'base64') };
    },
    byId(id) {
      let k = keys().find((x) => x.id === id);
      if (!k) {
        file = readKeyring(path, production);
        k = keys().find((x) => x.id === id);
      }
      if (!k) throw new Error(`unknown backup key ${id}`);
      return Buffer.from(k.key, 'base64');
    },
  };
}

export function loadLocalKeyManager(
  config: Pick<Config, 'keyringFile' | 'dataDir' | 'mode'> & { cryptoSuite?: Suite },
): KeyManager {
  const suite = config.cryptoSuite ?? 'default';
  const path = keyringPath(config);
  const production = config.mode === 'production';
  if (!existsSync(path)) {
    if (production) {
      throw new Error(
        `KEYRING_FILE: ${path} does not exist (create one with \`civitas keys init --out FILE\`)`,
      );
    }
    createKeyringFile(path, true);
  }
  let file = readKeyring(path, production);
  let masters = new Map(file.masterKeys.map((k) => [k.id, Buffer.from(k.key, 'base64')]));
  const blindKey = Buffer.from(file.blindIndexKey, 'base64');
  const blindKeySm3 = expand(blindKey, 'civitas blind index hmac-sm3');
  const blindIndex = (field: string, value: string) =>
    createHmac('sha256', blindKey).update(field).update('\0').update(value).digest().subarray(0, 16);

  let loadedAt = statSync(path).mtimeMs;
  const reload = () => {
    file = readKeyring(path, production);
    masters = new Map(file.masterKeys.map((k) => [k.id, Buffer.from(k.key, 'base64')]));
    loadedAt = statSync(path).mtimeMs;
  };
  const masterFor = (keyId: string): Buffer => {
    let key = masters.get(keyId);
    if (!key) {
      // Another process may have rotated: reload once before giving up.
      reload();
      key = masters.get(keyId);
    }
    if (!key) throw new Error(`unknown master key ${keyId}`);
    return key;
  };

  return {
    get activeKeyId() {
      return file.activeKeyId;
    },
    suite,
    async wrap(dataKey, context) {
      // New data keys go under the newest master key, even if another process rotated.
      if (statSync(path).mtimeMs !== loadedAt) reload();
      const keyId = file.activeKeyId;
      return { keyId, wrapped: seal(masterFor(keyId), dataKey, Buffer.from(`datakey:${context}`), suite) };
    },
    async unwrap(keyId, wrapped, context) {
      return open(masterFor(keyId), wrapped, Buffer.from(`datakey:${context}`));
    },
    blindIndex,
    lookupIndex(field, value, s) {
      if (s === 'default') return blindIndex(field, value);
      const mac = createHmac('sm3', blindKeySm3).update(field).update('\0').update(value).digest();
      return Buffer.concat([NATIONAL_TOKEN, mac.subarray(0, 16)]);
    },
  };
}

/**
 * The envelope of every sealed value, whose first byte records its algorithm suite, so a
 * vault holding both can be moved from one to the other online (`civitas keys rotate
 * --suite`), every value readable throughout (ADR 0043):
 * - 1 `default`: AES-256-GCM: version ‖ iv(12) ‖ tag(16) ‖ ciphertext.
 * - 2 `national` (GB/T 39786-2021): SM4-CTR then HMAC-SM3 over version ‖ iv ‖ aad ‖
 *   ciphertext (encrypt-then-MAC): version ‖ iv(16) ‖ mac(32) ‖ ciphertext. The SM4 key and
 *   the MAC key are derived from the 256-bit key, each for its one use, by HKDF-Expand with
 *   HMAC-SM3 (RFC 5869 §3.3: the key is uniformly random, so no Extract step; one block
 *   each, a tenth of Node's `hkdfSync` call).
 */
export const suites = ['default', 'national'] as const;
export type Suite = (typeof suites)[number];
const VERSION: Record<Suite, number> = { default: 1, national: 2 };

export const suiteOf = (sealed: Buffer): Suite | undefined =>
  sealed[0] === 1 ? 'default' : sealed[0] === 2 ? 'national' : undefined;

/** The first byte a suite's ciphertexts start with (for SQL that finds values to move). */
export const versionOf = (suite: Suite): number => VERSION[suite];

/** Stored lookup tokens: 16 bytes HMAC-SHA256 (`default`), 17 bytes 0x02 ‖ HMAC-SM3 (`national`). */
export const lookupTokenLength = (suite: Suite): number => (suite === 'national' ? 17 : 16);
const NATIONAL_TOKEN = Buffer.from([2]);

const expand = (key: Buffer, info: string) => createHmac('sm3', key).update(info).update(ONE).digest();
const ONE = Buffer.from([1]);
const sm4Keys = (key: Buffer) => ({
  enc: expand(key, 'civitas sm4-ctr').subarray(0, 16),
  mac: expand(key, 'civitas hmac-sm3'),
});

const macOf = (macKey: Buffer, head: Buffer, aad: Buffer, body: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(aad.length);
  return createHmac('sm3', macKey).update(head).update(len).update(aad).update(body).digest();
};

export function seal(key: Buffer, plaintext: Buffer, aad: Buffer, suite: Suite = 'default'): Buffer {
  if (suite === 'national') {
    const k = sm4Keys(key);
    const iv = randomBytes(16);
    const cipher = createCipheriv('sm4-ctr', k.enc, iv);
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const head = Buffer.concat([Buffer.from([VERSION.national]), iv]);
    return Buffer.concat([head, macOf(k.mac, head, aad, body), body]);
  }
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION.default]), iv, cipher.getAuthTag(), body]);
}

export function open(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed[0] === VERSION.national) {
    const k = sm4Keys(key);
    const head = sealed.subarray(0, 17);
    const mac = sealed.subarray(17, 49);
    const body = sealed.subarray(49);
    // Checked before anything is decrypted, in constant time.
    if (mac.length !== 32 || !timingSafeEqual(mac, macOf(k.mac, head, aad, body)))
      throw new Error('ciphertext authentication failed');
    const decipher = createDecipheriv('sm4-ctr', k.enc, sealed.subarray(1, 17));
    return Buffer.concat([decipher.update(body), decipher.final()]);
  }
  if (sealed[0] !== VERSION.default) throw new Error('unknown ciphertext version');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(13, 29));
  return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]);
}

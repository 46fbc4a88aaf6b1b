/**
 * The manifest of a backup: what it holds and how to check it, signed with the audit
 * signing key (Ed25519, or its SM2 key under `CRYPTO_SUITE=national`, ADR 0043), so a
 * restore can refuse a file it did not make.
 *
 * Rules (P7.2.backup):
 * - The signature covers the canonical JSON of every other field; a manifest whose
 *   signature does not verify is refused before any byte of the backup is opened.
 * - `signedBy` and `alg` (absent: Ed25519, as every manifest before SM2) name the key and
 *   algorithm that verify it, so backups made before a move between suites still restore;
 *   `alg` is inside the signed bytes, so it cannot be swapped.
 * - `sha256` is that of the encrypted file as stored: a damaged or swapped file is found
 *   without the backup key.
 * - `recoveryPoint` says to what moment a restore brings the database back.
 * - The manifest holds identifiers, counts and sizes; no personal data.
 */
import { canonicalJson } from '../../shared/canonical-json.ts';
import { payloadVerifies, signPayload, type SignatureKeys, type SigningKeys } from '../audit/index.ts';

export type BackupFormat =
  /** pg_dump custom format of an external database (from its snapshot). */
  | 'pg_dump-custom'
  /** A physical base backup of the embedded cluster with the WAL that makes it consistent. */
  | 'embedded-physical';

export interface Manifest {
  version: 1;
  id: string;
  format: BackupFormat;
  startedAt: string;
  finishedAt: string;
  database: { kind: 'embedded' | 'external'; name: string; serverVersion: string; region: string };
  /** The moment the restored database is at: its WAL position and the time it was read. */
  recoveryPoint: { lsn: string; time: string; timeline?: number };
  /** Physical backups: where the copy began and ended, and the WAL files it carries. */
  wal?: { startLsn: string; stopLsn: string; files: number };
  /** Applied migrations (version → checksum): the schema a restore must find. */
  migrations: Record<string, string>;
  /** Rows per table at the recovery point (what the restore drill compares). */
  rows: Record<string, number>;
  /** How the plain stream was compressed before encryption (pg_dump's custom format compresses itself). */
  compression: 'gzip' | 'none';
  sizes: { plain: number; encrypted: number };
  sha256: string;
  keyId: string;
  signedBy: string;
  /** Absent: Ed25519. */
  alg?: 'sm2-sm3';
  signature?: string;
}

const body = (m: Manifest) => Buffer.from(canonicalJson({ ...m, signature: undefined }));

export function signManifest(m: Manifest, key: SigningKeys): Manifest {
  const national = key.suite === 'national';
  // Any label the input carried is replaced: the signing suite decides it.
  const unsigned: Manifest = {
    ...m,
    alg: undefined,
    signedBy: national ? key.sm2.id : key.id,
    ...(national ? { alg: 'sm2-sm3' as const } : {}),
  };
  const { signature } = signPayload(key, body(unsigned));
  return { ...unsigned, signature: signature.toString('base64') };
}

export function manifestVerifies(m: Manifest, key: SignatureKeys): boolean {
  if (!m.signature) return false;
  const signature = Buffer.from(m.signature, 'base64');
  return payloadVerifies(key, { keyId: m.signedBy, alg: m.alg ?? 'ed25519', signature }, body(m));
}

/** Backup ids sort by time: `bk-20261204T184400Z-<random>`. */
export const backupIdAt = (at: Date, random: string) =>
  `bk-${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${random}`;

export const manifestName = (id: string) => `${id}.manifest.json`;
export const dataName = (id: string) => `${id}.backup`;
export const isManifestName = (name: string) => /^bk-\d{8}T\d{6}Z-[0-9a-f]+\.manifest\.json$/.test(name);

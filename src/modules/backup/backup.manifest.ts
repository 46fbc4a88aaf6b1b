/**
 * The manifest of a backup: what it holds and how to check it, signed with the audit
 * signing key (Ed25519), so a restore can refuse a file it did not make.
 *
 * Rules (P7.2.backup):
 * - The signature covers the canonical JSON of every other field; a manifest whose
 *   signature does not verify is refused before any byte of the backup is opened.
 * - `sha256` is that of the encrypted file as stored: a damaged or swapped file is found
 *   without the backup key.
 * - `recoveryPoint` says to what moment a restore brings the database back.
 * - The manifest holds identifiers, counts and sizes; no personal data.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json.ts';

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
  signature?: string;
}

const body = (m: Manifest) => Buffer.from(canonicalJson({ ...m, signature: undefined }));

export function signManifest(m: Manifest, key: { id: string; privateKey: KeyObject }): Manifest {
  const unsigned = { ...m, signedBy: key.id };
  return { ...unsigned, signature: sign(null, body(unsigned), key.privateKey).toString('base64') };
}

export function manifestVerifies(m: Manifest, key: { id: string; publicKey: KeyObject }): boolean {
  if (!m.signature || m.signedBy !== key.id) return false;
  try {
    return verify(null, body(m), key.publicKey, Buffer.from(m.signature, 'base64'));
  } catch {
    return false;
  }
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

/**
 * Restoring a backup into an empty target: a data directory (a new embedded server) or an
 * empty database named by URL.
 *
 * Rules (P7.2.backup):
 * - The manifest's signature is checked before anything is opened; the file is hashed as
 *   it streams and a hash other than the manifest's fails the restore.
 * - Only an empty target: a data directory that is absent or empty, a database whose
 *   public schema holds nothing. Nothing is ever overwritten.
 * - A physical backup (embedded server) restores into a data directory only; a pg_dump
 *   backup into either (into a directory: a new embedded server, then pg_restore).
 * - The erasure ledger is read and verified before the restore starts (a broken one stops
 *   it), and its erasures are re-applied after (`reapplyErasures`); after a restore made
 *   by an outside tool (pgBackRest), `reapplyLedger` does the same without a manifest.
 */
import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import pg from 'pg';
import { openDatabase, openScratchServer, type Database } from '../../kernel/db/index.ts';
import { grantApplicationRole } from '../../kernel/db/roles.ts';
import { AppError } from '../../kernel/errors.ts';
import type { SigningKey } from '../audit/index.ts';
import type { BackupKeys } from '../vault/index.ts';
import { findBackup, listBackups } from './backup.catalogue.ts';
import { decryptStream } from './backup.crypto.ts';
import type { Destination } from './backup.destination.ts';
import { backupErrors } from './backup.errors.ts';
import { LEDGER, readLedger, type Erasure } from './backup.ledger.ts';
import { startLogicalRestore } from './backup.logical.ts';
import { dataName, type Manifest } from './backup.manifest.ts';
import { isEmptyDir, restorePhysical } from './backup.physical.ts';

export type RestoreTarget = { dir: string } | { url: string };

export interface Restored {
  manifest: Manifest;
  /** The restored database, as the application role (embedded) or as the URL given. */
  db: Database;
  /** Closes the pool and stops a server the restore started. */
  close(): Promise<void>;
}

async function databaseIsEmpty(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public'`,
    );
    return rows[0]!.n === 0;
  } finally {
    await c.end();
  }
}

/** The newest verifying backup whose recovery point is before `time`. */
async function newestBefore(d: Destination, signing: SigningKey, time: Date): Promise<Manifest> {
  const hit = (await listBackups(d, signing))
    .filter((l) => l.verifies && new Date(l.manifest.recoveryPoint.time).getTime() <= time.getTime())
    .pop();
  if (!hit)
    throw new AppError(backupErrors.not_found, `no backup on ${d.name} from before ${time.toISOString()}`);
  return hit.manifest;
}

/** Every destination's erasure ledger, verified, merged (one entry per closure). */
export async function readLedgers(destinations: Destination[], signing: SigningKey): Promise<Erasure[]> {
  const byClosure = new Map<string, Erasure>();
  for (const d of destinations) {
    const { entries } = readLedger(await d.readText(LEDGER), signing, `${d.name} ${d.describe}`);
    for (const e of entries) byClosure.set(e.closureId, e);
  }
  return [...byClosure.values()].sort((a, b) => a.closedAt.getTime() - b.closedAt.getTime());
}

export async function restoreBackup(c: {
  from: Destination;
  id?: string | undefined;
  into: RestoreTarget;
  signing: SigningKey;
  keys: BackupKeys;
  pgBinDir: string | undefined;
  log: (msg: string) => void;
  /**
   * Point-in-time recovery (physical backups): replay the continuous WAL archive past the
   * backup's recovery point up to `time`; the backup is the newest taken before it.
   */
  until?: { time: Date; archiveDir: string } | undefined;
}): Promise<Restored> {
  const manifest =
    c.until && !c.id
      ? await newestBefore(c.from, c.signing, c.until.time)
      : await findBackup(c.from, c.signing, c.id);
  const physical = manifest.format === 'embedded-physical';
  if (c.until && !physical)
    throw new AppError(
      backupErrors.wrong_kind,
      `${manifest.id} is a pg_dump backup: a point in time needs the embedded server's WAL archive (external: pgBackRest, docs/operations.md)`,
    );
  if (c.until && c.until.time.getTime() < new Date(manifest.recoveryPoint.time).getTime())
    throw new AppError(
      backupErrors.not_found,
      `${manifest.id} reaches ${manifest.recoveryPoint.time}, after ${c.until.time.toISOString()}: restore an older backup`,
    );
  if ('url' in c.into) {
    if (physical)
      throw new AppError(
        backupErrors.wrong_kind,
        `${manifest.id} is a physical backup of the embedded server: restore it into a data directory (--into DIR)`,
      );
    if (!(await databaseIsEmpty(c.into.url)))
      throw new AppError(
        backupErrors.target_not_empty,
        'the database already holds tables: give an empty one',
      );
  } else if (!(await isEmptyDir(c.into.dir)))
    throw new AppError(
      backupErrors.target_not_empty,
      `${c.into.dir} is not empty: give an empty or new directory`,
    );

  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _e, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  // Opened only when its reader is ready: a bad first chunk must fail the reader, not the process.
  const opened = async (): Promise<Readable> => {
    const file: Readable = await c.from.read(dataName(manifest.id));
    const decrypted = file.pipe(hashing).pipe(decryptStream((id) => c.keys.byId(id), manifest.id));
    const plain = manifest.compression === 'gzip' ? decrypted.pipe(createGunzip()) : decrypted;
    for (const s of [file, hashing, decrypted]) s.on('error', (err) => plain.destroy(err));
    return plain;
  };
  const checkHash = () => {
    const got = hash.digest('hex');
    if (got !== manifest.sha256)
      throw new AppError(
        backupErrors.bad_hash,
        `${manifest.id}: sha256 ${got}, the manifest says ${manifest.sha256}`,
      );
  };

  if (physical && 'dir' in c.into) {
    const server = await restorePhysical(await opened(), c.into.dir, manifest.id, c.log, c.until);
    const db = openDatabase(server.url(manifest.database.name, 'app'), 4);
    try {
      checkHash();
    } catch (err) {
      await db.close();
      await server.stop();
      throw err;
    }
    return {
      manifest,
      db,
      close: async () => {
        await db.close();
        await server.stop();
      },
    };
  }
  if ('url' in c.into) {
    const plain = await opened();
    const r = startLogicalRestore(c.into.url, c.pgBinDir);
    await Promise.all([pipeline(plain, r.input), r.done]);
    checkHash();
    const db = openDatabase(c.into.url, 4);
    return { manifest, db, close: () => db.close() };
  }
  const scratch = await openScratchServer(c.into.dir, c.log);
  try {
    const plain = await opened();
    const r = startLogicalRestore(scratch.ownerUrl, c.pgBinDir);
    await Promise.all([pipeline(plain, r.input), r.done]);
    checkHash();
    const owner = openDatabase(scratch.ownerUrl, 1);
    await grantApplicationRole(owner, decodeURIComponent(new URL(scratch.appUrl).username)).finally(() =>
      owner.close(),
    );
  } catch (err) {
    await scratch.stop();
    throw err;
  }
  const db = openDatabase(scratch.appUrl, 4);
  return {
    manifest,
    db,
    close: async () => {
      await db.close();
      await scratch.stop();
    },
  };
}

/** Erasures re-applied are those of closures from a day before the backup on (idempotent). */
const MARGIN = 86_400_000;

type Reapplies = { reapply(closureId: string, subjectId: string): Promise<{ reapplied: boolean }> };

/**
 * P7.2.backup re-applies the erasure of every ledger entry closed at `since` or later (every
 * entry without it) to the database `closure` runs on; returns how many people were erased
 * again (the others were already erased in it). The restore of an outside tool (pgBackRest)
 * knows no manifest: it passes the backup's start, or nothing.
 */
export async function reapplyLedger(ledger: Erasure[], closure: Reapplies, since?: Date): Promise<number> {
  let n = 0;
  for (const e of ledger) {
    if (since && e.closedAt.getTime() < since.getTime()) continue;
    if ((await closure.reapply(e.closureId, e.subjectId)).reapplied) n += 1;
  }
  return n;
}

/**
 * The entries a restore of `manifest` re-applies: from a day before the backup started on,
 * so no doubt about clocks near its start leaves anyone out.
 */
export const reapplyFrom = (startedAt: Date | string): Date =>
  new Date(new Date(startedAt).getTime() - MARGIN);

/** P7.2.backup after restoring `manifest`: every ledger entry that may be newer than it. */
export const reapplyErasures = (manifest: Manifest, ledger: Erasure[], closure: Reapplies): Promise<number> =>
  reapplyLedger(ledger, closure, reapplyFrom(manifest.startedAt));

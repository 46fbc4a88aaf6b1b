/**
 * What a destination holds: its manifests, read and checked. There is no catalogue table:
 * the manifests on the destinations are the catalogue, so it survives the loss of the
 * database it describes.
 *
 * Rules (P7.2.backup, P8.1.delete):
 * - A manifest that does not verify is listed as such and never restored.
 * - Pruning deletes every backup older than BACKUP_RETENTION_DAYS (by its start time, on the
 *   platform clock), manifest first so a half-deleted backup is not listed, and files the
 *   destination holds without a manifest once they are as old.
 */
import type { SigningKey } from '../audit/index.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Destination } from './backup.destination.ts';
import { backupErrors } from './backup.errors.ts';
import {
  dataName,
  isManifestName,
  manifestName,
  manifestVerifies,
  type Manifest,
} from './backup.manifest.ts';

export interface Listed {
  manifest: Manifest;
  verifies: boolean;
}

const DAY = 86_400_000;

/** Start time from an id (bk-YYYYMMDDTHHMMSSZ-…), so orphans can be aged without a manifest. */
export function idTime(id: string): Date | undefined {
  const m = /^bk-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-/.exec(id);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : undefined;
}

export async function listBackups(d: Destination, signing: SigningKey): Promise<Listed[]> {
  const out: Listed[] = [];
  for (const name of (await d.list()).filter(isManifestName).sort()) {
    const text = await d.readText(name);
    if (!text) continue;
    const manifest = JSON.parse(text) as Manifest;
    out.push({ manifest, verifies: manifestVerifies(manifest, signing) });
  }
  return out;
}

/** The named backup's manifest (default: the newest), refused if its signature does not verify. */
export async function findBackup(d: Destination, signing: SigningKey, id?: string): Promise<Manifest> {
  const all = await listBackups(d, signing);
  // The newest, even if it does not verify: a restore never falls back to an older one silently.
  const hit = id ? all.find((l) => l.manifest.id === id) : all[all.length - 1];
  if (!hit) throw new AppError(backupErrors.not_found, id ? `${id} on ${d.name}` : `no backup on ${d.name}`);
  if (!hit.verifies)
    throw new AppError(
      backupErrors.bad_signature,
      `${hit.manifest.id} on ${d.name}: its manifest does not verify with audit signing key ${signing.id}`,
    );
  return hit.manifest;
}

export async function pruneBackups(d: Destination, retentionDays: number, now: Date): Promise<string[]> {
  const limit = now.getTime() - retentionDays * DAY;
  const names = await d.list();
  const removed: string[] = [];
  for (const name of names) {
    const id = name.replace(/\.(manifest\.json|backup)$/, '');
    if (id === name) continue;
    const t = idTime(id);
    if (!t || t.getTime() >= limit) continue;
    if (isManifestName(name)) {
      await d.remove(manifestName(id));
      await d.remove(dataName(id));
      removed.push(id);
    } else if (!names.includes(manifestName(id))) await d.remove(name);
  }
  return removed;
}

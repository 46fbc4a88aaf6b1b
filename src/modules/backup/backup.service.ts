/**
 * The backup service the platform, its jobs and the CLI use: back up now, prune, keep the
 * erasure ledger current, run the restore drill. Restores are `restoreBackup` (they need no
 * running source).
 *
 * Rules:
 * - P7.2.backup a run brings the ledger up to date, backs up to every destination, prunes
 *   every destination, and records `backup.made`; any destination failing fails the run.
 * - P7.2.backup P8.1.delete pruning deletes backups older than BACKUP_RETENTION_DAYS on every
 *   destination, and WAL archive files as old (they hold the same people).
 * - P7.2.backup the drill records `backup.verified` with its outcome and fails the job when
 *   the backup did not restore and check out.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from '../../kernel/db/index.ts';
import { clock } from '../../kernel/clock.ts';
import type { AuditService, SigningKey } from '../audit/index.ts';
import type { BackupKeys } from '../vault/index.ts';
import { pruneBackups } from './backup.catalogue.ts';
import type { Destination } from './backup.destination.ts';
import { restoreDrill, type DrillReport } from './backup.drill.ts';
import { syncLedger, type Erasure } from './backup.ledger.ts';
import type { Manifest } from './backup.manifest.ts';
import { makeBackup, type Source } from './backup.run.ts';

export interface BackupDeps {
  db: Database;
  source: Source;
  destinations: Destination[];
  audit: AuditService;
  signing: SigningKey;
  keys: BackupKeys;
  retentionDays: number;
  pgBinDir: string | undefined;
  /** Closed closures from `after` on (the closure module's `closedSince`). */
  closures: (after: Date | undefined) => Promise<Erasure[]>;
  log: (msg: string, detail?: Record<string, unknown>) => void;
}

export interface BackupService {
  readonly destinations: readonly Destination[];
  run(): Promise<{ manifest: Manifest; pruned: number; ledger: number }>;
  prune(now?: Date): Promise<number>;
  syncLedger(): Promise<number>;
  verify(): Promise<DrillReport>;
  close(): Promise<void>;
}

const SYSTEM = { type: 'system' as const, id: 'backup' };
const DAY = 86_400_000;

export function createBackupService(deps: BackupDeps): BackupService {
  const { audit, destinations } = deps;

  async function syncAll(): Promise<number> {
    let n = 0;
    for (const d of destinations) n += await syncLedger(d, deps.signing, deps.closures);
    return n;
  }

  async function pruneArchive(now: Date): Promise<number> {
    const dir = deps.source.embedded?.archiveDir;
    if (!dir) return 0;
    const limit = now.getTime() - deps.retentionDays * DAY;
    let n = 0;
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const s = await stat(join(dir, name)).catch(() => undefined);
      if (s && s.mtimeMs < limit) {
        await rm(join(dir, name), { force: true });
        n += 1;
      }
    }
    return n;
  }

  async function prune(now = clock.date()): Promise<number> {
    let n = 0;
    for (const d of destinations) {
      const removed = await pruneBackups(d, deps.retentionDays, now);
      if (removed.length)
        await audit.append(deps.db, {
          actor: SYSTEM,
          action: 'backup.pruned',
          clause: 'P8.1.delete',
          detail: { destination: d.name, backups: removed },
        });
      n += removed.length;
    }
    await pruneArchive(now);
    return n;
  }

  return {
    destinations,
    async run() {
      const ledger = await syncAll();
      // A checkpoint first, so the restored audit chain is signed up to the backup.
      await audit.checkpoint();
      const { manifest, failed } = await makeBackup({
        source: deps.source,
        destinations,
        keys: deps.keys,
        signing: deps.signing,
        pgBinDir: deps.pgBinDir,
      });
      const written = destinations.filter((d) => !failed.has(d.name)).map((d) => d.name);
      await audit.append(deps.db, {
        actor: SYSTEM,
        action: 'backup.made',
        clause: 'P7.2.backup',
        detail: {
          backup: manifest.id,
          format: manifest.format,
          recoveryPoint: manifest.recoveryPoint.lsn,
          encrypted: manifest.sizes.encrypted,
          destinations: written,
          failed: [...failed.keys()],
        },
      });
      const pruned = await prune();
      if (failed.size)
        throw new Error(
          `backup ${manifest.id} was not written to ${[...failed].map(([n, e]) => `${n} (${e.message})`).join(', ')}`,
        );
      return { manifest, pruned, ledger };
    },
    prune,
    syncLedger: syncAll,
    async verify() {
      const report = await restoreDrill({
        destinations,
        signing: deps.signing,
        keys: deps.keys,
        pgBinDir: deps.pgBinDir,
        log: (m) => deps.log(m),
      });
      await audit.append(deps.db, {
        actor: SYSTEM,
        action: 'backup.verified',
        clause: 'P7.2.backup',
        detail: {
          backup: report.backupId,
          ok: report.ok,
          tables: report.tables,
          problem: report.problems[0]?.slice(0, 300) ?? null,
        },
      });
      return report;
    },
    async close() {
      for (const d of destinations) await d.close();
    },
  };
}

/**
 * The restore drill: the newest backup restored into a scratch PostgreSQL in a temporary
 * directory and checked, so a backup that cannot be restored is found on a schedule, not on
 * the day it is needed.
 *
 * Checks (P7.2.backup: restored and checked automatically; P7.2.audit):
 * 1. every destination holds the backup (manifest and file);
 * 2. the manifest verifies and the file matches its hash (the restore itself refuses otherwise);
 * 3. the restored schema has exactly the migrations the manifest lists, none edited;
 * 4. the audit chain of the restored database verifies (`verifyAuditChain`);
 * 5. every table has the row count the manifest recorded at the recovery point.
 * The scratch server is stopped and its directory removed whatever the outcome.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrationStatus } from '../../kernel/db/index.ts';
import { verifyAuditChain, type SigningKey } from '../audit/index.ts';
import type { BackupKeys } from '../vault/index.ts';
import { listBackups } from './backup.catalogue.ts';
import type { Destination } from './backup.destination.ts';
import { countRows } from './backup.facts.ts';
import { dataName, manifestName } from './backup.manifest.ts';
import { restoreBackup } from './backup.restore.ts';

export interface DrillReport {
  ok: boolean;
  backupId: string | null;
  recoveryPoint: string | null;
  tables: number;
  rows: number;
  auditEntries: number;
  problems: string[];
}

export async function restoreDrill(c: {
  destinations: Destination[];
  signing: SigningKey;
  keys: BackupKeys;
  pgBinDir: string | undefined;
  log: (msg: string) => void;
}): Promise<DrillReport> {
  const report: DrillReport = {
    ok: false,
    backupId: null,
    recoveryPoint: null,
    tables: 0,
    rows: 0,
    auditEntries: 0,
    problems: [],
  };
  const from = c.destinations[0]!;
  const newest = (await listBackups(from, c.signing)).filter((l) => l.verifies).pop()?.manifest;
  if (!newest) {
    report.problems.push(`no verifying backup on ${from.name} ${from.describe}`);
    return report;
  }
  report.backupId = newest.id;
  report.recoveryPoint = `${newest.recoveryPoint.time} (${newest.recoveryPoint.lsn})`;
  for (const d of c.destinations) {
    const names = await d.list().catch(() => undefined);
    if (!names) report.problems.push(`${d.name} ${d.describe} cannot be listed`);
    else if (!names.includes(manifestName(newest.id)) || !names.includes(dataName(newest.id)))
      report.problems.push(`${d.name} ${d.describe} does not hold ${newest.id}`);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'civitas-drill-'));
  chmodSync(tmp, 0o711); // as root the scratch server runs as `postgres` and must traverse it
  try {
    const restored = await restoreBackup({
      from,
      id: newest.id,
      into: { dir: join(tmp, 'data') },
      signing: c.signing,
      keys: c.keys,
      pgBinDir: c.pgBinDir,
      log: c.log,
    });
    try {
      const status = await migrationStatus(restored.db);
      const expected = Object.keys(newest.migrations).map(Number);
      if (status.applied.join() !== expected.join())
        report.problems.push(
          `migrations ${status.applied.join(',')} restored, the manifest lists ${expected.join(',')}`,
        );
      if (status.edited.length)
        report.problems.push(`migrations edited since applied: ${status.edited.join(', ')}`);
      const audit = await verifyAuditChain(restored.db, c.signing);
      report.auditEntries = audit.entries;
      if (!audit.ok) report.problems.push(`audit chain does not verify: ${JSON.stringify(audit.problem)}`);
      const client = await restored.db.pool.connect();
      try {
        const { rows } = await countRows(client);
        const names = new Set([...Object.keys(rows), ...Object.keys(newest.rows)]);
        report.tables = names.size;
        for (const t of [...names].sort()) {
          report.rows += rows[t] ?? 0;
          if (rows[t] !== newest.rows[t])
            report.problems.push(
              `${t}: ${rows[t] ?? 'missing'} rows restored, ${newest.rows[t] ?? 'none'} backed up`,
            );
        }
      } finally {
        client.release();
      }
    } finally {
      await restored.close();
    }
  } catch (err) {
    report.problems.push(`restore failed: ${(err as Error).message.slice(0, 500)}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  report.ok = report.problems.length === 0;
  return report;
}

export function formatDrill(r: DrillReport): string {
  return [
    `restore drill: ${r.ok ? 'passed' : 'FAILED'}${r.backupId ? ` (backup ${r.backupId}, recovery point ${r.recoveryPoint})` : ''}`,
    `  tables compared: ${r.tables}, rows: ${r.rows}, audit entries verified: ${r.auditEntries}`,
    ...r.problems.map((p) => `  problem: ${p}`),
  ].join('\n');
}

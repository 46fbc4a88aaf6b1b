/**
 * The backup destinations, from the configuration, and the rules they must meet before
 * the platform starts or a backup runs.
 *
 * Rules:
 * - P6.1 every destination declares its region (the directory defaults to the database's,
 *   STORAGE_REGION; the SFTP server has no default) and a region other than
 *   DATA_RESIDENCY_REGION is refused, naming the destination and the clause.
 * - P8.1.delete BACKUP_RETENTION_DAYS is at most the erasure deadline
 *   (RIGHTS_CANCELLATION_WORKING_DAYS: that many calendar days never end after that many
 *   working days), so no backup outlives an erasure by more than the deadline (ADR 0004).
 * - P7.2.backup production refuses fewer than two destinations; elsewhere one is enough and
 *   the start says where the second is configured.
 */
import { join } from 'node:path';
import type { Config } from '../../kernel/config/index.ts';
import { AppError } from '../../kernel/errors.ts';
import { directoryDestination, type Destination } from './backup.destination.ts';
import { backupErrors } from './backup.errors.ts';
import { parseSftpUrl, sftpDestination } from './backup.sftp.ts';

export type BackupConfig = Pick<
  Config,
  | 'mode'
  | 'dataDir'
  | 'residencyRegion'
  | 'storageRegion'
  | 'backupDir'
  | 'backupDirRegion'
  | 'backupSftpUrl'
  | 'backupSftpKeyFile'
  | 'backupSftpHostKey'
  | 'backupSftpRegion'
  | 'backupRetentionDays'
  | 'rightsCancellationWorkingDays'
>;

interface Declared {
  name: 'directory' | 'sftp';
  describe: string;
  region: string | undefined;
  open: () => Destination;
}

function declared(c: BackupConfig): Declared[] {
  const dir = c.backupDir ?? join(c.dataDir, 'backups');
  const dirRegion = c.backupDirRegion ?? c.storageRegion ?? c.residencyRegion;
  const out: Declared[] = [
    { name: 'directory', describe: dir, region: dirRegion, open: () => directoryDestination(dir, dirRegion) },
  ];
  if (c.backupSftpUrl) {
    const url = c.backupSftpUrl;
    const describe = url.replace(/^sftp:\/\//, '');
    out.push({
      name: 'sftp',
      describe,
      region: c.backupSftpRegion,
      open: () => {
        if (!c.backupSftpKeyFile || !c.backupSftpHostKey)
          throw new Error('BACKUP_SFTP_URL needs BACKUP_SFTP_KEY_FILE and BACKUP_SFTP_HOST_KEY');
        return sftpDestination(
          parseSftpUrl(url, c.backupSftpKeyFile, c.backupSftpHostKey, c.backupSftpRegion!),
        );
      },
    });
  }
  return out;
}

/** Throws the first rule the configuration breaks; returns what the start should say. */
export function checkBackupConfig(c: BackupConfig): { notes: string[] } {
  const all = declared(c);
  for (const d of all) {
    if (!d.region)
      throw new AppError(
        backupErrors.outside_region,
        `backup destination ${d.name} (${d.describe}) declares no region: set BACKUP_SFTP_REGION (P6.1)`,
      );
    if (d.region !== c.residencyRegion)
      throw new AppError(
        backupErrors.outside_region,
        `backup destination ${d.name} (${d.describe}) is in region ${d.region}, outside DATA_RESIDENCY_REGION ${c.residencyRegion}: refused (P6.1)`,
      );
  }
  if (c.backupSftpUrl && (!c.backupSftpKeyFile || !c.backupSftpHostKey))
    throw new Error('BACKUP_SFTP_URL needs BACKUP_SFTP_KEY_FILE and BACKUP_SFTP_HOST_KEY');
  if (c.backupRetentionDays > c.rightsCancellationWorkingDays)
    throw new AppError(
      backupErrors.retention_too_long,
      `BACKUP_RETENTION_DAYS ${c.backupRetentionDays} is longer than the erasure deadline of ${c.rightsCancellationWorkingDays} days (RIGHTS_CANCELLATION_WORKING_DAYS): a backup would outlive an erasure (P8.1.delete, ADR 0004)`,
    );
  if (c.mode === 'production' && all.length < 2)
    throw new AppError(
      backupErrors.too_few_destinations,
      'production keeps backups on at least two servers: set BACKUP_SFTP_URL for the off-site copy (P7.2.backup)',
    );
  const notes = all.map((d) => `backups go to ${d.name} ${d.describe} (region ${d.region})`);
  if (all.length < 2)
    notes.push(
      'only one backup destination: set BACKUP_SFTP_URL (with BACKUP_SFTP_KEY_FILE, BACKUP_SFTP_HOST_KEY, BACKUP_SFTP_REGION) for the off-site copy (docs/operations.md "Backups")',
    );
  return { notes };
}

/** The destinations, checked; each opens its connection on first use. */
export function backupDestinations(c: BackupConfig): Destination[] {
  checkBackupConfig(c);
  return declared(c).map((d) => d.open());
}

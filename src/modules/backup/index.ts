export { createBackupService, type BackupService, type BackupDeps } from './backup.service.ts';
export { checkBackupConfig, backupDestinations, type BackupConfig } from './backup.plan.ts';
export {
  restoreBackup,
  readLedgers,
  reapplyErasures,
  reapplyLedger,
  reapplyFrom,
  type Restored,
  type RestoreTarget,
} from './backup.restore.ts';
export { formatDrill, type DrillReport } from './backup.drill.ts';
export { listBackups, findBackup, type Listed } from './backup.catalogue.ts';
export { directoryDestination, type Destination } from './backup.destination.ts';
export { sftpDestination, type SftpTarget } from './backup.sftp.ts';
export { LEDGER, type Erasure } from './backup.ledger.ts';
export { dataName, manifestName, manifestVerifies, type Manifest } from './backup.manifest.ts';
export { backupErrors } from './backup.errors.ts';
export type { Source } from './backup.run.ts';
export { backupData } from './backup.data.ts';

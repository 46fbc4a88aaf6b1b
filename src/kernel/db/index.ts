export {
  openStorage,
  openScratchServer,
  type Storage,
  type EmbeddedCluster,
  type ScratchServer,
} from './storage.ts';
export { embeddedPaths, startEmbedded } from './embedded.ts';
export { openDatabase, type Database, type Queryable } from './database.ts';
export { migrate, migrationStatus, listMigrations, appliedMigrations } from './migrate.ts';
export { dbData } from './db.data.ts';
export {
  ensurePartitions,
  ensureCurrentPartitions,
  monthPartitions,
  defaultPartitionRows,
  dropPartition,
  type MonthPartition,
  type PartitionedLog,
} from './partitions.ts';

/**
 * What the backup module holds about a person in the database: nothing (it owns no table).
 * Outside it, on the backup destinations, are copies of the whole database, which expire
 * after BACKUP_RETENTION_DAYS (at most the erasure deadline), and the erasure ledger, which
 * holds per closed account only its closure id, the pseudonymous subject id and a time:
 * kept so a restore can erase that person again (P7.2.backup, ADR 0042).
 */
import { declareSubjectData } from '../../kernel/subject-data.ts';

export const backupData = declareSubjectData(import.meta.url, {});

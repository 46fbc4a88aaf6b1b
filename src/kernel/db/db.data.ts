/** The database layer's own table holds no subject data (kernel/subject-data.ts). */
import { declareSubjectData } from '../subject-data.ts';

export const dbData = declareSubjectData(import.meta.url, {
  schema_migration: { none: 'the migrations applied: version, name, checksum' },
});

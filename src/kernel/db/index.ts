export { openStorage, type Storage } from './storage.ts';
export { openDatabase, type Database, type Queryable } from './database.ts';
export { migrate, migrationStatus, listMigrations } from './migrate.ts';
export { dbData } from './db.data.ts';

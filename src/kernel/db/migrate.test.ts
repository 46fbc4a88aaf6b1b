/**
 * Invariant: migrating a fresh database produces exactly the reviewed schema
 * (schema.snapshot.txt) on every supported PostgreSQL; migrations are forward-only and
 * never edited after they are applied; several processes starting at once migrate once.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { listMigrations, migrate, migrationStatus } from './migrate.ts';
import { schemaSnapshot } from './schema-snapshot.ts';

const committed = readFileSync(new URL('./schema.snapshot.txt', import.meta.url), 'utf8');
let fresh: TestDatabase;

describe('migrations', () => {
  before(async () => {
    fresh = await createTestDatabase('empty');
  });
  after(() => fresh.drop());

  test('a fresh database migrated from zero equals the committed schema', async () => {
    // Several processes start at once against the same empty database.
    const applied = await Promise.all([migrate(fresh.db), migrate(fresh.db), migrate(fresh.db)]);
    assert.deepEqual(applied.sort(), [0, 0, listMigrations().length]);
    assert.equal(
      await schemaSnapshot(fresh.db),
      committed,
      'run `npm run db:snapshot` after adding a migration',
    );
  });

  test('migrating again changes nothing and status is current', async () => {
    assert.equal(await migrate(fresh.db), 0);
    const s = await migrationStatus(fresh.db);
    assert.deepEqual(s.pending, []);
    assert.deepEqual(s.edited, []);
  });

  test('a migration edited after it was applied stops the start', async () => {
    await fresh.db.query(`UPDATE schema_migration SET checksum = 'tampered' WHERE version = 1`);
    assert.deepEqual((await migrationStatus(fresh.db)).edited, [1]);
    await assert.rejects(migrate(fresh.db), /migration 1_foundation was edited after it was applied/);
  });

  test('migration files are numbered without gaps', () => {
    listMigrations().forEach((m, i) => assert.equal(m.version, i + 1, `${m.version}_${m.name}`));
  });
});

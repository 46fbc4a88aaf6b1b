/**
 * Backups at a million people (issue 15, P7.2.backup): BENCH_BACKUP_PEOPLE (default
 * 1,000,000) people seeded with INSERT … SELECT generate_series at realistic row sizes (a
 * vault subject with its wrapped key, three encrypted fields of which two carry a blind
 * index, an account with an argon2id-sized hash), then timed:
 *
 *   bench: backup-1m   one backup to two directory destinations (dump, encrypt, hash, write)
 *   bench: restore-1m  the restore drill of that backup (scratch server, migrations, audit
 *                      chain, row counts)
 *
 * No targets yet: the lines print the figures only. Without DATABASE_URL the bench runs
 * its own embedded data directory (a physical backup, as `npm start` makes); with it, the
 * bench's database on that server (pg_dump, which must be as new as the server).
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { loadConfig } from '../src/kernel/config/index.ts';
import { openStorage, type Database } from '../src/kernel/db/index.ts';
import { createAuditService, loadSigningKey } from '../src/modules/audit/index.ts';
import { createBackupService, directoryDestination } from '../src/modules/backup/index.ts';
import { loadBackupKeys } from '../src/modules/vault/index.ts';
import { context, fmt, type BenchContext } from './lib.ts';

const PEOPLE = Number(process.env.BENCH_BACKUP_PEOPLE ?? 1_000_000);

const bytes = (seed: string, n: number) =>
  `substring(decode(md5(${seed} || 'a') || md5(${seed} || 'b') || md5(${seed} || 'c') || md5(${seed} || 'd'), 'hex') from 1 for ${n})`;

async function seed(db: Database): Promise<void> {
  await db.query(
    `INSERT INTO vault_subject (id, kind, key_id, wrapped_key)
     SELECT gen_random_uuid(), 'person', 'mk-bench', ${bytes('g::text', 61)} FROM generate_series(1, $1::int) g`,
    [PEOPLE],
  );
  await db.query(
    `INSERT INTO vault_field (subject_id, field, ciphertext, lookup_unique, collected_for, source)
     SELECT s.id, f.field, ${bytes('s.id::text || f.field', 49)},
            CASE WHEN f.indexed THEN ${bytes("'bi' || f.field || s.id::text", 16)} END,
            'identity', 'user'
       FROM vault_subject s, (VALUES ('name', false), ('phone', true), ('id_number', true)) f(field, indexed)`,
  );
  await db.query(
    `INSERT INTO citizen_account (subject_id, password_hash)
     SELECT id, '$argon2id$v=19$m=19456,t=2,p=1$' || encode(${bytes('id::text', 16)}, 'base64') || '$' ||
            encode(${bytes("'h' || id::text", 32)}, 'base64')
       FROM vault_subject`,
  );
  await db.query('ANALYZE');
}

export default async function backup1m(ctx: BenchContext): Promise<void> {
  const external = process.env.DATABASE_URL !== undefined;
  const config = loadConfig({
    CIVITAS_MODE: 'test',
    CIVITAS_DATA_DIR: join(ctx.tmpDir, 'data'),
    LOG_LEVEL: 'silent',
    ...(external ? { DATABASE_URL: ctx.url } : {}),
  });
  const storage = external
    ? { db: ctx.db, kind: 'external' as const, embedded: undefined, close: async () => undefined }
    : await openStorage({ ...config, databasePoolMax: 4 }, () => undefined);
  try {
    const t0 = performance.now();
    await seed(storage.db);
    context(
      `seeded ${PEOPLE} people (subject, 3 fields, account) in ${fmt((performance.now() - t0) / 1000)} s`,
    );
    const signing = loadSigningKey(config);
    const audit = createAuditService({ db: storage.db, key: signing });
    await audit.checkpoint();
    const backup = createBackupService({
      db: storage.db,
      source: { kind: storage.kind, url: storage.db.url, embedded: storage.embedded, region: 'CN' },
      destinations: [
        directoryDestination(join(ctx.tmpDir, 'dest-a'), 'CN'),
        directoryDestination(join(ctx.tmpDir, 'dest-b'), 'CN'),
      ],
      audit,
      signing,
      keys: loadBackupKeys(config),
      retentionDays: 14,
      pgBinDir: undefined,
      closures: async () => [],
      log: () => undefined,
    });
    const b0 = performance.now();
    const { manifest } = await backup.run();
    const took = (performance.now() - b0) / 1000;
    console.log(`bench: backup-1m = ${fmt(took)} s (no target yet)`);
    context(
      `backup ${manifest.format}: ${fmt(manifest.sizes.plain / 1048576)} MiB read, ${fmt(manifest.sizes.encrypted / 1048576)} MiB encrypted per destination, 2 destinations, ${fmt(manifest.sizes.plain / 1048576 / took)} MiB/s`,
    );
    const r0 = performance.now();
    const report = await backup.verify();
    console.log(`bench: restore-1m = ${fmt((performance.now() - r0) / 1000)} s (no target yet)`);
    context(
      `restore drill ${report.ok ? 'passed' : `FAILED: ${report.problems.join('; ')}`}: ${report.rows} rows in ${report.tables} tables`,
    );
    await backup.close();
  } finally {
    await storage.close();
  }
}

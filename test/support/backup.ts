/**
 * A database to back up, of the kind this test run uses: with the embedded test server
 * (`npm test`), a platform data directory of its own with its embedded PostgreSQL (a
 * physical backup, as `npm start` makes); with DATABASE_URL (CI's second run), a test
 * database on that server (pg_dump); or a database the test brings. Services come from the
 * platform's own wiring.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/kernel/config/index.ts';
import { openStorage, type Database, type Storage } from '../../src/kernel/db/index.ts';
import { checkpointExportPath, loadSigningKey, type SigningKey } from '../../src/modules/audit/index.ts';
import {
  createBackupService,
  directoryDestination,
  type BackupService,
  type Destination,
} from '../../src/modules/backup/index.ts';
import { loadBackupKeys, loadLocalKeyManager, type BackupKeys } from '../../src/modules/vault/index.ts';
import { createLogger, createWiring, type Services } from '../../src/wiring.ts';
import { createTestDatabase } from './db.ts';

export interface BackupSubject {
  kind: 'embedded' | 'external';
  config: Config;
  tmp: string;
  db: Database;
  storage: Pick<Storage, 'kind' | 'embedded'>;
  signing: SigningKey;
  keys: BackupKeys;
  /** The platform's services on the source database. */
  services: Few;
  /** Builds services on another database (a restored one) with the same keys. */
  servicesOn(db: Database): Promise<{ services: Few; close(): Promise<void> }>;
  backup(destinations: Destination[]): BackupService;
  close(): Promise<void>;
}

type Few = Pick<Services, 'audit' | 'identity' | 'sms' | 'closure' | 'vault'>;

export const embeddedRun = () => process.env.CIVITAS_TEST_EMBEDDED === '1';

async function wire(config: Config, db: Database) {
  const closers: (() => Promise<void>)[] = [];
  const logger = createLogger(config, new Writable({ write: (_c, _e, done) => done() }));
  const w = createWiring({
    config,
    db,
    logger,
    key: loadSigningKey(config),
    exportFile: checkpointExportPath(config),
    keys: loadLocalKeyManager(config),
    oidc: {},
    baseUrl: () => 'http://127.0.0.1:0',
    closers,
  });
  await (await w.audit()).checkpoint();
  const services = {
    audit: await w.audit(),
    identity: await w.identity(),
    sms: await w.sms(),
    closure: await w.closure(),
    vault: await w.vault(),
  };
  services.closure.useQueue(async () => undefined);
  return {
    services,
    close: async () => {
      for (const c of closers.reverse()) await c();
    },
  };
}

/**
 * `database`: an empty database on a server the test runs itself (pgBackRest's cluster),
 * migrated here as the platform does at start (DATABASE_OWNER_URL migrates, DATABASE_URL
 * serves), instead of this run's database.
 */
export async function backupSubject(
  env: Record<string, string> = {},
  database?: { url: string; ownerUrl: string },
): Promise<BackupSubject> {
  const tmp = mkdtempSync(join(tmpdir(), 'civitas-backup-'));
  chmodSync(tmp, 0o711); // as root, PostgreSQL runs as `postgres` and must traverse it
  const cleanups: (() => Promise<void>)[] = [];
  try {
    let config: Config;
    let db: Database;
    let storage: Pick<Storage, 'kind' | 'embedded'>;
    const configure = (database: Record<string, string>) =>
      loadConfig({
        CIVITAS_MODE: 'test',
        ...database,
        CIVITAS_DATA_DIR: join(tmp, 'data'),
        LOG_LEVEL: 'silent',
        CLOSURE_COOLING_OFF_DAYS: '0',
        ...env,
      });
    if (database || embeddedRun()) {
      // Opened as the platform opens it: migrated by the owner (embedded, or the given one).
      config = configure(
        database ? { DATABASE_URL: database.url, DATABASE_OWNER_URL: database.ownerUrl } : {},
      );
      const s = await openStorage({ ...config, databasePoolMax: 5 }, () => undefined);
      cleanups.push(() => s.close());
      db = s.db;
      storage = s;
    } else {
      const test = await createTestDatabase('template', 5);
      cleanups.push(() => test.drop());
      config = configure({ DATABASE_URL: test.url });
      db = test.db;
      storage = { kind: 'external' };
    }
    const wired = await wire(config, db);
    cleanups.push(wired.close);
    const signing = loadSigningKey(config);
    const keys = loadBackupKeys(config);
    const services = wired.services;
    return {
      kind: storage.kind,
      config,
      tmp,
      db,
      storage,
      signing,
      keys,
      services,
      servicesOn: (other) => wire(config, other),
      backup: (destinations) =>
        createBackupService({
          db,
          source: { kind: storage.kind, url: db.url, embedded: storage.embedded, region: 'CN' },
          destinations,
          audit: services.audit,
          signing,
          keys,
          retentionDays: config.backupRetentionDays,
          pgBinDir: config.backupPgBinDir,
          closures: (after) => services.closure.closedSince(after, 1_000_000),
          log: () => undefined,
        }),
      async close() {
        for (const c of cleanups.reverse()) await c().catch(() => undefined);
        rmSync(tmp, { recursive: true, force: true });
      },
    };
  } catch (err) {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

export const twoDirectories = (s: BackupSubject): Destination[] => [
  directoryDestination(join(s.tmp, 'dest-a'), 'CN'),
  directoryDestination(join(s.tmp, 'dest-b'), 'CN'),
];

/**
 * The backup commands of `civitas` (docs/operations.md "Backups"):
 *
 *   civitas backup                     back up now to every destination, prune, print the manifest's summary
 *   civitas backup list [--from D]     the backups each destination holds, newest last
 *   civitas backup verify [--json]     the restore drill; exit 1 when it fails
 *   civitas restore --from D [--backup ID] [--until TIME] --into DIR|URL
 *                                      restore into an empty data directory or database (embedded:
 *                                      to a point in time from DATA_DIR/wal-archive), then
 *                                      re-apply the erasures of the ledger newer than the backup
 *   civitas restore --reapply-ledger [--since TIME]
 *                                      after a restore made outside Civitas (pgBackRest): re-apply
 *                                      the ledger's erasures (from a day before TIME on) to the
 *                                      configured database
 *
 * Each refuses what start-up refuses (a destination outside the region, a retention past the
 * erasure deadline: P6.1, P8.1.delete) before touching anything.
 */
import { parseArgs } from 'node:util';
import { Writable } from 'node:stream';
import type { Config } from './kernel/config/index.ts';
import { embeddedPaths, type Database, type Storage } from './kernel/db/index.ts';
import { checkpointExportPath, createAuditService, loadSigningKey } from './modules/audit/index.ts';
import {
  backupDestinations,
  createBackupService,
  formatDrill,
  listBackups,
  readLedgers,
  reapplyErasures,
  reapplyFrom,
  reapplyLedger,
  restoreBackup,
  type BackupService,
} from './modules/backup/index.ts';
import { loadBackupKeys, loadLocalKeyManager } from './modules/vault/index.ts';
import { createLogger, createWiring } from './wiring.ts';

type Say = (msg: string) => void;

/** The platform's wiring on `db`, for the closure service the ledger and the restore need. */
async function wiringOn(config: Config, db: Database) {
  const closers: (() => Promise<void>)[] = [];
  const logger = createLogger({ ...config, logLevel: 'warn' }, new Writable({ write: (_c, _e, d) => d() }));
  const w = createWiring({
    config,
    db,
    logger,
    key: loadSigningKey(config),
    exportFile: checkpointExportPath(config),
    keys: loadLocalKeyManager(config),
    oidc: {},
    baseUrl: () => config.publicUrl ?? '',
    closers,
  });
  return {
    closure: await w.closure(),
    audit: await w.audit(),
    close: async () => {
      for (const c of closers.reverse()) await c();
    },
  };
}

async function serviceFor(
  config: Config,
  storage: Storage,
  say: Say,
): Promise<{ backup: BackupService; close(): Promise<void> }> {
  const w = await wiringOn(config, storage.db);
  const backup = createBackupService({
    db: storage.db,
    source: {
      kind: storage.kind,
      url: storage.db.url,
      embedded: storage.embedded,
      region: config.storageRegion ?? config.residencyRegion,
    },
    destinations: backupDestinations(config),
    audit: w.audit,
    signing: loadSigningKey(config),
    keys: loadBackupKeys(config),
    retentionDays: config.backupRetentionDays,
    pgBinDir: config.backupPgBinDir,
    closures: (after) => w.closure.closedSince(after, 1_000_000),
    log: (m) => say(m),
  });
  return {
    backup,
    close: async () => {
      await backup.close();
      await w.close();
    },
  };
}

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

export async function backupCommand(
  config: Config,
  sub: string | undefined,
  rest: string[],
  withStorage: <T>(fn: (s: Storage) => Promise<T>) => Promise<T>,
  say: Say,
  fail: (msg: string, code?: number) => never,
): Promise<void> {
  backupDestinations(config); // the start-up checks, before any database is opened
  if (sub === 'list') {
    const { values } = parseArgs({ args: rest, options: { from: { type: 'string' } } });
    const signing = loadSigningKey(config);
    for (const d of backupDestinations(config).filter((x) => !values.from || x.name === values.from)) {
      try {
        say(`${d.name} ${d.describe} (region ${d.region}):`);
        for (const l of await listBackups(d, signing))
          say(
            `  ${l.manifest.id}  ${l.manifest.format}  recovery point ${l.manifest.recoveryPoint.time}  ${mib(l.manifest.sizes.encrypted)}${l.verifies ? '' : '  SIGNATURE DOES NOT VERIFY'}`,
          );
      } finally {
        await d.close();
      }
    }
    return;
  }
  if (sub === 'verify') {
    const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } } });
    const report = await withStorage(async (storage) => {
      const s = await serviceFor(config, storage, () => undefined);
      try {
        return await s.backup.verify();
      } finally {
        await s.close();
      }
    });
    say(values.json ? JSON.stringify(report) : formatDrill(report));
    if (!report.ok) process.exitCode = 1;
    return;
  }
  if (sub !== undefined && sub !== 'run') fail(`unknown command: backup ${sub}`, 2);
  await withStorage(async (storage) => {
    const s = await serviceFor(config, storage, say);
    try {
      const { manifest, pruned, ledger } = await s.backup.run();
      say(
        [
          `backup ${manifest.id} (${manifest.format}) written to ${s.backup.destinations.map((d) => `${d.name} ${d.describe}`).join(' and ')}`,
          `  recovery point ${manifest.recoveryPoint.time} (WAL ${manifest.recoveryPoint.lsn})`,
          `  ${mib(manifest.sizes.plain)} dumped, ${mib(manifest.sizes.encrypted)} encrypted (key ${manifest.keyId}), sha256 ${manifest.sha256}`,
          `  ${Object.keys(manifest.rows).length} tables; erasure ledger +${ledger} lines; ${pruned} old backups pruned`,
        ].join('\n'),
      );
    } finally {
      await s.close();
    }
  });
}

/**
 * P7.2.backup after a restore Civitas did not make (pgBackRest, docs/operations.md): the
 * configured database is the restored one; every destination's ledger is verified, then its
 * erasures from a day before `since` on (all of them without it) are re-applied. Idempotent.
 */
async function reapplyCommand(
  config: Config,
  since: Date | undefined,
  withStorage: <T>(fn: (s: Storage) => Promise<T>) => Promise<T>,
  say: Say,
): Promise<void> {
  const destinations = backupDestinations(config);
  const signing = loadSigningKey(config);
  try {
    const ledger = await readLedgers(destinations, signing);
    await withStorage(async ({ db }) => {
      const w = await wiringOn(config, db);
      try {
        const from = since && reapplyFrom(since);
        // Closures this database holds as closed that the ledger lacks point at other
        // destinations (or a ledger behind): said, since the ledger is all this step knows.
        const known = new Set(ledger.map((e) => e.closureId));
        const missing = (await w.closure.closedSince(undefined, 1_000_000)).filter(
          (c) => !known.has(c.closureId),
        ).length;
        const again = await reapplyLedger(ledger, w.closure, from);
        await w.audit.append(db, {
          actor: { type: 'system', id: 'cli' },
          action: 'backup.restored',
          clause: 'P7.2.backup',
          detail: {
            backup: null,
            from: 'outside',
            since: from?.toISOString() ?? null,
            erasuresReapplied: again,
          },
        });
        say(
          [
            `erasure ledger of ${destinations.map((d) => `${d.name} ${d.describe}`).join(' and ')} verified: ${ledger.length} entries`,
            `  ${again} erasures re-applied to this database${from ? ` (closures from ${from.toISOString()} on)` : ' (every entry)'}; the others were already erased here (P7.2.backup)`,
            ...(missing
              ? [
                  `  warning: ${missing} closures closed in this database are not in the ledger: check that BACKUP_DIR and BACKUP_SFTP_URL name the production destinations`,
                ]
              : []),
          ].join('\n'),
        );
      } finally {
        await w.close();
      }
    });
  } finally {
    for (const d of destinations) await d.close();
  }
}

export async function restoreCommand(
  config: Config,
  rest: string[],
  withStorage: <T>(fn: (s: Storage) => Promise<T>) => Promise<T>,
  say: Say,
  fail: (msg: string, code?: number) => never,
) {
  const { values } = parseArgs({
    args: rest,
    options: {
      from: { type: 'string' },
      backup: { type: 'string' },
      into: { type: 'string' },
      until: { type: 'string' },
      'reapply-ledger': { type: 'boolean' },
      since: { type: 'string' },
    },
  });
  if (values['reapply-ledger']) {
    if (values.from || values.into || values.backup || values.until)
      fail(
        '--reapply-ledger works on the configured database: give it no --from, --into, --backup or --until',
        2,
      );
    const since = values.since === undefined ? undefined : new Date(values.since);
    if (since && Number.isNaN(since.getTime()))
      fail('--since needs a time, e.g. 2026-12-04T02:00:00+08:00 (the backup’s start)', 2);
    return reapplyCommand(config, since, withStorage, say);
  }
  if (values.since) fail('--since goes with --reapply-ledger', 2);
  const until = values.until === undefined ? undefined : new Date(values.until);
  if (until && Number.isNaN(until.getTime())) fail('--until needs a time, e.g. 2026-12-04T10:15:00+08:00', 2);
  if (!values.from || !values.into)
    fail(
      'usage: civitas restore --from directory|sftp [--backup ID] [--until TIME] --into DIR|postgres://URL',
      2,
    );
  const destinations = backupDestinations(config);
  const from = destinations.find((d) => d.name === values.from);
  if (!from)
    fail(
      `no backup destination ${values.from}; configured: ${destinations.map((d) => d.name).join(', ')}`,
      2,
    );
  const signing = loadSigningKey(config);
  try {
    // Read and verified first: a broken ledger stops the restore before it starts.
    const ledger = await readLedgers(destinations, signing);
    const into = /^postgres(ql)?:\/\//.test(values.into!) ? { url: values.into! } : { dir: values.into! };
    const restored = await restoreBackup({
      from: from!,
      id: values.backup,
      into,
      signing,
      keys: loadBackupKeys(config),
      pgBinDir: config.backupPgBinDir,
      log: () => undefined,
      until: until ? { time: until, archiveDir: embeddedPaths(config.dataDir).archiveDir } : undefined,
    });
    try {
      const w = await wiringOn(config, restored.db);
      try {
        const again = await reapplyErasures(restored.manifest, ledger, w.closure);
        await createAuditService({ db: restored.db, key: signing }).append(restored.db, {
          actor: { type: 'system', id: 'cli' },
          action: 'backup.restored',
          clause: 'P7.2.backup',
          detail: { backup: restored.manifest.id, from: from!.name, erasuresReapplied: again },
        });
        say(
          [
            `restored ${restored.manifest.id} from ${from!.name} ${from!.describe}: recovery point ${restored.manifest.recoveryPoint.time} (WAL ${restored.manifest.recoveryPoint.lsn})`,
            `  manifest signature and sha256 verified; ${again} erasures from the ledger re-applied (P7.2.backup)`,
            'url' in into
              ? '  next: run `civitas migrate` with DATABASE_URL (and DATABASE_OWNER_URL) pointing at it, to grant the application role'
              : `  next: CIVITAS_DATA_DIR=${into.dir} npm start (keys: the same KEYRING_FILE and AUDIT_SIGNING_KEY_FILE)`,
          ].join('\n'),
        );
      } finally {
        await w.close();
      }
    } finally {
      await restored.close();
    }
  } finally {
    for (const d of destinations) await d.close();
  }
}

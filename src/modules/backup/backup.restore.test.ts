/**
 * Invariant (P7.2.backup): a backup is encrypted, signed and written whole to every
 * destination; the restore drill restores the newest into a scratch server and checks its
 * migrations, audit chain and row counts; a restore refuses a damaged file and a target that
 * is not empty; backups older than BACKUP_RETENTION_DAYS (on the test clock) leave every
 * destination.
 *
 * Runs on this run's database: with the embedded server a physical base backup of a data
 * directory of its own, with DATABASE_URL a pg_dump of a test database.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { manualTime, useTimeSource } from '../../kernel/clock.ts';
import type { AppError } from '../../kernel/errors.ts';
import { backupSubject, twoDirectories, type BackupSubject } from '../../../test/support/backup.ts';
import { registerInProcess } from '../../../test/support/compose.ts';
import {
  backupErrors,
  dataName,
  directoryDestination,
  listBackups,
  manifestName,
  restoreBackup,
  type BackupService,
  type Destination,
  type Manifest,
} from './index.ts';

describe('backups, the restore drill and retention', () => {
  let s: BackupSubject;
  let dests: Destination[];
  let backup: BackupService;
  let made: Manifest;
  before(async () => {
    s = await backupSubject();
    await registerInProcess(s.services, '13512340931', '11010519491231002X');
    dests = twoDirectories(s);
    backup = s.backup(dests);
  });
  after(async () => {
    await backup?.close();
    await s?.close();
  });

  test('P7.2.backup a backup is written encrypted to both destinations, with a signed manifest', async () => {
    made = (await backup.run()).manifest;
    assert.equal(made.format, s.kind === 'embedded' ? 'embedded-physical' : 'pg_dump-custom');
    assert.ok(made.recoveryPoint.lsn.includes('/'), 'the recovery point is a WAL position');
    assert.ok(made.rows.citizen_account! >= 1);
    for (const d of dests) {
      const listed = await listBackups(d, s.signing);
      assert.deepEqual(
        listed.map((l) => [l.manifest.id, l.verifies]),
        [[made.id, true]],
      );
      const file = readFileSync(join(d.describe, dataName(made.id)));
      assert.equal(createHash('sha256').update(file).digest('hex'), made.sha256);
      assert.equal(file.length, made.sizes.encrypted);
      assert.ok(!file.includes(Buffer.from('citizen_account')), 'no table name readable in the file');
    }
    const { rows } = await s.db.query(`SELECT detail FROM audit_entry WHERE action = 'backup.made'`);
    assert.equal(rows.length, 1);
  });

  test('P7.2.backup the restore drill restores the newest backup and finds migrations, audit chain and row counts as backed up', async () => {
    const report = await backup.verify();
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
    assert.equal(report.backupId, made.id);
    assert.ok(report.tables > 30 && report.auditEntries > 0);
    const { rows } = await s.db.query<{ detail: { ok: boolean } }>(
      `SELECT detail FROM audit_entry WHERE action = 'backup.verified'`,
    );
    assert.equal(rows[0]?.detail.ok, true);
  });

  test('P7.2.backup a restore refuses a target that is not empty, and a file altered on a destination', async () => {
    const full = join(s.tmp, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'something'), 'x');
    await assert.rejects(
      restoreBackup({
        from: dests[0]!,
        into: { dir: full },
        signing: s.signing,
        keys: s.keys,
        pgBinDir: undefined,
        log: () => undefined,
      }),
      (err: AppError) => err.code === backupErrors.target_not_empty,
    );
    const file = join(dests[1]!.describe, dataName(made.id));
    const bytes = readFileSync(file);
    bytes[bytes.length - 100]! ^= 0xff;
    writeFileSync(file, bytes);
    await assert.rejects(
      restoreBackup({
        from: dests[1]!,
        into: { dir: join(s.tmp, 'altered') },
        signing: s.signing,
        keys: s.keys,
        pgBinDir: undefined,
        log: () => undefined,
      }),
    );
    const manifest = join(dests[1]!.describe, manifestName(made.id));
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as Manifest;
    writeFileSync(manifest, JSON.stringify({ ...m, rows: { ...m.rows, citizen_account: 0 } }));
    await assert.rejects(
      restoreBackup({
        from: directoryDestination(dests[1]!.describe, 'CN'),
        into: { dir: join(s.tmp, 'resigned') },
        signing: s.signing,
        keys: s.keys,
        pgBinDir: undefined,
        log: () => undefined,
      }),
      (err: AppError) => err.code === backupErrors.bad_signature,
    );
  });

  test('P7.2.backup P8.1.delete backups older than the retention window leave every destination', async () => {
    const days = s.config.backupRetentionDays;
    const time = manualTime(Date.now() + (days + 1) * 86_400_000);
    const restore = useTimeSource(time);
    try {
      const fresh = (await backup.run()).manifest;
      for (const d of dests) {
        const ids = (await listBackups(d, s.signing)).map((l) => l.manifest.id);
        assert.deepEqual(ids, [fresh.id], `${d.name}: only the backup within ${days} days is left`);
        assert.ok(!readdirSync(d.describe).some((f) => f.startsWith(made.id)));
      }
    } finally {
      restore();
    }
  });
});

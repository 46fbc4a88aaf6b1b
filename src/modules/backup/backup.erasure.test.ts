/**
 * Invariant (P7.2.backup: a restore never brings back erased people): a person whose account
 * closed after a backup was taken is erased again when that backup is restored, from the
 * erasure ledger kept beside the backups on every destination: no account, the vault key
 * shredded, and their phone number and ID number free to register again. A ledger line
 * altered on a destination stops the restore instead.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AppError } from '../../kernel/errors.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { backupSubject, twoDirectories, type BackupSubject } from '../../../test/support/backup.ts';
import { registerInProcess } from '../../../test/support/compose.ts';
import {
  backupErrors,
  LEDGER,
  readLedgers,
  reapplyErasures,
  restoreBackup,
  type BackupService,
  type Destination,
  type RestoreTarget,
} from './index.ts';

const PHONE = '13512340931';
const ID_NUMBER = '11010519491231002X';

describe('a restore and the erasure ledger', () => {
  let s: BackupSubject;
  let dests: Destination[];
  let backup: BackupService;
  let erased = '';
  let kept = '';
  let target: TestDatabase | undefined;
  before(async () => {
    s = await backupSubject();
    dests = twoDirectories(s);
    backup = s.backup(dests);
    erased = (await registerInProcess(s.services, PHONE, ID_NUMBER)).subjectId;
    kept = (await registerInProcess(s.services, '13512340932', '110101199003074477')).subjectId;
  });
  after(async () => {
    await backup?.close();
    await target?.drop();
    await s?.close();
  });

  test('P7.2.backup P8.1.delete a person closed after the backup is gone after restoring it, and can register again', async () => {
    const { manifest } = await backup.run();
    await s.services.closure.request(erased, { locale: 'en' });
    assert.equal((await s.services.closure.runDue()).closed, 1);
    assert.equal(await backup.syncLedger(), 2, 'the closure is copied to the ledger on both destinations');
    for (const d of dests) assert.match(readFileSync(join(d.describe, LEDGER), 'utf8'), new RegExp(erased));

    const ledger = await readLedgers(dests, s.signing);
    let into: RestoreTarget = { dir: join(s.tmp, 'restored') };
    if (s.kind === 'external') {
      target = await createTestDatabase('empty', 2);
      into = { url: target.ownerUrl };
    }
    const restored = await restoreBackup({
      from: dests[0]!,
      into,
      signing: s.signing,
      keys: s.keys,
      pgBinDir: undefined,
      log: () => undefined,
    });
    try {
      const count = (sql: string, id: string) =>
        restored.db.query<{ n: number }>(sql, [id]).then((r) => r.rows[0]!.n);
      const accounts = `SELECT count(*)::int AS n FROM citizen_account WHERE subject_id = $1`;
      assert.equal(await count(accounts, erased), 1, 'the backup itself still holds the person');
      const on = await s.servicesOn(restored.db);
      try {
        assert.equal(await reapplyErasures(restored.manifest, ledger, on.services.closure), 1);
        assert.equal(await count(accounts, erased), 0, 'no account');
        assert.equal(await count(accounts, kept), 1, 'the others stay');
        assert.equal(
          await count(
            `SELECT count(*)::int AS n FROM vault_subject WHERE id = $1 AND wrapped_key IS NOT NULL`,
            erased,
          ),
          0,
          'the vault key is shredded',
        );
        assert.equal(await reapplyErasures(restored.manifest, ledger, on.services.closure), 0, 'idempotent');
        // The restored one-time codes and attempt counters still hold the first
        // registration's code (seconds old here; a real restore comes later): they lapse at
        // their retention by keyed hash and say nothing about erasure.
        await restored.db.query('DELETE FROM one_time_code');
        await restored.db.query('DELETE FROM rate_limit');
        const again = await registerInProcess(on.services, PHONE, ID_NUMBER);
        assert.notEqual(again.subjectId, erased, 'the phone and ID number register a new person');
      } finally {
        await on.close();
      }
      assert.equal(manifest.id, restored.manifest.id);
    } finally {
      await restored.close();
    }
  });

  test('P7.2.backup a ledger altered on a destination is refused, naming it, before any restore', async () => {
    const file = join(dests[1]!.describe, LEDGER);
    writeFileSync(file, readFileSync(file, 'utf8').replace(erased, kept));
    await assert.rejects(readLedgers(dests, s.signing), (err: AppError) => {
      assert.equal(err.code, backupErrors.ledger_broken);
      assert.match(err.message, /directory .*dest-b: line 1/);
      return true;
    });
  });
});

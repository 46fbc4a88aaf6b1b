/**
 * Invariant (P7.2.backup: protection against loss): with the embedded server, a restore
 * reaches any moment after the newest backup before it, by replaying the continuous WAL
 * archive (`archive_mode=on`, DATA_DIR/wal-archive): what committed before that moment is
 * there, what committed after is not. External PostgreSQL does this with pgBackRest
 * (docs/operations.md; proved in backup.pgbackrest.test.ts), so this test runs in the
 * embedded run only.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import {
  backupSubject,
  embeddedRun,
  twoDirectories,
  type BackupSubject,
} from '../../../test/support/backup.ts';
import { registerInProcess } from '../../../test/support/compose.ts';
import { restoreBackup, type BackupService } from './index.ts';

/** Closes the current WAL segment and waits until the archive holds it. */
async function archiveNow(s: BackupSubject): Promise<void> {
  const c = new pg.Client({ connectionString: s.storage.embedded!.adminUrl });
  await c.connect();
  try {
    const seg = (await c.query<{ f: string }>('SELECT pg_walfile_name(pg_switch_wal()) AS f')).rows[0]!.f;
    const file = join(s.storage.embedded!.archiveDir, seg);
    const deadline = performance.now() + 60_000;
    while (!existsSync(file) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  } finally {
    await c.end();
  }
}

describe(
  'point-in-time recovery',
  { skip: embeddedRun() ? false : 'the embedded server’s WAL archive; external PostgreSQL uses pgBackRest' },
  () => {
    let s: BackupSubject;
    let backup: BackupService;
    before(async () => {
      s = await backupSubject();
      backup = s.backup(twoDirectories(s));
    });
    after(async () => {
      await backup?.close();
      await s?.close();
    });

    test('P7.2.backup a restore to a moment after the backup has what committed before it and nothing after', async () => {
      const first = (await registerInProcess(s.services, '13512340931', '11010519491231002X')).subjectId;
      await backup.run();
      const second = (await registerInProcess(s.services, '13512340932', '110101199003074477')).subjectId;
      const moment = (await s.db.query<{ t: Date }>('SELECT clock_timestamp() AS t')).rows[0]!.t;
      await new Promise((r) => setTimeout(r, 20));
      const third = (await registerInProcess(s.services, '13512340933', '110101199001010015')).subjectId;
      await archiveNow(s);

      const restored = await restoreBackup({
        from: backup.destinations[0]!,
        into: { dir: join(s.tmp, 'at-moment') },
        signing: s.signing,
        keys: s.keys,
        pgBinDir: undefined,
        log: () => undefined,
        until: { time: moment, archiveDir: s.storage.embedded!.archiveDir },
      });
      try {
        const { rows } = await restored.db.query<{ subject_id: string }>(
          'SELECT subject_id FROM citizen_account',
        );
        const present = new Set(rows.map((r) => r.subject_id));
        assert.ok(present.has(first), 'in the backup');
        assert.ok(present.has(second), 'committed after the backup, before the moment');
        assert.ok(!present.has(third), 'committed after the moment');
      } finally {
        await restored.close();
      }
    });
  },
);

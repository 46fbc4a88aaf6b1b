/**
 * Invariant (P7.2.backup: backups on more than one server): a backup goes to a directory and
 * to an off-site SFTP server at once, each with its manifest, and restores
 * from the SFTP server; a server whose host key is not the configured one gets nothing.
 * Against a real OpenSSH server (Debian's openssh-server, started here on a free port);
 * skipped, saying why, where it is not installed.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { backupSubject, type BackupSubject } from '../../../test/support/backup.ts';
import { registerInProcess } from '../../../test/support/compose.ts';
import { sshdMissing, startSshd, type Sshd } from '../../../test/support/sshd.ts';
import {
  backupDestinations,
  dataName,
  listBackups,
  manifestName,
  restoreBackup,
  sftpDestination,
  type BackupService,
  type Destination,
} from './index.ts';

const missing = sshdMissing();

describe('the SFTP destination', { skip: missing }, () => {
  let sshd: Sshd;
  let s: BackupSubject;
  let dests: Destination[];
  let backup: BackupService;
  before(async () => {
    sshd = await startSshd();
    s = await backupSubject({
      BACKUP_SFTP_URL: sshd.url(),
      BACKUP_SFTP_KEY_FILE: sshd.keyFile,
      BACKUP_SFTP_HOST_KEY: sshd.hostKey,
      BACKUP_SFTP_REGION: 'CN',
    });
    await registerInProcess(s.services, '13512340931', '11010519491231002X');
    dests = backupDestinations(s.config);
    backup = s.backup(dests);
  });
  after(async () => {
    await backup?.close();
    await s?.close();
    await sshd?.stop();
  });

  test('P7.2.backup a backup is written to the directory and to the SFTP server, and restores from the SFTP server', async () => {
    assert.deepEqual(
      dests.map((d) => d.name),
      ['directory', 'sftp'],
    );
    const { manifest } = await backup.run();
    const remote = readdirSync(join(sshd.root, 'backups'));
    assert.ok(remote.includes(manifestName(manifest.id)) && remote.includes(dataName(manifest.id)));
    assert.deepEqual(
      (await listBackups(dests[1]!, s.signing)).map((l) => [l.manifest.id, l.verifies]),
      [[manifest.id, true]],
    );
    const restored = await restoreBackup({
      from: dests[1]!,
      into: { dir: join(s.tmp, 'from-sftp') },
      signing: s.signing,
      keys: s.keys,
      pgBinDir: undefined,
      log: () => undefined,
    });
    try {
      const { rows } = await restored.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM citizen_account',
      );
      assert.equal(rows[0]!.n, manifest.rows.citizen_account);
    } finally {
      await restored.close();
    }
  });

  test('P7.2.backup a server with another host key is refused before anything is sent', async () => {
    const impostor = sftpDestination({
      host: '127.0.0.1',
      port: sshd.port,
      username: sshd.user,
      directory: join(sshd.root, 'impostor'),
      privateKey: readFileSync(sshd.keyFile),
      hostKey: `SHA256:${'A'.repeat(43)}`,
      region: 'CN',
    });
    await assert.rejects(impostor.write('bk-x.backup', Readable.from([Buffer.from('x')])), /host/i);
    await impostor.close();
    assert.equal(existsSync(join(sshd.root, 'impostor')), false);
  });
});

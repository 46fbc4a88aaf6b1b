/**
 * Invariant (P6.1, P8.1.delete, P7.2.backup): the platform does not start with a backup
 * destination outside the data-residency region, with backups kept longer than the erasure
 * deadline, or in production with a single destination; each refusal names the destination
 * or setting and the clause. Development starts with the directory alone and says where the
 * second destination is configured.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { loadConfig } from '../../kernel/config/index.ts';
import type { AppError } from '../../kernel/errors.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { backupErrors, checkBackupConfig } from './index.ts';

const sftp = {
  BACKUP_SFTP_URL: 'sftp://backup@backup.example.cn:2222/srv/civitas',
  BACKUP_SFTP_KEY_FILE: '/nonexistent/key',
  BACKUP_SFTP_HOST_KEY: `SHA256:${'A'.repeat(43)}`,
};
const config = (env: Record<string, string>) =>
  loadConfig({ CIVITAS_MODE: 'test', CIVITAS_DATA_DIR: '/tmp/civitas-plan', ...env });

const refusal =
  (code: string, ...parts: RegExp[]) =>
  (err: AppError) => {
    assert.equal(err.code, code);
    for (const p of parts) assert.match(err.message, p);
    return true;
  };

describe('where backups may go', () => {
  let p: TestPlatform | undefined;
  after(async () => p?.stop());

  test('P6.1 an SFTP destination outside mainland China is refused at start, naming it and the clause', async () => {
    await assert.rejects(
      startTestPlatform({ ...sftp, BACKUP_SFTP_REGION: 'HK' }),
      refusal(
        backupErrors.outside_region,
        /sftp \(backup@backup\.example\.cn:2222\/srv\/civitas\)/,
        /HK/,
        /P6\.1/,
      ),
    );
  });

  test('P6.1 a backup directory declared in another region is refused, and an SFTP server without a region too', () => {
    assert.throws(
      () => checkBackupConfig(config({ BACKUP_DIR: '/mnt/backups', BACKUP_DIR_REGION: 'SG' })),
      refusal(backupErrors.outside_region, /directory \(\/mnt\/backups\)/, /SG/, /P6\.1/),
    );
    assert.throws(
      () => checkBackupConfig(config(sftp)),
      refusal(backupErrors.outside_region, /no region/, /P6\.1/),
    );
    assert.doesNotThrow(() => checkBackupConfig(config({ ...sftp, BACKUP_SFTP_REGION: 'CN' })));
  });

  test('P8.1.delete backups kept longer than the erasure deadline are refused, naming the setting and the clause', () => {
    assert.throws(
      () => checkBackupConfig(config({ BACKUP_RETENTION_DAYS: '30' })),
      refusal(backupErrors.retention_too_long, /BACKUP_RETENTION_DAYS 30/, /15 days/, /P8\.1\.delete/),
    );
    assert.doesNotThrow(() => checkBackupConfig(config({ BACKUP_RETENTION_DAYS: '15' })));
  });

  test('P7.2.backup production needs a second destination; development says where it is configured', async () => {
    assert.throws(
      () => checkBackupConfig({ ...config({}), mode: 'production' }),
      refusal(backupErrors.too_few_destinations, /BACKUP_SFTP_URL/, /P7\.2\.backup/),
    );
    p = await startTestPlatform();
    const said = p.logs.join('');
    assert.match(said, /backups go to directory .*backups \(region CN\)/);
    assert.match(said, /set BACKUP_SFTP_URL .* for the off-site copy/);
  });
});

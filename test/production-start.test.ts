/**
 * Invariant (ADR 0020): a production start never loads development fake code. `civitas
 * serve` runs in production mode, with every outside system configured, in a child process
 * whose ESM loader records every module it resolves and loads; no module under src/dev/
 * is among them. The same start in test mode loads src/dev/ (the recorder sees it, so the
 * first result is not vacuous).
 */
import { newVapidKeys } from '../src/adapters/push.ts';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { writeSigningKey } from '../src/modules/audit/index.ts';
import { createKeyringFile } from '../src/modules/vault/index.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';

const root = mkdtempSync(join(tmpdir(), 'civitas-prod-start-'));
chmodSync(root, 0o711);
const token = 'outside-system-token-0123456789';

/** Starts `civitas serve` with `env`, waits until it is ready, stops it; returns the modules it loaded. */
async function startAndStop(name: string, env: Record<string, string>): Promise<string[]> {
  const record = join(root, `${name}.loads`);
  mkdirSync(join(root, name));
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && k !== 'DATABASE_URL' && k !== 'NODE_ENV' && !k.startsWith('CIVITAS_')) base[k] = v;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', './test/support/record-loads.mjs', 'src/cli.ts', 'serve'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...base, ...env, CIVITAS_LOAD_RECORD: record, PORT: '0', LOG_LEVEL: 'warn' },
    },
  );
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const deadline = Date.now() + 60_000;
  while (!out.includes('Civitas is ready') && child.exitCode === null && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  const ready = out.includes('Civitas is ready');
  child.kill('SIGTERM');
  const code = await exited;
  assert.ok(ready, `${name} start did not become ready:\n${out}`);
  assert.equal(code, 0, `${name} stopped cleanly:\n${out}`);
  assert.ok(existsSync(record), 'the loader recorded the modules');
  return readFileSync(record, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('load '))
    .map((l) => l.slice('load '.length));
}

const underDev = (urls: string[]) => urls.filter((u) => u.includes('/src/dev/'));

describe('production start and development fakes', () => {
  let database: TestDatabase;
  after(async () => {
    await database?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  test(
    'a production start loads no module under src/dev/; a test-mode start does',
    { timeout: 180_000 },
    async () => {
      database = await createTestDatabase();
      const keys = { sign: join(root, 'audit-key.json'), ring: join(root, 'keyring.json') };
      writeSigningKey(keys.sign, false);
      createKeyringFile(keys.ring, false);
      const vapid = newVapidKeys(false);
      const production = await startAndStop('production', {
        CIVITAS_MODE: 'production',
        NODE_ENV: 'production',
        CIVITAS_DATA_DIR: join(root, 'production'),
        DATABASE_URL: database.url,
        DATABASE_OWNER_URL: database.ownerUrl,
        AUDIT_SIGNING_KEY_FILE: keys.sign,
        KEYRING_FILE: keys.ring,
        PUBLIC_URL: 'https://civitas.example',
        // Never called during a start: each client is only constructed.
        SMS_GATEWAY_URL: 'https://sms.example/',
        SMS_GATEWAY_TOKEN: token,
        SMTP_URL: `smtps://civitas:${token}@mail.example:465`,
        COMPANY_REGISTRY_URL: 'https://companies.example/',
        COMPANY_REGISTRY_TOKEN: token,
        POPULATION_REGISTRY_URL: 'https://registry.example/',
        POPULATION_REGISTRY_TOKEN: token,
        FACE_MATCH_URL: 'https://face.example/',
        FACE_MATCH_TOKEN: token,
        BANK_VERIFY_URL: 'https://bank.example/',
        BANK_VERIFY_TOKEN: token,
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY: vapid.privateKey,
        VAPID_SUBJECT: 'mailto:security@civitas.example',
        // P7.2.backup the off-site backup destination (only connected when a backup runs).
        BACKUP_SFTP_URL: 'sftp://backup@backup.example.cn/srv/civitas',
        BACKUP_SFTP_KEY_FILE: join(root, 'no-such-key'),
        BACKUP_SFTP_HOST_KEY: `SHA256:${'A'.repeat(43)}`,
        BACKUP_SFTP_REGION: 'CN',
      });
      assert.ok(
        production.some((u) => u.endsWith('/src/platform.ts')),
        'the recorder saw the platform load (TypeScript modules included)',
      );
      assert.ok(production.some((u) => u.endsWith('/src/adapters/outside-systems.ts')));
      assert.deepEqual(underDev(production), [], 'no development fake code in a production process');

      const development = await startAndStop('test-mode', {
        CIVITAS_MODE: 'test',
        CIVITAS_DATA_DIR: join(root, 'test-mode'),
        DATABASE_URL: database.url,
        // The same keys: the production start above wrote data under them.
        AUDIT_SIGNING_KEY_FILE: keys.sign,
        KEYRING_FILE: keys.ring,
      });
      assert.ok(
        underDev(development).some((u) => u.endsWith('/src/dev/index.ts')),
        'the same start outside production loads the fakes',
      );
    },
  );
});

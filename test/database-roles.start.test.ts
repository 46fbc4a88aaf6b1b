/**
 * Invariant (P7.2, issue 10 items 19 and 21): what the platform connects as is checked at
 * start, not assumed, and a dead database is never hidden.
 * - A production start refuses a superuser (it could switch the audit triggers off), naming
 *   the reason and the way out; development only warns.
 * - An embedded data directory made before the owner and application roles existed (its
 *   database and tables owned by the cluster's bootstrap superuser) is handed over to
 *   `civitas_owner` at the next start, keeping its data, and then served by the
 *   least-privilege `civitas_app`.
 * - Once the embedded postmaster dies, `/healthz` answers 503 (a load balancer stops
 *   sending people to a node that can only fail them).
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadConfig, type Config } from '../src/kernel/config/index.ts';
import { openDatabase } from '../src/kernel/db/database.ts';
import { startEmbedded } from '../src/kernel/db/embedded.ts';
import { migrate } from '../src/kernel/db/migrate.ts';
import { openStorage } from '../src/kernel/db/storage.ts';
import { writeSigningKey } from '../src/modules/audit/index.ts';
import { createKeyringFile } from '../src/modules/vault/index.ts';
import { startPlatform } from '../src/platform.ts';
import { createTestDatabase, urlFor } from './support/db.ts';

const root = mkdtempSync(join(tmpdir(), 'civitas-roles-start-'));
chmodSync(root, 0o711); // as root, PostgreSQL runs as `postgres` and must traverse it
const quiet = () => undefined;
/** The platform's log lines stay out of the test report (this file asserts on outcomes). */
const silent = { logStream: { write: () => undefined } };

describe('database roles at start', () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  test('P7.2 a production start on a superuser connection is refused, saying why and what to do', async () => {
    const t = await createTestDatabase();
    try {
      const dir = join(root, 'prod');
      const keys = { sign: join(root, 'prod-audit-key.json'), ring: join(root, 'prod-keyring.json') };
      writeSigningKey(keys.sign, false);
      createKeyringFile(keys.ring, false);
      const superuser = urlFor(new URL(t.url).pathname.slice(1));
      const base = loadConfig({ CIVITAS_MODE: 'test', CIVITAS_DATA_DIR: dir, DATABASE_URL: superuser });
      const config: Config = {
        ...base,
        mode: 'production',
        auditSigningKeyFile: keys.sign,
        keyringFile: keys.ring,
        // P7.2.backup production keeps backups on two servers (never reached during a start).
        backupSftpUrl: 'sftp://backup@backup.example.cn/srv/civitas',
        backupSftpKeyFile: join(root, 'no-such-key'),
        backupSftpHostKey: `SHA256:${'A'.repeat(43)}`,
        backupSftpRegion: 'CN',
      };
      await assert.rejects(
        startPlatform(config, silent),
        /refusing to start: database role \S+ is a superuser\. Connect DATABASE_URL as the application role and run migrations with DATABASE_OWNER_URL/,
      );
      // The same connection in development starts, with a warning (a developer's own machine).
      const dev = await startPlatform({ ...base, port: 0 }, silent);
      await dev.close();
    } finally {
      await t.drop();
    }
  });

  test('P7.2 an embedded data directory owned by the bootstrap superuser is handed to civitas_owner with its data', async () => {
    const dataDir = join(root, 'legacy');
    // As an earlier Civitas made it: one superuser owning the database and every table.
    const server = await startEmbedded(dataDir, quiet);
    try {
      const admin = openDatabase(server.url('postgres'), 1);
      await admin.query('CREATE DATABASE civitas');
      await admin.close();
      const legacy = openDatabase(server.url('civitas'), 1);
      await migrate(legacy, quiet);
      await legacy.query(
        `INSERT INTO department (slug, name, position) VALUES ('legacy-dept', '{"en":"Legacy"}', 99)`,
      );
      await legacy.close();
    } finally {
      await server.stop();
    }

    const storage = await openStorage({ dataDir, databaseUrl: undefined, databasePoolMax: 2 }, quiet);
    try {
      assert.deepEqual(storage.roleProblems, [], 'served by the least-privilege application role');
      const { rows: who } = await storage.db.query<{ u: string }>('SELECT current_user AS u');
      assert.equal(who[0]!.u, 'civitas_app');
      const { rows: owners } = await storage.db.query<{ owner: string; n: string }>(
        `SELECT pg_get_userbyid(c.relowner) AS owner, count(*) AS n
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'S') GROUP BY 1`,
      );
      assert.deepEqual(
        owners.map((r) => r.owner),
        ['civitas_owner'],
        'every table and sequence now belongs to the owner role',
      );
      const { rows } = await storage.db.query<{ slug: string }>(
        `SELECT slug FROM department WHERE slug = 'legacy-dept'`,
      );
      assert.equal(rows.length, 1, 'the data made before the handover is still there');
      await assert.rejects(
        storage.db.query('ALTER TABLE department ADD COLUMN x int'),
        /must be owner/,
        'the application role cannot change the schema',
      );
    } finally {
      await storage.close();
    }
  });

  test('P7.2 /healthz answers 503 once the embedded PostgreSQL has died', { timeout: 120_000 }, async () => {
    const dataDir = join(root, 'dies');
    const config = loadConfig({ CIVITAS_MODE: 'test', CIVITAS_DATA_DIR: dataDir, PORT: '0' });
    const p = await startPlatform({ ...config, databaseUrl: undefined }, silent);
    try {
      assert.equal((await fetch(`${p.url}/healthz`)).status, 200);
      const postmaster = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.kill(postmaster, 'SIGKILL');
      let status = 200;
      for (let i = 0; i < 100 && status === 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await fetch(`${p.url}/healthz`)).status;
      }
      assert.equal(status, 503, 'a node whose database died says so');
    } finally {
      await p.close().catch(() => undefined);
    }
  });
});

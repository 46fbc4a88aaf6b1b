/** Starts the whole platform on a test database, as `npm start` would, on a free port. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/kernel/config/index.ts';
import { startPlatform, type Platform } from '../../src/platform.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export interface TestPlatform extends Platform {
  database: TestDatabase;
  config: Config;
  /** Every log line written, for tests that inspect what reached the log. */
  logs: string[];
  stop(): Promise<void>;
}

export async function startTestPlatform(env: Record<string, string> = {}): Promise<TestPlatform> {
  const database = await createTestDatabase();
  const config = loadConfig({
    CIVITAS_MODE: 'test',
    DATABASE_URL: database.url,
    CIVITAS_DATA_DIR: mkdtempSync(join(tmpdir(), 'civitas-data-')),
    PORT: '0',
    LOG_LEVEL: 'info',
    AUDIT_CHECKPOINT_SECONDS: '3600',
    DATABASE_POOL_MAX: '5',
    // Tests drain the outbox themselves (`p.notify.drainOutbox()`), so what they see is settled.
    NOTIFY_DRAIN_SECONDS: '0',
    ...env,
  });
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const platform = await startPlatform(config, { logStream });
  return {
    ...platform,
    database,
    config,
    logs,
    async stop() {
      await platform.close();
      await database.drop();
      // Keys and demo client secrets written for this platform only.
      if (!env.CIVITAS_DATA_DIR) rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}

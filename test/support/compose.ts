/**
 * Builds only the named services, and what they need, on a test database: the platform's
 * own wiring (src/wiring.ts), without Fastify, the OpenID provider or the job runner. For
 * module tests that call services directly; tests that speak HTTP use platform.ts.
 *
 *     const c = await compose(['vault', 'consent']);
 *     await c.vault.createSubject('person');
 *     await c.close();
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/kernel/config/index.ts';
import { checkpointExportPath, loadSigningKey } from '../../src/modules/audit/index.ts';
import { loadLocalKeyManager } from '../../src/modules/vault/index.ts';
import type { LocalSmsGateway } from '../../src/dev/sms.ts';
import { createLogger, createWiring, type ServiceName, type Services } from '../../src/wiring.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export type Composed<N extends ServiceName> = Pick<Services, N> & {
  database: TestDatabase;
  db: TestDatabase['db'];
  config: Config;
  /** Every log line written. */
  logs: string[];
  close(): Promise<void>;
};

export async function compose<const N extends ServiceName>(
  names: readonly N[],
  env: Record<string, string> = {},
): Promise<Composed<N>> {
  const database = await createTestDatabase('template', 5);
  const config = loadConfig({
    CIVITAS_MODE: 'test',
    DATABASE_URL: database.url,
    CIVITAS_DATA_DIR: mkdtempSync(join(tmpdir(), 'civitas-data-')),
    LOG_LEVEL: 'info',
    ...env,
  });
  const logs: string[] = [];
  const logger = createLogger(
    config,
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(chunk.toString());
        done();
      },
    }),
  );
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c();
    await database.drop();
    if (!env.CIVITAS_DATA_DIR) rmSync(config.dataDir, { recursive: true, force: true });
  };
  try {
    const w = createWiring({
      config,
      db: database.db,
      logger,
      key: loadSigningKey(config),
      exportFile: checkpointExportPath(config),
      keys: loadLocalKeyManager(config),
      oidc: {},
      baseUrl: () => 'http://127.0.0.1:0',
      closers,
    });
    // As every platform start does, so the log is never without a checkpoint.
    await (await w.audit()).checkpoint();
    const built: Partial<Services> = {};
    for (const name of names) (built as Record<N, unknown>)[name] = await w[name]();
    return { ...(built as Pick<Services, N>), database, db: database.db, config, logs, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * Registers a person through the identity service, as POST /api/identity/register does
 * (the SMS code read from the local gateway): the same checks, without HTTP.
 */
export async function registerInProcess(
  c: Pick<Services, 'identity' | 'sms'>,
  phone: string,
  idNumber: string,
  opts: { password?: string; name?: string } = {},
): Promise<{ subjectId: string; token: string }> {
  const ctx = { requestId: randomUUID() };
  await c.identity.sendCode(phone, 'register', ctx);
  const code = (c.sms as LocalSmsGateway).lastCode(phone)!;
  const r = await c.identity.register(
    { phone, code, password: opts.password ?? 'a test password', name: opts.name ?? '测试', idNumber },
    ctx,
  );
  if (r.kind !== 'session') throw new Error(`registration asked for ${r.kind}`);
  return { subjectId: r.subjectId, token: r.token };
}

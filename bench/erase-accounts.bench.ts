/**
 * Erasure at closing (P8.5.cancel, P8.1.delete): BENCH_ERASE_ACCOUNTS (default 400)
 * accounts whose cooling-off period has passed are closed by the closing job
 * (`closure.runDue`, what `closure.due` runs), each in its own transaction: account state,
 * every portal and provider session and grant ended, a RISC event enqueued for each of the
 * BENCH_ERASE_SERVICES (default 2) connected services registered for push, the vault key
 * shredded, and every owner's declared erasure run.
 *
 * Each person has what a real account has: an account row, name, phone and ID number in the
 * vault, two sessions, a consent to each service, a grant and an access
 * token per service in the provider's table, notifications, and access-log and audit
 * entries (kept). They are made through the services where it matters (vault, consent,
 * closure.request), the rest by SQL.
 *
 * Timed: `runDue` over all of them; the figure is accounts closed per second, checked
 * afterwards: every account gone, every event queued.
 *
 * Env: BENCH_ERASE_ACCOUNTS, BENCH_ERASE_SERVICES.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { loadConfig } from '../src/kernel/config/index.ts';
import { checkpointExportPath, loadSigningKey } from '../src/modules/audit/index.ts';
import { loadLocalKeyManager } from '../src/modules/vault/index.ts';
import { createLogger, createWiring } from '../src/wiring.ts';
import { testShown } from '../test/support/policy.ts';
import { context, fmt, report, type BenchContext } from './lib.ts';

const ACCOUNTS = Number(process.env.BENCH_ERASE_ACCOUNTS ?? 400);
const SERVICES = Number(process.env.BENCH_ERASE_SERVICES ?? 2);
const DAY = 86_400_000;

export default async function eraseAccounts(ctx: BenchContext): Promise<void> {
  const config = loadConfig({
    CIVITAS_MODE: 'test',
    DATABASE_URL: ctx.url,
    CIVITAS_DATA_DIR: ctx.tmpDir,
    LOG_LEVEL: 'warn',
    DATABASE_POOL_MAX: '10',
  });
  const closers: (() => Promise<void>)[] = [];
  const logger = createLogger(config, new Writable({ write: (_c, _e, done) => done() }));
  const { openDatabase } = await import('../src/kernel/db/database.ts');
  const db = openDatabase(ctx.url, 10);
  const w = createWiring({
    config,
    db,
    logger,
    key: loadSigningKey(config),
    exportFile: checkpointExportPath(config),
    keys: loadLocalKeyManager(config),
    oidc: {},
    baseUrl: () => 'http://127.0.0.1:0',
    closers,
  });
  try {
    const catalogue = await w.catalogue();
    await catalogue.seedDemoIfEmpty();
    const registry = await w.registry();
    const vault = await w.vault();
    const consent = await w.consent();
    const closure = await w.closure();
    const queued: unknown[] = [];
    closure.useQueue(async (q, owed) => {
      await q.query(`INSERT INTO job (name, payload, max_attempts) VALUES ('oidc.security-event', $1, 16)`, [
        JSON.stringify(owed),
      ]);
      queued.push(owed);
    });
    const slugs = (await catalogue.list()).flatMap((d) => d.services.map((s) => s.slug)).slice(0, SERVICES);
    const clients: string[] = [];
    for (const slug of slugs) {
      const clientId = `bench-${slug}`.slice(0, 60);
      await registry.register(
        {
          clientId,
          serviceSlug: slug,
          redirectUris: ['https://dept.example/callback'],
          policyUrl: 'https://dept.example/privacy',
          dpaReference: `DPA-${clientId}`,
          fields: [{ field: 'name', purpose: 'service-provision', retentionDays: 90, required: true }],
          backchannelLogoutUri: 'https://dept.example/backchannel',
          riscPushEndpoint: 'https://dept.example/security-events',
        },
        { type: 'system', id: 'bench' },
      );
      clients.push(clientId);
    }
    const shown = await testShown(db, 'share my name with the service');

    const t0 = performance.now();
    const people: string[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const person = await vault.createSubject('person');
      people.push(person);
      const self = { type: 'self' as const, id: person, label: 'self' };
      const n = String(i).padStart(6, '0');
      await vault.write(
        person,
        { name: '王芳', phone: `139${n}00`, id_number: `11010119900101${n.slice(-3)}X` },
        { source: 'user', purpose: 'service-provision', actor: self },
      );
      await db.query(
        `INSERT INTO citizen_account (subject_id, password_hash, assurance_level) VALUES ($1, 'x', 1)`,
        [person],
      );
      for (const clientId of clients) {
        await consent.give(
          {
            subjectId: person,
            kind: 'share',
            purpose: 'service-provision',
            categories: ['identity'],
            recipient: { type: 'department', id: clientId },
            channel: 'sso-consent-screen',
            shown,
          },
          { type: 'self', id: person },
        );
        const grant = randomUUID();
        await db.query(
          `INSERT INTO oidc_model (kind, id, payload, grant_id, expires_at) VALUES
             ('Grant', $1, jsonb_build_object('accountId', $2::text, 'clientId', $3::text), NULL, now() + interval '1 day'),
             ('AccessToken', $4, jsonb_build_object('accountId', $2::text, 'clientId', $3::text, 'grantId', $1::text), $1, now() + interval '1 hour')`,
          [grant, person, clientId, randomUUID()],
        );
      }
      await closure.request(person, { locale: 'zh-CN' });
    }
    // Sessions, devices, notifications and access entries for everybody, in bulk.
    await db.query(
      `INSERT INTO citizen_session (token_hash, subject_id, device, expires_at)
       SELECT decode(md5(p || g), 'hex'), p::uuid, 'Chrome · Windows', now() + interval '1 day'
         FROM unnest($1::text[]) p, generate_series(1, 2) g`,
      [people],
    );
    await db.query(
      `INSERT INTO vault_access (subject_id, operation, actor_type, actor_id, actor_label, purpose, basis, fields, categories)
       SELECT p::uuid, 'read', 'department', 'tax', 'department:tax', 'service-provision', 'necessity', '{name}', '{identity}'
         FROM unnest($1::text[]) p, generate_series(1, 20) g`,
      [people],
    );
    await db.query('VACUUM ANALYZE');
    context(
      `erase-accounts: ${fmt(ACCOUNTS)} accounts with ${SERVICES} connected services each made in ${fmt((performance.now() - t0) / 1000)} s`,
    );

    const t1 = performance.now();
    const result = await closure.runDue({ now: new Date(Date.now() + 30 * DAY) });
    const seconds = (performance.now() - t1) / 1000;
    const left = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM citizen_account WHERE subject_id = ANY ($1::uuid[])',
      [people],
    );
    if (result.closed !== ACCOUNTS || left.rows[0]!.n !== 0)
      throw new Error(`closed ${result.closed} of ${ACCOUNTS}; ${left.rows[0]!.n} accounts left`);
    if (queued.length !== ACCOUNTS * SERVICES)
      throw new Error(`${queued.length} events queued, ${ACCOUNTS * SERVICES} owed`);
    context(
      `erase-accounts: ${fmt(result.closed)} closed in ${fmt(seconds)} s, ${fmt(queued.length)} security events queued`,
    );
    report('erase-accounts', ACCOUNTS / seconds, 'accounts/s', '>=', 50);
  } finally {
    for (const c of closers.reverse()) await c();
    await db.close();
  }
}

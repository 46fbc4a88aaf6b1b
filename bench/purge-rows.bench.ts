/**
 * The retention purge (P6.2.purge) and what it costs the reads people make meanwhile.
 *
 * Seeded: BENCH_VAULT_SUBJECTS (default 1,000) people with a profile in the vault (read by
 * 16 concurrent support readers, as in vault-read.bench.ts), and BENCH_PURGE_ROWS (default
 * 600,000) rows past their retention across categories, made by SQL: access-log entries
 * (access_record) over three months, in the month partitions they would have been written to
 * (dropped whole, ADR 0044), notifications and their outbox rows (usage of the notice channels),
 * sign-in alerts (session) and used one-time codes (account_security).
 *
 * Timed, in order: (1) 16 readers alone for BENCH_MEASURE_MS: the reference rate; (2) the
 * purge (`retention.run`, what the `retention.purge` job runs: batches of RETENTION_BATCH,
 * children first, SKIP LOCKED) on its own pool while the 16 readers go on until it ends.
 * Figures: rows purged per second during the reads (`purge-rows`, target >= 50,000), and
 * the reads' rate during the purge as a share of the reference (`vault-read-16-during-purge`,
 * target >= 80 %). Checked afterwards: every seeded expired row gone, the reads' rows kept.
 *
 * Env: BENCH_MEASURE_MS (default 5000), BENCH_VAULT_SUBJECTS, BENCH_PURGE_ROWS, RETENTION_BATCH,
 * RETENTION_DUTY_PERCENT (default 35, the job's default pace).
 */
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/kernel/db/database.ts';
import { ensurePartitions } from '../src/kernel/db/index.ts';
import { createAuditService, loadSigningKey } from '../src/modules/audit/index.ts';
import { createConsentService } from '../src/modules/consent/index.ts';
import { createVaultService, loadLocalKeyManager, staffActor } from '../src/modules/vault/index.ts';
import { createRetention } from '../src/wiring.ts';
import { context, cpuLine, fmt, report, timed, withAppName, type BenchContext } from './lib.ts';

const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 5000);
const SUBJECTS = Number(process.env.BENCH_VAULT_SUBJECTS ?? 1000);
const ROWS = Number(process.env.BENCH_PURGE_ROWS ?? 600_000);
const BATCH = Number(process.env.RETENTION_BATCH ?? 5000);
/** The default pace of the purge job (RETENTION_DUTY_PERCENT). */
const DUTY = Number(process.env.RETENTION_DUTY_PERCENT ?? 35);
const READERS = 16;

const support = staffActor({ id: 'staff-bench', role: 'support' });

export default async function purgeRows(ctx: BenchContext): Promise<void> {
  const db = openDatabase(withAppName(ctx.url, 'civitas-bench-reads'), 20);
  const purgeDb = openDatabase(withAppName(ctx.url, 'civitas-bench-purge'), 4);
  const cfg = {
    mode: 'test' as const,
    dataDir: ctx.tmpDir,
    keyringFile: undefined,
    auditSigningKeyFile: undefined,
  };
  const keys = loadLocalKeyManager(cfg);
  const audit = createAuditService({ db, key: loadSigningKey(cfg) });
  const consent = await createConsentService({ db, audit });
  try {
    const vault = createVaultService({ db, audit, consent, keys });
    const ids: string[] = [];
    for (let i = 0; i < SUBJECTS; i++) {
      const id = await vault.createSubject('person');
      await vault.write(
        id,
        { name: `测试用户${i}`, phone: `139${String(i).padStart(8, '0')}`, email: `p${i}@example.cn` },
        { source: 'user', purpose: 'service-provision', actor: { type: 'self', id, label: 'self' } },
      );
      ids.push(id);
    }
    let n = 0;
    const readOne = async () => {
      const r = await vault.read({
        subjectId: ids[n++ % SUBJECTS]!,
        actor: support,
        purpose: 'customer-support',
        basis: { type: 'necessity', service: 'hotline-12345' },
        fields: ['name', 'phone', 'email'],
      });
      if (!r.values.name) throw new Error('a read returned no name');
    };

    const alone = await timed(READERS, 1000, MEASURE_MS, readOne);
    context(`vault-read-16 alone = ${fmt(alone.rate)} reads/s`);
    context(cpuLine('vault-read-16 alone', alone.cpu));

    // The rows past their time, a quarter per kind (the outbox rows ride on the notifications).
    // Access entries spread over three months past their three years, in the month
    // partitions they would have been written to (the purge drops those whole, ADR 0044).
    const quarter = Math.floor(ROWS / 4);
    const t0 = performance.now();
    await ensurePartitions(ctx.db, 'vault_access', new Date(Date.now() - 1300 * 86_400_000), 5);
    await ctx.db.query(
      `INSERT INTO vault_access (subject_id, operation, actor_type, actor_id, actor_label, purpose, basis, fields, categories, occurred_at)
       SELECT ($1::uuid[])[1 + g % cardinality($1::uuid[])], 'read', 'department', 'tax', 'department:tax',
              'service-provision', 'necessity', '{name}', '{identity}', now() - interval '1200 days' - (g % 90) * interval '1 day'
         FROM generate_series(1, $2) g`,
      [ids, quarter],
    );
    await ctx.db.query(
      `WITH n AS (
         INSERT INTO notification (subject_id, kind, locale, template, params, created_at, visible_from)
         SELECT ($1::uuid[])[1 + g % cardinality($1::uuid[])], 'security', 'zh-CN', 'security-change',
                '{"change":"password-changed","time":"2026-01-01 10:00"}', now() - interval '200 days', now() - interval '200 days'
           FROM generate_series(1, $2) g RETURNING id, subject_id)
       INSERT INTO notify_outbox (notification_id, subject_id, channel, created_at)
       SELECT id, subject_id, 'sms', now() - interval '200 days' FROM n`,
      [ids, Math.floor(quarter / 2)],
    );
    await ctx.db.query(
      `INSERT INTO login_alert (subject_id, device, message_id, method, reasons, created_at)
       SELECT ($1::uuid[])[1 + g % cardinality($1::uuid[])], 'Chrome on Android', gen_random_uuid(), 'password', '{new-device}',
              now() - interval '200 days'
         FROM generate_series(1, $2) g`,
      [ids, quarter],
    );
    await ctx.db.query(
      `INSERT INTO one_time_code (phone_token, purpose, code_hash, created_at, expires_at, consumed_at)
       SELECT decode(md5(g::text), 'hex'), 'login', '\\x00', now() - interval '3 days', now() - interval '3 days', now() - interval '3 days'
         FROM generate_series(1, $1) g`,
      [ROWS - 3 * quarter],
    );
    await ctx.db.query(
      'VACUUM ANALYZE vault_access, notification, notify_outbox, login_alert, one_time_code',
    );
    const seeded = quarter + 2 * Math.floor(quarter / 2) + quarter + (ROWS - 3 * quarter);
    context(`seeded ${fmt(seeded)} expired rows in ${fmt((performance.now() - t0) / 1000)} s`);

    const retention = createRetention(
      purgeDb,
      createAuditService({ db: purgeDb, key: loadSigningKey(cfg) }),
      {
        retentionBatch: BATCH,
        retentionBudgetSeconds: 3600,
        retentionDutyPercent: DUTY,
      },
    );
    let purging = true;
    let reads = 0;
    const started = performance.now();
    const purge = retention.run().finally(() => {
      purging = false;
    });
    await Promise.all(
      Array.from({ length: READERS }, async () => {
        while (purging) {
          await readOne();
          reads++;
        }
      }),
    );
    const r = await purge;
    const seconds = (performance.now() - started) / 1000;
    const left = (
      await ctx.db.query<{ n: number }>(
        `SELECT ((SELECT count(*) FROM vault_access WHERE occurred_at < now() - interval '1100 days')
               + (SELECT count(*) FROM notification) + (SELECT count(*) FROM login_alert)
               + (SELECT count(*) FROM one_time_code))::int AS n`,
      )
    ).rows[0]!.n;
    if (left !== 0) throw new Error(`${left} expired rows were left`);
    context(
      `purged ${fmt(r.total)} rows in ${fmt(seconds)} s with 16 readers going, batches of ${BATCH}, ${DUTY} % of the time deleting: ${Object.entries(
        r.tables,
      )
        .map(([t, c]) => `${t} ${fmt(c)}`)
        .join(', ')}`,
    );
    report('purge-rows', r.total / seconds, 'rows/s', '>=', 50_000);
    const during = reads / seconds;
    context(`vault-read-16 during the purge = ${fmt(during)} reads/s (alone ${fmt(alone.rate)})`);
    report(
      'vault-read-16-during-purge',
      (100 * during) / alone.rate,
      '% of the rate without purge',
      '>=',
      80,
    );
  } finally {
    await consent.close();
    await Promise.all([db.close(), purgeDb.close()]);
  }
}

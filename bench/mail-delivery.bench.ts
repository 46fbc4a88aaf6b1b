/**
 * Mail delivery through the outbox (issue 13): BENCH_MAIL_PEOPLE (default 10,000) people
 * with a verified address are given one incident notice (mail is its only channel that can
 * reach them), and `drainUntilEmpty` delivers the mails with NOTIFY_WORKERS loops
 * (default 8) of NOTIFY_BATCH (default 50) over a pooled STARTTLS connection
 * (BENCH_MAIL_CONNECTIONS, default 8) to a real SMTP server in another process. Each mail is
 * what production does: claim (SKIP LOCKED), the address read through the vault (decrypted,
 * an access entry written), the text rendered in the person's language, SMTP, settle.
 *
 * Prints `bench: mail-delivery = <mails/s> (target >= 1000)`, from the drain's start to the
 * relay having the last one, and checks at the relay that nobody got the notice twice.
 * Also prints the CPU one mail costs Civitas, the relay and this bench's PostgreSQL backends,
 * with the load average: on a shared machine the rate follows the other load, these less.
 * Seeding (not timed): subjects and their encrypted addresses with INSERT … SELECT through
 * the vault's own encryption for a sample, then copied; see `seed`.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createSmtpTransport } from '../src/adapters/mail.ts';
import { openDatabase } from '../src/kernel/db/database.ts';
import { createAuditService, loadSigningKey } from '../src/modules/audit/index.ts';
import { createConsentService } from '../src/modules/consent/index.ts';
import { createMailChannel, createNotifyService } from '../src/modules/notify/index.ts';
import { createVaultService, loadLocalKeyManager, type Actor } from '../src/modules/vault/index.ts';
import { loadavg } from 'node:os';
import {
  context,
  cpuLine,
  cpuMeter,
  fmt,
  postgresTicks,
  report,
  withAppName,
  type BenchContext,
} from './lib.ts';

const PEOPLE = Number(process.env.BENCH_MAIL_PEOPLE ?? 10_000);
const WORKERS = Number(process.env.NOTIFY_WORKERS ?? 8);
const BATCH = Number(process.env.NOTIFY_BATCH ?? 50);
const CONNECTIONS = Number(process.env.BENCH_MAIL_CONNECTIONS ?? 8);

interface Sink {
  port: number;
  ca: string;
  count(): Promise<{ received: number; distinct: number; cpuMicros: number }>;
  stop(): void;
}

async function startSink(): Promise<Sink> {
  const child = fork(fileURLToPath(new URL('./mail-sink.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ ready: number; ca: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { ready: number; ca: string }));
    child.once('exit', (code) => reject(new Error(`the bench relay exited (${code})`)));
  });
  return {
    port: ready.ready,
    ca: ready.ca,
    count: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as { received: number; distinct: number; cpuMicros: number }));
        child.send('count');
      }),
    stop: () => child.kill(),
  };
}

export default async function mailDelivery(ctx: BenchContext): Promise<void> {
  const db = openDatabase(withAppName(ctx.url, 'civitas-bench-mail'), 40);
  const cfg = {
    mode: 'test' as const,
    dataDir: ctx.tmpDir,
    keyringFile: undefined,
    auditSigningKeyFile: undefined,
  };
  const audit = createAuditService({ db, key: loadSigningKey(cfg) });
  const consent = await createConsentService({ db, audit });
  const keys = loadLocalKeyManager(cfg);
  const vault = createVaultService({ db, audit, consent, keys });
  const sink = await startSink();
  const mail = createSmtpTransport({
    url: `smtp://localhost:${sink.port}`,
    from: 'Civitas <noreply@civitas.localhost>',
    requireTls: true,
    tls: { ca: sink.ca },
    maxConnections: CONNECTIONS,
  });
  try {
    const t0 = performance.now();
    const people = await seed(db, vault, PEOPLE);
    context(`seeded ${PEOPLE} people with a verified address in ${fmt((performance.now() - t0) / 1000)} s`);

    const notify = createNotifyService({
      db,
      channels: [
        createMailChannel({
          db,
          vault,
          mail,
          portalUrl: () => 'https://civitas.localhost',
          keyedHash: (data) => keys.blindIndex('unsubscribe', data),
        }),
      ],
    });
    const zh = (text: string) => ({ 'zh-CN': text });
    const notice = {
      key: `bench:${randomUUID()}`,
      template: 'incident-notice' as const,
      params: {
        what: {
          'zh-CN': '短信服务商的日志被未授权访问。',
          en: 'The SMS provider’s logs were read without authorisation.',
        },
        data: zh('手机号码'),
        cause: zh('服务商的访问密钥泄露。'),
        harm: zh('可能收到诈骗短信。'),
        measures: zh('已更换密钥并停止向该服务商发送。'),
        advice: zh('警惕冒充客服的短信。'),
        contact: zh('拨打 12345'),
      },
    };
    for (let i = 0; i < people.length; i += 20_000)
      await notify.fanOut(db, notice, people.slice(i, i + 20_000));

    const relayBefore = await sink.count();
    const pgBefore = postgresTicks();
    const cpu = cpuMeter();
    const u0 = process.cpuUsage();
    const start = performance.now();
    const run = await notify.drainUntilEmpty({ workers: WORKERS, batch: BATCH, budgetMs: 600_000 });
    const seconds = (performance.now() - start) / 1000;
    const share = cpu.stop();
    const u = process.cpuUsage(u0);
    const pgAfter = postgresTicks();
    const at = await sink.count();
    // What one mail costs each process, in CPU: on a shared machine the rate swings with the
    // other load, these do much less.
    const ours = await db.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
      ['civitas-bench-mail'],
    );
    let pgTicks = 0;
    for (const { pid } of ours.rows) pgTicks += (pgAfter.get(pid) ?? 0) - (pgBefore.get(pid) ?? 0);
    const perMail = (micros: number) => fmt(micros / 1000 / PEOPLE);
    context(
      `CPU per mail: civitas ${perMail(u.user + u.system)} ms, relay ${perMail(at.cpuMicros - relayBefore.cpuMicros)} ms, its PostgreSQL backends ${ours.rows.length && pgBefore.size ? `${perMail((pgTicks / 100) * 1e6)} ms` : 'not measured (server not local)'}; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    context(
      `${WORKERS} loops × ${BATCH}, ${CONNECTIONS} SMTP connections: sent ${run.sent}, retrying ${run.retrying}, failed ${run.failed} in ${fmt(seconds)} s; the relay got ${at.received} (${at.distinct} distinct recipients)`,
    );
    context(cpuLine('civitas process', share));
    if (at.received !== PEOPLE || at.distinct !== PEOPLE)
      throw new Error(
        `the relay got ${at.received} mails for ${at.distinct} people, expected ${PEOPLE} each once`,
      );
    report('mail-delivery', PEOPLE / seconds, 'mails/s', '>=', 1000);
  } finally {
    await mail.close();
    sink.stop();
    // The consent cache listens for withdrawals on its own connection: the process waits for it.
    await consent.close();
    await db.close();
  }
}

/**
 * People with a verified address, written through the vault (its encryption binds each value
 * to its subject, so values cannot be copied between subjects), 16 at a time; their address
 * rows made verified along the lifecycle (pending → verified) in two statements.
 */
async function seed(
  db: ReturnType<typeof openDatabase>,
  vault: ReturnType<typeof createVaultService>,
  n: number,
): Promise<string[]> {
  const people: string[] = [];
  let next = 0;
  const writer = async () => {
    while (next < n) {
      const i = next++;
      const id = await vault.createSubject('person');
      const self: Actor = { type: 'self', id, label: 'self' };
      await vault.write(
        id,
        { email: `person${i}@bench.civitas.localhost` },
        { source: 'user', purpose: 'service-provision', actor: self },
      );
      people.push(id);
    }
  };
  await Promise.all(Array.from({ length: 16 }, writer));
  await db.query(`INSERT INTO notify_email (subject_id, state) SELECT unnest($1::uuid[]), 'pending'`, [
    people,
  ]);
  await db.query(
    `UPDATE notify_email SET state = 'verified', verified_at = now() WHERE subject_id = ANY ($1::uuid[])`,
    [people],
  );
  return people;
}

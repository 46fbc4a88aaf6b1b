/**
 * Sign-in throughput (identity issue targets):
 * - full password logins over HTTP (parsing, rate-limit check, lookup, argon2id verify,
 *   session, audit entry) against the bare argon2id verify rate measured in the same run:
 *   target at least 80% of it;
 * - the HTTP client runs in a separate process (bench/load-client.ts), as real clients do;
 * Every sign-in comes from a browser the account knows (its device cookie), with no other
 * risk signal: the common case, which the risk checks may slow by one indexed query.
 * - SMS-code logins over HTTP: target at least 1,000 per second;
 * - latency of a cheap endpoint (/healthz) while password logins run: hashing must not
 *   block the event loop.
 */
import { randomBytes } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import { loadConfig } from '../src/kernel/config/index.ts';
import { startPlatform, type Platform } from '../src/platform.ts';
import { hashPassword } from '../src/shared/password.ts';
import { context, fmt, percentile, report, timed, type BenchContext } from './lib.ts';
import { runLoad } from './load-client.ts';

const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1000);
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 5000);
const ACCOUNTS = 64;
const CODE_ACCOUNTS = Number(process.env.BENCH_CODE_ACCOUNTS ?? 9000);
const PASSWORD = 'bench password 1';

const phoneOf = (i: number) => `139${String(i).padStart(8, '0')}`;
const DEVICE = randomBytes(32).toString('base64url');

/** Makes DEVICE a known device of every account (as src/modules/session/device.ts hashes it). */
async function knownDevice(p: Platform): Promise<void> {
  await p.storage.db.query(
    `INSERT INTO known_device (subject_id, device_hash, label)
     SELECT subject_id, sha256(convert_to(subject_id::text || ':' || $1, 'UTF8')), 'bench' FROM citizen_account
     ON CONFLICT DO NOTHING`,
    [DEVICE],
  );
}

async function seedAccounts(
  p: Platform,
  from: number,
  count: number,
  passwordHash: string | null,
): Promise<void> {
  const db = p.storage.db;
  const self = (id: string) => ({ type: 'self' as const, id, label: 'self' });
  let next = from;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < from + count) {
        const i = next++;
        await db.tx(async (q) => {
          const id = await p.vault.createSubject('person', q);
          await p.vault.write(
            id,
            { phone: phoneOf(i) },
            { source: 'user', purpose: 'service-provision', actor: self(id) },
            q,
          );
          await q.query('INSERT INTO citizen_account (subject_id, password_hash) VALUES ($1, $2)', [
            id,
            passwordHash,
          ]);
        });
      }
    }),
  );
}

export default async function login(ctx: BenchContext): Promise<void> {
  const config = loadConfig({
    CIVITAS_MODE: 'test',
    DATABASE_URL: ctx.url,
    CIVITAS_DATA_DIR: ctx.tmpDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    SEED_DEMO_DATA: 'false',
    DATABASE_POOL_MAX: '20',
    SIGNIN_RATE_LIMIT_PER_MINUTE: '100000000',
  });
  const p = await startPlatform(config);
  try {
    const hash = await hashPassword(PASSWORD);
    await seedAccounts(p, 0, ACCOUNTS, hash);
    await knownDevice(p);

    // 1. The bare hash: verify on libuv's pool, as the login path does.
    const bare = await timed(8, WARMUP_MS, MEASURE_MS, () => verify(hash, PASSWORD));
    context(`argon2id-verify (m=19456, t=2, p=1) = ${fmt(bare.rate)} verifies/s with 8 in flight`);

    // 2. Full password logins over HTTP from a client in another process, /healthz probed
    //    alongside on its own connection.
    const load = (path: string, bodies: unknown[], concurrency: number, probePath?: string) =>
      runLoad({
        url: p.url,
        path,
        bodies,
        concurrency,
        warmupMs: WARMUP_MS,
        measureMs: MEASURE_MS,
        expect: 200,
        // A session, not a second step: the answer must name the subject.
        expectBody: 'subjectId',
        headers: { cookie: `civitas_device=${DEVICE}` },
        ...(probePath ? { probePath } : {}),
      });
    const passwordBodies = Array.from({ length: 200_000 }, (_, i) => ({
      phone: phoneOf(i % ACCOUNTS),
      password: PASSWORD,
    }));
    let cpu0 = process.cpuUsage();
    const logins = await load('/api/identity/login/password', passwordBodies, 8, '/healthz');
    let serverCpu = process.cpuUsage(cpu0);
    report('login-password', logins.rate, 'logins/s', '>=', Math.round(bare.rate * 0.8));
    context(
      `login-password p50 ${fmt(percentile(logins.latencies, 50))} ms, p99 ${fmt(percentile(logins.latencies, 99))} ms; ` +
        `${fmt((logins.rate / bare.rate) * 100)}% of the bare hash rate`,
    );
    report('healthz-p99-during-logins', percentile(logins.probe, 99), 'ms', '<=', 50);

    // 3. SMS-code logins: one live code per account (codes are one a minute per number).
    await seedAccounts(p, ACCOUNTS, CODE_ACCOUNTS, null);
    await knownDevice(p);
    const sms = p.sms as unknown as { lastCode(to: string): string | undefined };
    let k = ACCOUNTS;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (k < ACCOUNTS + CODE_ACCOUNTS) {
          // One source per account: the per-source code budget is not what this measures.
          const source = `bench-${k}`;
          await p.identity.sendCode(phoneOf(k++), 'login', { requestId: 'bench', locale: 'zh-CN', source });
        }
      }),
    );
    const codeBodies = Array.from({ length: CODE_ACCOUNTS }, (_, j) => {
      const phone = phoneOf(ACCOUNTS + j);
      return { phone, code: sms.lastCode(phone) };
    });
    cpu0 = process.cpuUsage();
    const byCode = await load('/api/identity/login/code', codeBodies, 16);
    serverCpu = process.cpuUsage(cpu0);
    report('login-sms-code', byCode.rate, 'logins/s', '>=', 1000);
    const perLogin = (c: NodeJS.CpuUsage, n: number) => ((c.user + c.system) / 1000 / n).toFixed(3);
    context(
      `login-sms-code p99 ${fmt(percentile(byCode.latencies, 99))} ms; server process ${perLogin(serverCpu, byCode.ops)} ms CPU per login ` +
        `(warm-up included), client ${((byCode.clientCpu * 1000) / byCode.ops).toFixed(3)} ms`,
    );
  } finally {
    await p.close();
  }
}

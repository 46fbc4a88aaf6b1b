/**
 * Sign-in throughput (identity issue targets):
 * - full password logins over HTTP (parsing, rate-limit check, lookup, argon2id verify,
 *   session, audit entry) against the bare argon2id verify rate measured in the same run:
 *   target at least 80% of it;
 * - SMS-code logins over HTTP: target at least 1,000 per second;
 * - latency of a cheap endpoint (/healthz) while password logins run: hashing must not
 *   block the event loop.
 * Every sign-in comes from a browser the account knows (its device cookie), with no other
 * risk signal: the common case, which the risk checks may slow by one indexed query.
 */
import { randomBytes } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import { loadConfig } from '../src/config/index.ts';
import { startPlatform, type Platform } from '../src/platform.ts';
import { hashPassword } from '../src/shared/password.ts';
import { context, fmt, percentile, report, timed, type BenchContext } from './lib.ts';

const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1000);
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 5000);
const ACCOUNTS = 64;
const CODE_ACCOUNTS = Number(process.env.BENCH_CODE_ACCOUNTS ?? 9000);
const PASSWORD = 'bench password 1';

const phoneOf = (i: number) => `139${String(i).padStart(8, '0')}`;
const DEVICE = randomBytes(32).toString('base64url');

/** Makes DEVICE a known device of every account (as src/modules/identity/device-cookie.ts hashes it). */
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

    // 2. Full password logins over HTTP, with /healthz probed alongside.
    const post = (path: string, body: unknown) =>
      fetch(`${p.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `civitas_device=${DEVICE}` },
        body: JSON.stringify(body),
      });
    let n = 0;
    const probe: number[] = [];
    let probing = true;
    const prober = (async () => {
      while (probing) {
        const t0 = performance.now();
        await (await fetch(`${p.url}/healthz`)).arrayBuffer();
        probe.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const logins = await timed(8, WARMUP_MS, MEASURE_MS, async () => {
      const res = await post('/api/identity/login/password', {
        phone: phoneOf(n++ % ACCOUNTS),
        password: PASSWORD,
      });
      const body = await res.text();
      if (res.status !== 200 || !body.includes('subjectId'))
        throw new Error(`login answered ${res.status}: ${body}`);
    });
    probing = false;
    await prober;
    report('login-password', logins.rate, 'logins/s', '>=', Math.round(bare.rate * 0.8));
    context(
      `login-password p50 ${fmt(percentile(logins.latencies, 50))} ms, p99 ${fmt(percentile(logins.latencies, 99))} ms`,
    );
    probe.sort((a, b) => a - b);
    report('healthz-p99-during-logins', percentile(probe, 99), 'ms', '<=', 50);

    // 3. SMS-code logins: one live code per account (codes are one a minute per number).
    await seedAccounts(p, ACCOUNTS, CODE_ACCOUNTS, null);
    await knownDevice(p);
    const sms = p.sms as unknown as { lastCode(to: string): string | undefined };
    let k = ACCOUNTS;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (k < ACCOUNTS + CODE_ACCOUNTS) await p.identity.sendCode(phoneOf(k++), 'login', 'zh-CN');
      }),
    );
    let m = ACCOUNTS;
    const byCode = await timed(16, WARMUP_MS, MEASURE_MS, async () => {
      const i = m++;
      if (i >= ACCOUNTS + CODE_ACCOUNTS) throw new Error('ran out of codes: raise BENCH_CODE_ACCOUNTS');
      const res = await post('/api/identity/login/code', {
        phone: phoneOf(i),
        code: sms.lastCode(phoneOf(i)),
      });
      const body = await res.text();
      if (res.status !== 200 || !body.includes('subjectId'))
        throw new Error(`code login answered ${res.status}: ${body}`);
    });
    report('login-sms-code', byCode.rate, 'logins/s', '>=', 1000);
    context(`login-sms-code p99 ${fmt(percentile(byCode.latencies, 99))} ms`);
  } finally {
    await p.close();
  }
}

/**
 * Purpose-checked vault reads per second: `vault.read` of one subject's profile (load key
 * and fields, purpose/basis check, unwrap and decrypt, access entry committed before the
 * data is returned) by support staff on basis necessity, over BENCH_VAULT_SUBJECTS
 * (default 1,000) seeded subjects, each with name, phone, address and e-mail. One reader,
 * then 16 concurrent readers, on one pool of 20 shared by the whole engine (as the app
 * wires it). For context: latencies, CPU, what the PostgreSQL backends were waiting on,
 * how many access entries each group commit carried, and a check that every completed
 * read left exactly one access entry.
 *
 * Env: BENCH_MEASURE_MS (default 5000), BENCH_WARMUP_MS (default 1000), BENCH_VAULT_SUBJECTS.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/kernel/db/database.ts';
import { createAuditService, loadSigningKey } from '../src/modules/audit/index.ts';
import { createConsentService } from '../src/modules/consent/index.ts';
import { createVaultService, loadLocalKeyManager, staffActor } from '../src/modules/vault/index.ts';
import {
  context,
  cpuLine,
  cpuMeter,
  fmt,
  percentile,
  report,
  tallyLine,
  timed,
  waitSampler,
  withAppName,
  type BenchContext,
  type TimedResult,
} from './lib.ts';

const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1000);
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 5000);
const SUBJECTS = Number(process.env.BENCH_VAULT_SUBJECTS ?? 1000);
const READERS = 16;
const POOL = 20;

const support = staffActor({ id: 'staff-bench', role: 'support' });

interface Profile {
  name: string;
  phone: string;
  address: string;
  email: string;
}

/** utime + stime in seconds of the given local processes (Linux /proc); undefined if unreadable. */
function cpuSecondsOf(pids: readonly number[]): number | undefined {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      return undefined;
    }
  }
  return ticks / 100; // USER_HZ
}

/**
 * CPU per read of this process and of the PostgreSQL backends serving `app`, over the
 * measured window only: robust where reads/s is not (a machine shared with other work).
 */
async function perRead(
  ctx: BenchContext,
  app: string,
  run: (onMeasureStart: () => void) => Promise<TimedResult>,
): Promise<{ r: TimedResult; line: (label: string) => string }> {
  let pids: number[] = [];
  let start: Promise<number | undefined> = Promise.resolve(undefined);
  const r = await run(() => {
    start = ctx.db
      .query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [app])
      .then((res) => {
        pids = res.rows.map((x) => x.pid);
        return cpuSecondsOf(pids);
      });
  });
  const a = await start;
  const b = cpuSecondsOf(pids);
  const server = a === undefined || b === undefined || pids.length === 0 ? undefined : (b - a) / r.ops;
  const node = (r.cpu.node * r.seconds) / r.ops;
  const us = (s: number) => `${fmt(s * 1e6)} µs`;
  return {
    r,
    line: (label) =>
      `${label} CPU per read: node ${us(node)}, PostgreSQL backends ${server === undefined ? 'n/a (server not local)' : us(server)}` +
      (server === undefined
        ? ''
        : `; ${r.cpu.cores} cores would bound this at ~${fmt(r.cpu.cores / (node + server))} reads/s`),
  };
}

const profile = (i: number): Profile => ({
  name: `测试用户${i}`,
  phone: `139${String(i).padStart(8, '0')}`,
  address: `广州市天河区体育西路 ${i} 号`,
  email: `citizen${i}@example.cn`,
});

export default async function vaultRead(ctx: BenchContext): Promise<void> {
  const app = 'civitas-bench-vault-read';
  const db = openDatabase(withAppName(ctx.url, app), POOL);
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

    // Seed: each subject gets a data key and four fields, written by the person themself.
    const t0 = performance.now();
    const ids: string[] = new Array<string>(SUBJECTS);
    let next = 0;
    await Promise.all(
      Array.from({ length: READERS }, async () => {
        while (next < SUBJECTS) {
          const i = next++;
          const id = await vault.createSubject('person');
          await vault.write(
            id,
            { ...profile(i) },
            { source: 'user', purpose: 'service-provision', actor: { type: 'self', id, label: 'self' } },
          );
          ids[i] = id;
        }
      }),
    );
    await ctx.db.query('VACUUM ANALYZE vault_subject, vault_field');
    context(
      `seeded ${SUBJECTS} subjects x 4 fields (name, phone, address, email) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    // One read: customer support asks for the whole profile; the purpose allows name, phone
    // and e-mail (identity, contact), the address is withheld as outside the purpose.
    let reads = 0;
    const readOne = async (i: number): Promise<void> => {
      const k = i % SUBJECTS;
      const r = await vault.read({
        subjectId: ids[k]!,
        actor: support,
        purpose: 'customer-support',
        basis: { type: 'necessity', service: 'hotline-12345' },
        fields: ['name', 'phone', 'email', 'address'],
      });
      reads++;
      const want = profile(k);
      if (r.values.name !== want.name || r.values.phone !== want.phone || r.values.email !== want.email)
        throw new Error(`read of subject ${k} returned wrong values: ${JSON.stringify(r.values)}`);
      if (r.values.address !== undefined || r.withheld.length !== 1)
        throw new Error(`read of subject ${k} did not withhold the address: ${JSON.stringify(r)}`);
    };
    const accessRows = async () =>
      (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM vault_access')).rows[0]?.n ?? 0;
    // Group-commit batch sizes: rows per inserting transaction (xmin), for the runs so far.
    const batches = async (fromId: number) => {
      const { rows } = await ctx.db.query<{ txs: number; avg: number; max: number }>(
        `SELECT count(*)::int AS txs, avg(n)::float8 AS avg, max(n)::int AS max
           FROM (SELECT xmin::text, count(*) AS n FROM vault_access WHERE id > $1 GROUP BY 1) t`,
        [fromId],
      );
      const b = rows[0];
      return b ? `${b.txs} commits, ${fmt(b.avg)} entries per commit on average, at most ${b.max}` : '?';
    };
    const maxId = async () =>
      (await ctx.db.query<{ id: number }>('SELECT coalesce(max(id), 0)::int AS id FROM vault_access')).rows[0]
        ?.id ?? 0;

    // Other work on the machine skews reads/s (not CPU per read): say how busy it was.
    const idle = cpuMeter();
    await new Promise((r) => setTimeout(r, 1000));
    const bg = idle.stop();
    context(
      `before the runs, with this bench idle: ${fmt(bg.machine)} of ${bg.cores} cores busy with other work`,
    );

    let n = 0;
    const run = (readers: number) => (onMeasureStart: () => void) => {
      const timer = setTimeout(onMeasureStart, WARMUP_MS);
      return timed(readers, WARMUP_MS, MEASURE_MS, () => readOne(n++)).finally(() => clearTimeout(timer));
    };
    // (a) One reader.
    {
      const from = await maxId();
      const sampler = waitSampler(ctx.db, app);
      const { r, line } = await perRead(ctx, app, run(1));
      const waits = await sampler.stop();
      context(
        `vault-read-1 = ${fmt(r.rate)} reads/s, p50 ${fmt(percentile(r.latencies, 50))} ms, p99 ${fmt(percentile(r.latencies, 99))} ms`,
      );
      context(cpuLine('vault-read-1', r.cpu));
      context(line('vault-read-1'));
      context(`vault-read-1 backend states: ${tallyLine(waits)}`);
      context(`vault-read-1 access log group commits: ${await batches(from)}`);
    }

    // (b) 16 concurrent readers on the same pool of 20 (one connection is the consent LISTENer).
    let defaultRate = 0;
    {
      const from = await maxId();
      const sampler = waitSampler(ctx.db, app);
      const { r, line } = await perRead(ctx, app, run(READERS));
      const waits = await sampler.stop();
      report(`vault-read-${READERS}`, r.rate, 'reads/s', '>=', 5000);
      defaultRate = r.rate;
      context(
        `vault-read-${READERS} latency p50 ${fmt(percentile(r.latencies, 50))} ms, p99 ${fmt(percentile(r.latencies, 99))} ms`,
      );
      context(cpuLine(`vault-read-${READERS}`, r.cpu));
      context(line(`vault-read-${READERS}`));
      context(`vault-read-${READERS} backend states: ${tallyLine(waits)}`);
      context(`vault-read-${READERS} access log group commits: ${await batches(from)}`);
    }

    // (c) The same readers once every value and data key is sealed with the national suite
    // (SM4-CTR + HMAC-SM3, ADR 0043), moved online as `civitas keys rotate --suite national` does.
    {
      const national = loadLocalKeyManager({ ...cfg, cryptoSuite: 'national' });
      const moved = createVaultService({ db, audit, consent, keys: national });
      const t1 = performance.now();
      const k = await moved.rewrapKeys();
      const v = await moved.resealValues();
      context(
        `moved ${k} data keys and ${v} values to the national suite in ${fmt((performance.now() - t1) / 1000)} s`,
      );
      const { r, line } = await perRead(ctx, app, run(READERS));
      context(
        `vault-read-${READERS} national suite = ${fmt(r.rate)} reads/s (default suite ${fmt(defaultRate)})`,
      );
      context(line(`vault-read-${READERS} national`));
      report(
        `vault-read-${READERS}-national`,
        (100 * r.rate) / defaultRate,
        '% of the default suite',
        '>=',
        80,
      );
    }

    const logged = await accessRows();
    if (logged !== reads) throw new Error(`${reads} reads returned data but ${logged} access entries exist`);
    context(`every one of the ${reads} completed reads left exactly one access entry`);
  } finally {
    await consent.close();
    await db.close();
  }
}

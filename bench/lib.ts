/**
 * Shared pieces for the benchmarks run by bench/run.ts.
 *
 * Output contract (read by humans and by CI greps):
 *   bench: <name> = <value> <unit> (target >= <value>)        a measured target
 *   bench: <name> = <value> <unit> (target <= <value>) MISSED  ... that was missed
 *   context: ...                                               anything else worth knowing
 * A missed target is not an error: only exceptions make `npm run bench` exit non-zero.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Database } from '../src/kernel/db/database.ts';
import type { AuditEntryInput } from '../src/modules/audit/index.ts';

export interface BenchContext {
  /** Connection URL of this bench's own fresh, migrated database. */
  url: string;
  /** A pool (max 20) on `url`. Benches may open their own pools on `url` too. */
  db: Database;
  /** A scratch directory for this bench (signing keys and the like), removed afterwards. */
  tmpDir: string;
}

export type Bench = (ctx: BenchContext) => Promise<void>;

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return String(Math.round(n));
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/** Prints one `bench:` line; returns whether the target was met. */
export function report(name: string, value: number, unit: string, op: '>=' | '<=', target: number): boolean {
  const met = op === '>=' ? value >= target : value <= target;
  console.log(
    `bench: ${name} = ${fmt(value)} ${unit} (target ${op} ${Number.isInteger(target) ? target : fmt(target)})${met ? '' : ' MISSED'}`,
  );
  return met;
}

export function context(msg: string): void {
  console.log(`context: ${msg}`);
}

/** The same URL with `application_name` set, so pg_stat_activity can tell our pools apart. */
export function withAppName(url: string, name: string): string {
  const u = new URL(url);
  u.searchParams.set('application_name', name);
  return u.toString();
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export interface TimedResult {
  /** Operations completed inside the measured window. */
  ops: number;
  seconds: number;
  rate: number;
  /** Per-operation latencies in ms inside the measured window, sorted ascending. */
  latencies: number[];
  cpu: CpuShare;
  /** CPU ticks of local `postgres` processes at the start and end of the measured window. */
  pgTicks: { start: Map<number, number>; end: Map<number, number> };
}

/**
 * Runs `concurrency` async loops of `op` for `warmupMs` + `measureMs`; counts and times
 * the operations that complete inside the measured window.
 */
export async function timed(
  concurrency: number,
  warmupMs: number,
  measureMs: number,
  op: (worker: number) => Promise<unknown>,
): Promise<TimedResult> {
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const measureTo = measureFrom + measureMs;
  let ops = 0;
  const latencies: number[] = [];
  let cpu: CpuMeter | undefined;
  let pgStart = new Map<number, number>();
  const warmup = setTimeout(() => {
    cpu = cpuMeter();
    pgStart = postgresTicks();
  }, warmupMs);
  const loop = async (worker: number) => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= measureTo) return;
      await op(worker);
      const t1 = performance.now();
      if (t1 >= measureFrom && t1 <= measureTo) {
        ops++;
        if (t0 >= measureFrom) latencies.push(t1 - t0);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, (_, w) => loop(w)));
  } finally {
    clearTimeout(warmup);
  }
  const pgEnd = postgresTicks();
  const seconds = measureMs / 1000;
  latencies.sort((a, b) => a - b);
  return {
    ops,
    seconds,
    rate: ops / seconds,
    latencies,
    cpu: cpu ? cpu.stop() : { node: NaN, machine: NaN, cores: 0 },
    pgTicks: { start: pgStart, end: pgEnd },
  };
}

export interface CpuShare {
  /** This Node process, in cores (1.0 = one core fully busy). */
  node: number;
  /** Whole machine (Node + PostgreSQL + everything else), in cores. */
  machine: number;
  cores: number;
}

interface CpuMeter {
  stop(): CpuShare;
}

function procStat(): { busy: number; total: number; cores: number } | undefined {
  try {
    const lines = readFileSync('/proc/stat', 'utf8').split('\n');
    const f = (lines[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.reduce((a, b) => a + b, 0);
    const cores = lines.filter((l) => /^cpu\d+ /.test(l)).length;
    return { busy: total - idle, total, cores };
  } catch {
    return undefined;
  }
}

/** Measures CPU use of this process and of the machine between start and `stop()`. */
export function cpuMeter(): CpuMeter {
  const t0 = performance.now();
  const u0 = process.cpuUsage();
  const s0 = procStat();
  return {
    stop() {
      const wallMs = performance.now() - t0;
      const u = process.cpuUsage(u0);
      const s1 = procStat();
      const node = (u.user + u.system) / 1000 / wallMs;
      let machine = NaN;
      const cores = s1?.cores ?? 0;
      if (s0 && s1 && s1.total > s0.total) machine = ((s1.busy - s0.busy) / (s1.total - s0.total)) * cores;
      return { node, machine, cores };
    },
  };
}

const CLK_TCK = 100; // Linux USER_HZ

/** utime + stime (in clock ticks) of every local process named `postgres`, by pid. */
export function postgresTicks(): Map<number, number> {
  const out = new Map<number, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const open = stat.indexOf('(');
      const close = stat.lastIndexOf(')');
      if (stat.slice(open + 1, close) !== 'postgres') continue;
      const f = stat.slice(close + 2).split(' ');
      out.set(Number(pid), Number(f[11]) + Number(f[12]));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/**
 * Server CPU per operation, in µs, summed over the backends serving `appName` (found in
 * pg_stat_activity). Undefined when the server is not on this machine.
 */
export async function serverCpuPerOp(
  db: Database,
  appName: string,
  r: TimedResult,
): Promise<number | undefined> {
  const { rows } = await db.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
    [appName],
  );
  if (rows.length === 0 || r.ops === 0) return undefined;
  let ticks = 0;
  for (const { pid } of rows) {
    const a = r.pgTicks.start.get(pid);
    const b = r.pgTicks.end.get(pid);
    if (a === undefined || b === undefined) return undefined;
    ticks += b - a;
  }
  return ((ticks / CLK_TCK) * 1e6) / r.ops;
}

export function cpuLine(label: string, c: CpuShare): string {
  return `${label}: CPU node ${fmt(c.node)} cores, whole machine ${fmt(c.machine)} of ${c.cores} cores busy`;
}

/**
 * Samples pg_stat_activity for backends with the given application_name every `everyMs`
 * and tallies what they were doing: `active/CPU` (running), `active/Lock:transactionid`
 * (waiting for a row lock), `active/IO:WALSync`, `idle/Client:ClientRead` (waiting for
 * the client, i.e. Node), and so on.
 */
export function waitSampler(
  db: Database,
  appName: string,
  everyMs = 20,
): { stop(): Promise<Map<string, number>> } {
  const tally = new Map<string, number>();
  let running = true;
  const done = (async () => {
    while (running) {
      const { rows } = await db.query<{ w: string; n: number }>(
        `SELECT coalesce(state, '?') || '/' || coalesce(wait_event_type || ':' || wait_event, 'CPU') AS w,
                count(*)::int AS n
           FROM pg_stat_activity WHERE application_name = $1 GROUP BY 1`,
        [appName],
      );
      for (const r of rows) tally.set(r.w, (tally.get(r.w) ?? 0) + r.n);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return tally;
    },
  };
}

export function tallyLine(tally: Map<string, number>): string {
  const total = [...tally.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return '(no samples)';
  return [...tally.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${((100 * n) / total).toFixed(1)}%`)
    .join(', ');
}

const PURPOSES = ['case-handling', 'identity-verification', 'benefit-assessment', 'fraud-investigation'];
const BASES = ['public-task', 'legal-obligation', 'consent'];

/** A realistic audit entry: a staff member's read of a citizen's vault refused under clause P4. */
export function realisticEntry(i: number): AuditEntryInput {
  return {
    actor: { type: 'staff', id: randomUUID() },
    action: 'vault.read_refused',
    subject: { type: 'citizen', id: randomUUID() },
    purpose: PURPOSES[i % PURPOSES.length]!,
    legalBasis: BASES[i % BASES.length]!,
    clause: 'P4',
    detail: {
      fields: ['address', 'birthDate'],
      caseRef: `CASE-${100000 + (i % 900000)}`,
      channel: 'console',
    },
    requestId: randomUUID(),
  };
}

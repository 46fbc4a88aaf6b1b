/**
 * An HTTP load generator that runs in its own process, so the server under test keeps its
 * event loop and the client's parsing and JSON work are not charged to it.
 *
 * Usage (from a bench): `runLoad({ url, path, bodies, concurrency, warmupMs, measureMs })`
 * forks this file; it POSTs JSON bodies in turn (each body once; running out is an error)
 * over keep-alive connections and, when `probePath` is set, GETs it every 10 ms on its
 * own connection to time a cheap endpoint alongside. Prints one JSON result on stdout.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

export interface LoadSpec {
  url: string;
  path: string;
  bodies: unknown[];
  concurrency: number;
  warmupMs: number;
  measureMs: number;
  /** Status every response must have. */
  expect: number;
  /** Text every response body must contain. */
  expectBody?: string;
  /** Extra request headers (cookies). */
  headers?: Record<string, string>;
  probePath?: string;
}

export interface LoadResult {
  ops: number;
  seconds: number;
  rate: number;
  latencies: number[];
  probe: number[];
  /** CPU seconds the client process used in the measured window. */
  clientCpu: number;
}

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child'], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    child.send(spec);
    child.on('message', (m: { error?: string; result?: LoadResult }) => {
      if (m.error) reject(new Error(m.error));
      else resolve(m.result!);
      child.disconnect();
    });
    child.on('exit', (code) => {
      if (code) reject(new Error(`load client exited with ${code}`));
    });
  });
}

function request(
  agent: http.Agent,
  url: URL,
  method: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: {
          ...headers,
          ...(body
            ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }
            : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function load(spec: LoadSpec): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const target = new URL(spec.path, spec.url);
  const bodies = spec.bodies.map((b) => JSON.stringify(b));
  const start = performance.now();
  const from = start + spec.warmupMs;
  const to = from + spec.measureMs;
  let next = 0;
  let ops = 0;
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  const latencies: number[] = [];
  const worker = async () => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= to) return;
      if (t0 >= from) cpuAtStart ??= process.cpuUsage();
      if (next >= bodies.length) throw new Error(`ran out of request bodies after ${next}`);
      const { status, text } = await request(agent, target, 'POST', bodies[next++], spec.headers);
      if (status !== spec.expect || (spec.expectBody && !text.includes(spec.expectBody)))
        throw new Error(`${spec.path} answered ${status} ${text.slice(0, 200)}`);
      const t1 = performance.now();
      if (t1 >= from && t1 <= to) {
        ops++;
        if (t0 >= from) latencies.push(t1 - t0);
      }
    }
  };
  const probe: number[] = [];
  const prober = async () => {
    if (!spec.probePath) return;
    const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const url = new URL(spec.probePath, spec.url);
    while (performance.now() < to) {
      const t0 = performance.now();
      await request(probeAgent, url, 'GET');
      if (t0 >= from) probe.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 10));
    }
    probeAgent.destroy();
  };
  await Promise.all([...Array.from({ length: spec.concurrency }, worker), prober()]);
  const cpu = process.cpuUsage(cpuAtStart);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  probe.sort((a, b) => a - b);
  const seconds = spec.measureMs / 1000;
  return { ops, seconds, rate: ops / seconds, latencies, probe, clientCpu: (cpu.user + cpu.system) / 1e6 };
}

if (process.argv[2] === '--child') {
  process.once('message', (spec: LoadSpec) => {
    load(spec).then(
      (result) => process.send!({ result }),
      (err: unknown) => process.send!({ error: (err as Error).message }),
    );
  });
}

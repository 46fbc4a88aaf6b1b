/**
 * OpenID load in its own process (see load-client.ts for why): client-credentials grants,
 * refresh grants (each worker chains the rotated refresh token it gets back), and whole
 * authorization-code flows for people who already have a session and a remembered consent
 * (authorize → code → token with PKCE → userinfo). Prints nothing; answers over IPC.
 */
import { createHash, randomBytes } from 'node:crypto';
import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

export interface OidcLoadSpec {
  mode: 'client-credentials' | 'refresh' | 'code-flow';
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** refresh: one starting refresh token per worker; code-flow: one cookie header per worker. */
  seeds: string[];
  warmupMs: number;
  measureMs: number;
}

export interface OidcLoadResult {
  ops: number;
  rate: number;
  latencies: number[];
  clientCpuMs: number;
}

export function runOidcLoad(spec: OidcLoadSpec): Promise<OidcLoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child'], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.send(spec);
    child.on('message', (m: { error?: string; result?: OidcLoadResult }) => {
      if (m.error) reject(new Error(m.error));
      else resolve(m.result!);
      child.disconnect();
    });
    child.on('exit', (code) => code && reject(new Error(`oidc load exited with ${code}`)));
  });
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(
  agent: http.Agent,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
) {
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(
      url,
      { method: init.method ?? 'GET', agent, headers: init.headers ?? {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

async function load(spec: OidcLoadSpec): Promise<OidcLoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.seeds.length });
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(spec.clientId)}:${encodeURIComponent(spec.clientSecret)}`).toString('base64')}`;
  const token = `${spec.issuer}/token`;
  const form = (p: Record<string, string>) => ({
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(p).toString(),
  });
  const expect = (a: Answer, status: number, what: string) => {
    if (a.status !== status) throw new Error(`${what} answered ${a.status}: ${a.body.slice(0, 300)}`);
    return a;
  };

  const ops: Record<OidcLoadSpec['mode'], (seed: { value: string }) => Promise<void>> = {
    'client-credentials': async () => {
      expect(
        await send(agent, token, form({ grant_type: 'client_credentials', scope: 'department-api' })),
        200,
        'token',
      );
    },
    refresh: async (seed) => {
      const a = expect(
        await send(agent, token, form({ grant_type: 'refresh_token', refresh_token: seed.value })),
        200,
        'refresh',
      );
      seed.value = (JSON.parse(a.body) as { refresh_token: string }).refresh_token;
    },
    'code-flow': async (seed) => {
      const verifier = randomBytes(32).toString('base64url');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const q = new URLSearchParams({
        client_id: spec.clientId,
        redirect_uri: spec.redirectUri,
        response_type: 'code',
        scope: 'openid name',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: randomBytes(8).toString('base64url'),
      });
      const auth = expect(
        await send(agent, `${spec.issuer}/auth?${q}`, { headers: { cookie: seed.value } }),
        303,
        'authorize',
      );
      const code = new URL(String(auth.headers.location)).searchParams.get('code');
      if (!code) throw new Error(`no code: ${String(auth.headers.location)}`);
      const t = expect(
        await send(
          agent,
          token,
          form({
            grant_type: 'authorization_code',
            code,
            redirect_uri: spec.redirectUri,
            code_verifier: verifier,
          }),
        ),
        200,
        'token',
      );
      const { access_token } = JSON.parse(t.body) as { access_token: string };
      const me = expect(
        await send(agent, `${spec.issuer}/me`, { headers: { authorization: `Bearer ${access_token}` } }),
        200,
        'userinfo',
      );
      if (!me.body.includes('"name"')) throw new Error(`userinfo without the consented name: ${me.body}`);
    },
  };

  const start = performance.now();
  const from = start + spec.warmupMs;
  const to = from + spec.measureMs;
  let count = 0;
  let cpu0: NodeJS.CpuUsage | undefined;
  const latencies: number[] = [];
  await Promise.all(
    spec.seeds.map(async (value) => {
      const seed = { value };
      for (;;) {
        const t0 = performance.now();
        if (t0 >= to) return;
        if (t0 >= from) cpu0 ??= process.cpuUsage();
        await ops[spec.mode](seed);
        const t1 = performance.now();
        if (t1 >= from && t1 <= to) {
          count++;
          if (t0 >= from) latencies.push(t1 - t0);
        }
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    ops: count,
    rate: count / (spec.measureMs / 1000),
    latencies,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
  };
}

if (process.argv[2] === '--child') {
  process.once('message', (spec: OidcLoadSpec) => {
    load(spec).then(
      (result) => process.send!({ result }),
      (err: unknown) => process.send!({ error: (err as Error).message }),
    );
  });
}

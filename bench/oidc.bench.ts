/**
 * Single sign-on throughput (SSO issue targets, 2-core machine with PostgreSQL):
 * - client-credentials grants: at least 1,500/s;
 * - refresh-token grants (with rotation): at least 1,000/s;
 * - a whole authorization-code flow for a person with a session and a remembered consent
 *   (authorize, code, token with PKCE, userinfo with consent-checked claims read through
 *   the vault and recorded): at least 300/s.
 * The load runs in a separate process (bench/oidc-load.ts) over keep-alive connections.
 */
import * as client from 'openid-client';
import { loadConfig } from '../src/config/index.ts';
import { startPlatform, type Platform } from '../src/platform.ts';
import { idNumberFor } from '../test/support/citizen.ts';
import { registerCitizen } from '../test/support/citizens.ts';
import { CookieJar, follow, form } from '../test/support/oidc.ts';
import type { TestPlatform } from '../test/support/platform.ts';
import { context, fmt, percentile, report, type BenchContext } from './lib.ts';
import { runOidcLoad, type OidcLoadSpec } from './oidc-load.ts';

const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1000);
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 5000);
const PEOPLE = 16;
const CALLBACK = 'http://localhost:9/callback';

/** A registered person (real API, SMS code from the local gateway): their browser's cookies. */
async function person(p: Platform, i: number): Promise<string> {
  const phone = `137${String(i).padStart(8, '0')}`;
  return (await registerCitizen(p as unknown as TestPlatform, phone, idNumberFor(i), { name: `测试${i}` }))
    .cookie;
}

export default async function oidc(ctx: BenchContext): Promise<void> {
  const config = loadConfig({
    CIVITAS_MODE: 'test',
    DATABASE_URL: ctx.url,
    CIVITAS_DATA_DIR: ctx.tmpDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_POOL_MAX: '20',
    SIGNIN_RATE_LIMIT_PER_MINUTE: '100000000',
    OIDC_RATE_LIMIT_PER_MINUTE: '100000000',
  });
  const p = await startPlatform(config);
  try {
    const web = await p.registry.register(
      {
        clientId: 'bench-web',
        serviceSlug: 'transit-card',
        redirectUris: [CALLBACK],
        policyUrl: 'https://bench.example/privacy',
        dpaReference: 'DPA-BENCH',
        fields: [{ field: 'name', purpose: 'service-provision', retentionDays: 30, required: true }],
      },
      { type: 'system', id: 'bench' },
      { issueSecret: true },
    );
    const api = await p.registry.register(
      {
        clientId: 'bench-api',
        serviceSlug: 'transit-card',
        redirectUris: [CALLBACK],
        policyUrl: 'https://bench.example/privacy',
        dpaReference: 'DPA-BENCH',
        fields: [],
        grantTypes: ['client_credentials'],
      },
      { type: 'system', id: 'bench' },
      { issueSecret: true },
    );
    const rp = await client.discovery(
      new URL(`${p.url}/oidc`),
      'bench-web',
      { client_secret: web.secret! },
      client.ClientSecretBasic(web.secret!),
      { execute: [client.allowInsecureRequests] },
    );

    // Each person signs in once interactively: consent given, provider session cookie held.
    const cookies: string[] = [];
    const refreshTokens: string[] = [];
    for (let i = 0; i < PEOPLE; i++) {
      const jar = new CookieJar(await person(p, i));
      const verifier = client.randomPKCECodeVerifier();
      const url = client.buildAuthorizationUrl(rp, {
        redirect_uri: CALLBACK,
        scope: 'openid name',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      const t = p as unknown as TestPlatform;
      let hop = await follow(t, jar, url.toString());
      const action = /action="(\/oidc\/interaction\/[^"]+\/consent)"/.exec(hop.body ?? '')?.[1];
      if (action) hop = await follow(t, jar, `${p.url}${action}`, form({ decision: 'allow' }));
      const tokens = await client.authorizationCodeGrant(rp, new URL(hop.url), {
        pkceCodeVerifier: verifier,
      });
      cookies.push(jar.header());
      refreshTokens.push(tokens.refresh_token!);
    }

    const base = {
      issuer: `${p.url}/oidc`,
      redirectUri: CALLBACK,
      warmupMs: WARMUP_MS,
      measureMs: MEASURE_MS,
    };
    const run = async (
      name: string,
      target: number,
      spec: Omit<OidcLoadSpec, 'issuer' | 'redirectUri' | 'warmupMs' | 'measureMs'>,
    ) => {
      const cpu0 = process.cpuUsage();
      const r = await runOidcLoad({ ...base, ...spec });
      const cpu = process.cpuUsage(cpu0);
      report(name, r.rate, `${spec.mode === 'code-flow' ? 'flows' : 'grants'}/s`, '>=', target);
      context(
        `${name} p50 ${fmt(percentile(r.latencies, 50))} ms, p99 ${fmt(percentile(r.latencies, 99))} ms; ` +
          `server ${((cpu.user + cpu.system) / 1000 / r.ops).toFixed(2)} ms CPU per op (warm-up included), ` +
          `client ${(r.clientCpuMs / r.ops).toFixed(2)} ms`,
      );
    };
    await run('oidc-client-credentials', 1500, {
      mode: 'client-credentials',
      clientId: 'bench-api',
      clientSecret: api.secret!,
      seeds: Array(16).fill(''),
    });
    await run('oidc-refresh', 1000, {
      mode: 'refresh',
      clientId: 'bench-web',
      clientSecret: web.secret!,
      seeds: refreshTokens,
    });
    await run('oidc-code-flow', 300, {
      mode: 'code-flow',
      clientId: 'bench-web',
      clientSecret: web.secret!,
      seeds: cookies,
    });
  } finally {
    await p.close();
  }
}

/**
 * Single sign-on throughput (SSO issue targets, 2-core machine with PostgreSQL):
 * - client-credentials grants: at least 1,500/s;
 * - refresh-token grants (with rotation): at least 1,000/s;
 * - a whole authorization-code flow for a person with a session and a remembered consent
 *   (authorize, code, token with PKCE, userinfo with consent-checked claims read through
 *   the vault and recorded): at least 300/s.
 * The load runs in a separate process (bench/oidc-load.ts) over keep-alive connections.
 */
import { context, fmt, percentile, report, type BenchContext } from './lib.ts';
import { runOidcLoad, type OidcLoadSpec } from './oidc-load.ts';
import { setUpOidcBench } from './oidc-setup.ts';

export default async function oidc(ctx: BenchContext): Promise<void> {
  const { platform: p, webSecret, apiSecret, cookies, refreshTokens, base } = await setUpOidcBench(ctx);
  try {
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
      clientSecret: apiSecret,
      seeds: Array(16).fill(''),
    });
    await run('oidc-refresh', 1000, {
      mode: 'refresh',
      clientId: 'bench-web',
      clientSecret: webSecret,
      seeds: refreshTokens,
    });
    await run('oidc-code-flow', 300, {
      mode: 'code-flow',
      clientId: 'bench-web',
      clientSecret: webSecret,
      seeds: cookies,
    });
  } finally {
    await p.close();
  }
}

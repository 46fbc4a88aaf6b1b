/**
 * The platform and clients the single sign-on benchmarks run against: a web client (code
 * flow, refresh) and a back-end client (client credentials), and PEOPLE registered people
 * who each signed in once interactively (consent given, provider session cookie held).
 */
import * as client from 'openid-client';
import { loadConfig } from '../src/kernel/config/index.ts';
import { startPlatform, type Platform } from '../src/platform.ts';
import { idNumberFor } from '../test/support/citizen.ts';
import { registerCitizen } from '../test/support/citizens.ts';
import { CookieJar, follow, form } from '../test/support/oidc.ts';
import type { TestPlatform } from '../test/support/platform.ts';
import type { BenchContext } from './lib.ts';

export const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1000);
export const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 5000);
const PEOPLE = 16;
export const CALLBACK = 'http://localhost:9/callback';

export interface OidcBench {
  platform: Platform;
  webSecret: string;
  apiSecret: string;
  /** One provider session cookie header per person. */
  cookies: string[];
  /** One refresh token per person. */
  refreshTokens: string[];
  /** What every load spec shares. */
  base: { issuer: string; redirectUri: string; warmupMs: number; measureMs: number };
}

/** A registered person (real API, SMS code from the local gateway): their browser's cookies. */
async function person(p: Platform, i: number): Promise<string> {
  const phone = `137${String(i).padStart(8, '0')}`;
  return (await registerCitizen(p as unknown as TestPlatform, phone, idNumberFor(i), { name: `测试${i}` }))
    .cookie;
}

/** Starts the platform on the bench's database; the caller closes `platform`. */
export async function setUpOidcBench(ctx: BenchContext): Promise<OidcBench> {
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
    return {
      platform: p,
      webSecret: web.secret!,
      apiSecret: api.secret!,
      cookies,
      refreshTokens,
      base: { issuer: `${p.url}/oidc`, redirectUri: CALLBACK, warmupMs: WARMUP_MS, measureMs: MEASURE_MS },
    };
  } catch (err) {
    await p.close();
    throw err;
  }
}

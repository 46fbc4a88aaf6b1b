/**
 * Invariant (P7.3): per-source sign-in limits count attempts, not page views; a page and
 * the API of the same step draw on one bucket (every twin of the guard table, both ways); and every process of the platform counts
 * into the same bucket, whether the counters live in PostgreSQL (the default) or Redis
 * (REDIS_URL). The limiter behaves the same on both stores.
 */
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { loadConfig } from '../kernel/config/index.ts';
import { startPlatform, type Platform } from '../platform.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/db.ts';
import { startTestPlatform, type TestPlatform } from '../../test/support/platform.ts';
import { bucketOf, twins, type RouteKey } from '../web/http/guards.table.ts';
import { createLimiter, sweepLimits, type Limiter } from './limits.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';

const signIn = (url: string, path: string, json: boolean) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
    body: json
      ? JSON.stringify({ phone: '13800000000', password: 'not the password' })
      : 'phone=13800000000&password=not+the+password',
  });

for (const store of ['postgres', 'redis'] as const) {
  describe(`the limiter on ${store}`, () => {
    let t: TestDatabase;
    let redis: Redis | undefined;
    let limiter: Limiter;
    before(async () => {
      t = await createTestDatabase();
      if (store === 'redis') redis = new Redis(REDIS_URL);
      // A fresh hashing key per run: buckets of earlier runs are never seen.
      const secret = randomUUID();
      limiter = createLimiter(
        redis ? { kind: 'redis', client: redis } : { kind: 'postgres', pool: t.db.pool },
        (d) => createHmac('sha256', secret).update(d).digest(),
      );
    });
    after(async () => {
      await redis?.quit();
      await t.drop();
    });

    const limit = { name: 'test', points: 3, seconds: 60 };

    test('P7.3 counts hits, refuses past the limit, and tells how long to wait', async () => {
      const counts = [];
      for (let i = 0; i < 5; i++) counts.push(await limiter.hit(limit, 'source-a'));
      assert.deepEqual(
        counts.map((c) => [c.count, c.allowed]),
        [
          [1, true],
          [2, true],
          [3, true],
          [4, false],
          [5, false],
        ],
      );
      assert.ok(counts[4]!.retrySeconds > 0 && counts[4]!.retrySeconds <= 60);
      assert.equal((await limiter.peek(limit, 'source-a')).count, 5, 'peek does not add');
      assert.equal((await limiter.peek(limit, 'source-b')).count, 0, 'one bucket per key');
      await limiter.reset(limit, 'source-a');
      assert.equal((await limiter.peek(limit, 'source-a')).count, 0);
    });

    test('P7.3 a block holds the bucket over its limit; a sliding count spans windows', async () => {
      await limiter.block(limit, 'blocked', 30);
      const b = await limiter.peek(limit, 'blocked');
      assert.equal(b.allowed, false);
      assert.ok(b.retrySeconds > 0 && b.retrySeconds <= 30);
      const slide = { name: 'slide', points: 5, seconds: 3600 };
      for (let i = 1; i <= 3; i++) assert.equal(await limiter.slide(slide, 'account', true), i);
      assert.equal(await limiter.slide(slide, 'account', false), 3);
    });

    if (store === 'postgres') {
      test('expired counters are swept', async () => {
        await limiter.block({ name: 'short', points: 1, seconds: 1 }, 'x', 1);
        await t.db.query('UPDATE rate_limit SET expire = 1 WHERE expire IS NOT NULL');
        assert.ok((await sweepLimits(t.db.pool)) >= 1);
      });
    }
  });
}

describe('per-source limits at sign-in', () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '3' });
  });
  after(() => p.stop());

  test('P7.3 viewing the sign-in and registration pages never counts as an attempt', async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 10; i++) {
      for (const path of ['/login', '/register', '/login/code', '/login/reset']) {
        statuses.add((await fetch(`${p.url}${path}`)).status);
      }
    }
    assert.deepEqual([...statuses], [200]);
    assert.equal((await signIn(p.url, '/login', false)).status, 401, 'the first attempt is still allowed');
  });

  test('P7.3 the page and the API of the same sign-in draw on one bucket', async () => {
    // One attempt was made above; two more (page, API) reach the limit of three.
    const statuses = [
      (await signIn(p.url, '/api/identity/login/password', true)).status,
      (await signIn(p.url, '/login', false)).status,
      (await signIn(p.url, '/api/identity/login/password', true)).status,
      (await signIn(p.url, '/login', false)).status,
    ];
    assert.deepEqual(statuses, [401, 401, 429, 429]);
    const refused = await signIn(p.url, '/api/identity/login/password', true);
    assert.equal(((await refused.json()) as { code: string }).code, 'http.rate_limited');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    const other = await fetch(`${p.url}/api/identity/codes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '13800000000', purpose: 'login' }),
    });
    assert.equal(other.status, 202, 'sending a code is another policy, with its own bucket');
  });
});

for (const store of ['postgres', 'redis'] as const) {
  describe(`two platform instances on ${store}`, () => {
    let first: TestPlatform;
    let second: Platform;
    before(async () => {
      const env = {
        SIGNIN_RATE_LIMIT_PER_MINUTE: '3',
        ...(store === 'redis' ? { REDIS_URL } : {}),
      };
      first = await startTestPlatform(env);
      // The second process: same database, same keys (as two servers of one deployment).
      second = await startPlatform(
        loadConfig({
          CIVITAS_MODE: 'test',
          DATABASE_URL: first.database.url,
          CIVITAS_DATA_DIR: first.config.dataDir,
          PORT: '0',
          LOG_LEVEL: 'silent',
          AUDIT_CHECKPOINT_SECONDS: '3600',
          DATABASE_POOL_MAX: '3',
          ...env,
        }),
      );
    });
    after(async () => {
      await second.close();
      await first.stop();
    });

    test(`P7.3 two instances count into one bucket (${store})`, async () => {
      assert.notEqual(first.url, second.url);
      const statuses = [
        (await signIn(first.url, '/login', false)).status,
        (await signIn(second.url, '/api/identity/login/password', true)).status,
        (await signIn(first.url, '/api/identity/login/password', true)).status,
        (await signIn(second.url, '/login', false)).status,
        (await signIn(first.url, '/login', false)).status,
      ];
      assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
      if (store === 'redis') {
        const { rows } = await first.storage.db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM rate_limit',
        );
        assert.equal(rows[0]!.n, 0, 'with Redis configured, nothing is counted in PostgreSQL');
      }
    });

    test(`P7.2 staff sign-in attempts from one source share one bucket across instances (${store})`, async () => {
      const statuses: number[] = [];
      // A different unknown e-mail each time: the per-account slow-down never applies.
      for (let i = 0; i < 11; i++) {
        const res = await fetch(`${i % 2 ? second.url : first.url}/admin/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `email=nobody${i}%40civitas.example&password=not+the+password`,
        });
        statuses.push(res.status);
      }
      assert.deepEqual(
        statuses.map((s) => s === 429),
        [...Array<boolean>(10).fill(false), true],
        `ten attempts a minute per source in all, the eleventh refused (${statuses.join(' ')})`,
      );
    });
  });
}

describe('every page and its JSON twin draw on one bucket', () => {
  let p: TestPlatform;
  const PER_MINUTE = 3;
  before(async () => {
    // Each case comes from its own address (X-Forwarded-For, believed from loopback only),
    // so each starts on empty buckets.
    p = await startTestPlatform({
      SIGNIN_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
      TRUST_PROXY: '127.0.0.1',
      LOG_LEVEL: 'silent',
    });
  });
  after(() => p.stop());

  let n = 0;
  /** One attempt: a form post to a page or JSON to the API, a new phone number each time. */
  const attempt = (key: RouteKey, source: string, send?: true) => {
    const url = key.slice('POST '.length);
    const phone = `139${String(++n).padStart(8, '0')}`;
    const fields = { phone, password: 'not the password', code: '000000', purpose: 'login', method: 'sms' };
    const json = url.startsWith('/api/');
    return fetch(`${p.url}${url}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'x-forwarded-for': source,
        // As a browser asks for a page: refusals then come as pages (shared/http/problem.ts).
        accept: json ? 'application/json' : 'text/html',
        'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded',
      },
      body: json
        ? JSON.stringify(fields)
        : new URLSearchParams({ ...fields, ...(send ? { send: '1' } : {}) }).toString(),
    });
  };

  const limited = twins.filter((t) => bucketOf(t.page, t.send));
  let source = 0;
  for (const t of limited) {
    const page = `${t.page}${t.send ? ' (send=1)' : ''}`;
    for (const [first, then] of [
      ['page', 'api'],
      ['api', 'page'],
    ] as const) {
      test(`P7.3 ${first === 'page' ? `${page} spends the bucket of ${t.api}` : `${t.api} spends the bucket of ${page}`} (${bucketOf(t.page, t.send)})`, async () => {
        const from = `198.51.100.${++source}`;
        const side = { page: () => attempt(t.page, from, t.send), api: () => attempt(t.api, from) };
        for (let i = 0; i < PER_MINUTE; i++) {
          const r = await side[first]();
          assert.notEqual(r.status, 429, `attempt ${i + 1} of ${PER_MINUTE} is still allowed`);
        }
        const refused = await side[then]();
        assert.equal(refused.status, 429, `the ${then} is refused once the ${first} spent the bucket`);
        assert.ok(Number(refused.headers.get('retry-after')) > 0);
        if (then === 'api') {
          const problem = (await refused.json()) as { code: string; detail: string };
          assert.equal(problem.code, 'http.rate_limited');
          assert.equal(problem.detail, `${bucketOf(t.page, t.send)} attempts from this address`);
        } else
          assert.match(refused.headers.get('content-type') ?? '', /text\/html/, 'the page answers a page');
      });
    }
  }
});

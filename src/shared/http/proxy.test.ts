/**
 * Invariant: the source address every per-source limit counts is one a client cannot
 * choose. TRUST_PROXY takes a hop count or a list of proxy addresses, never "trust all",
 * so a client-written X-Forwarded-For in front of the proxy's own entry changes nothing.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../kernel/config/index.ts';
import { startTestPlatform } from '../../../test/support/platform.ts';

const trustOf = (v: string) => loadConfig({ TRUST_PROXY: v }).trustProxy;
const refused = (v: string) =>
  assert.throws(
    () => loadConfig({ TRUST_PROXY: v }),
    (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.startsWith('TRUST_PROXY:')),
    v,
  );

describe('TRUST_PROXY', () => {
  test('P7.3 accepts a hop count or a list of proxy addresses, and refuses "trust all"', () => {
    assert.equal(trustOf('false'), false);
    assert.equal(trustOf('0'), false);
    assert.equal(trustOf('1'), 1);
    assert.equal(trustOf('2'), 2);
    assert.deepEqual(trustOf('10.0.0.5, 10.1.0.0/16,::1,loopback'), [
      '10.0.0.5',
      '10.1.0.0/16',
      '::1',
      'loopback',
    ]);
    assert.equal(loadConfig({}).trustProxy, false);
    for (const v of ['true', 'yes', '10.0.0.300', '10.0.0.0/33', 'proxy.example', ',']) refused(v);
  });

  for (const [name, setting] of [
    ['a hop count', '1'],
    ['a list of proxy addresses', '127.0.0.1'],
  ] as const) {
    test(`P7.3 behind ${name}, a client-written X-Forwarded-For does not open a new rate-limit bucket`, async () => {
      const p = await startTestPlatform({ TRUST_PROXY: setting, SIGNIN_RATE_LIMIT_PER_MINUTE: '3' });
      try {
        const statuses: number[] = [];
        for (let i = 1; i <= 5; i++) {
          // What a proxy forwards: the client's own header, then the address it saw.
          const res = await fetch(`${p.url}/login`, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'x-forwarded-for': `198.51.100.${i}, 203.0.113.7`,
            },
            body: 'phone=13700000000&password=wrong-password',
          });
          statuses.push(res.status);
        }
        assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
      } finally {
        await p.stop();
      }
    });
  }
});

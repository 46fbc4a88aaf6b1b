// Invariant: a signed-in request looks its session up once (ADR 0019): the principal is
// resolved by one hook, and every guard and handler reads it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { client, type Citizen } from '../../../test/support/citizen.ts';

let p: TestPlatform;
let person: Citizen;

/** The session lookup of the session module (session.repository.ts `liveByHash`). */
const SESSION_LOOKUP = /^\s*SELECT\b[\s\S]*\bFROM citizen_session\s+WHERE token_hash = \$1/;

/** SQL statements run while `fn` runs that look a portal session up by its token. */
async function sessionLookups(fn: () => Promise<void>): Promise<number> {
  const pool = p.storage.db.pool;
  const original = pool.query.bind(pool);
  let n = 0;
  pool.query = ((text: unknown, ...rest: unknown[]) => {
    const sql = typeof text === 'string' ? text : (text as { text?: string }).text;
    if (sql && SESSION_LOOKUP.test(sql)) n++;
    return (original as (...a: unknown[]) => unknown)(text, ...rest);
  }) as typeof pool.query;
  try {
    await fn();
  } finally {
    pool.query = original as typeof pool.query;
  }
  return n;
}

const load = async (path: string, cookie: string, expected = 200) => {
  const res = await fetch(`${p.url}${path}`, { headers: { cookie }, redirect: 'manual' });
  await res.arrayBuffer();
  assert.equal(res.status, expected, path);
};

describe('one principal resolution per request', () => {
  before(async () => {
    p = await startTestPlatform();
    person = await client(p).register('13800000071', 71);
  });
  after(() => p.stop());

  test('P7.3 a signed-in page load looks the session up exactly once', async () => {
    const cookie = `${person.session}; ${person.device}`;
    // The home page too: its header names the person from the same principal.
    for (const path of ['/', '/me/security', '/me/consents', '/me/access', '/me/companies']) {
      assert.equal(await sessionLookups(() => load(path, cookie)), 1, path);
    }
  });

  test('P7.3 a signed-in API call looks the session up exactly once', async () => {
    for (const path of ['/api/companies/acting', '/api/me/deliveries', '/api/me/access-log']) {
      assert.equal(await sessionLookups(() => load(path, person.session)), 1, path);
    }
  });

  test('a request without a session cookie looks nothing up, and is still sent to sign in', async () => {
    assert.equal(await sessionLookups(() => load('/me/security', '', 303)), 0);
  });
});

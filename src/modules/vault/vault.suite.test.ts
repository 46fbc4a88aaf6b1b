/**
 * Invariant (P7.2, ADR 0043): every sealed value records its algorithm suite, so a vault can
 * move from AES-256-GCM to the national suite (SM4-CTR with HMAC-SM3) and back while it is
 * read: after each move every value and data key is sealed with the new suite, and every
 * read, before, during and after, returns the values written. Blind-index tokens move too
 * (HMAC-SHA256 ↔ HMAC-SM3), and a lookup by phone finds the person throughout, whichever
 * suite indexed the value.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startPrivacyEngine, type PrivacyEngine } from '../../../test/support/privacy.ts';
import { open, seal, suiteOf } from './keyring.ts';
import {
  addMasterKey,
  createVaultService,
  keyringPath,
  loadLocalKeyManager,
  staffActor,
  type Suite,
} from './index.ts';

let e: PrivacyEngine;
const support = staffActor({ id: 'support-suite', role: 'support' });
const PEOPLE = 60;

const tokensStored = async () =>
  (
    await e.t.db.query<{ len: number; n: number }>(
      `SELECT length(coalesce(lookup_unique, lookup_shared)) AS len, count(*)::int AS n FROM vault_field
        WHERE coalesce(lookup_unique, lookup_shared) IS NOT NULL GROUP BY 1 ORDER BY 1`,
    )
  ).rows.map((r) => [r.len, r.n]);

const suitesStored = async () =>
  (
    await e.t.db.query<{ v: number; n: number }>(
      `SELECT get_byte(ciphertext, 0) AS v, count(*)::int AS n FROM vault_field GROUP BY 1
        UNION ALL SELECT 100 + get_byte(wrapped_key, 0), count(*)::int FROM vault_subject WHERE wrapped_key IS NOT NULL GROUP BY 1
        ORDER BY 1`,
    )
  ).rows.map((r) => [r.v, r.n]);

describe('the national cryptographic suite', () => {
  before(async () => {
    e = await startPrivacyEngine();
  });
  after(() => e.close());

  test('P7.2 a national-suite value is SM4 with an HMAC-SM3 tag: tampering with any byte, or another field’s associated data, is refused', () => {
    const key = Buffer.alloc(32, 7);
    const sealed = seal(key, Buffer.from('王芳'), Buffer.from('vault_field:name:x'), 'national');
    assert.equal(suiteOf(sealed), 'national');
    assert.equal(open(key, sealed, Buffer.from('vault_field:name:x')).toString(), '王芳');
    for (const i of [1, 20, sealed.length - 1]) {
      const bad = Buffer.from(sealed);
      bad[i]! ^= 1;
      assert.throws(() => open(key, bad, Buffer.from('vault_field:name:x')), /authentication failed/);
    }
    assert.throws(() => open(key, sealed, Buffer.from('vault_field:phone:x')), /authentication failed/);
    assert.equal(suiteOf(seal(key, Buffer.from('a'), Buffer.alloc(0))), 'default');
  });

  test('P7.2 a populated vault moves to the national suite and back while reads go on, every read returning what was written', async () => {
    const ids: string[] = [];
    for (let i = 0; i < PEOPLE; i++) {
      const id = await e.vault.createSubject('person');
      await e.vault.write(
        id,
        { name: `测试用户${i}`, phone: `139${String(i).padStart(8, '0')}` },
        { source: 'user', purpose: 'service-provision', actor: { type: 'self', id, label: 'self' } },
      );
      ids.push(id);
    }
    assert.deepEqual(await suitesStored(), [
      [1, PEOPLE * 2],
      [101, PEOPLE],
    ]);

    assert.deepEqual(await tokensStored(), [[16, PEOPLE]]);

    let reading = true;
    let reads = 0;
    let lookups = 0;
    const phoneOf = (i: number) => `139${String(i).padStart(8, '0')}`;
    const finders = Array.from({ length: 2 }, async () => {
      while (reading) {
        const i = lookups++ % PEOPLE;
        assert.deepEqual(await e.vault.findSubject('phone', ` ${phoneOf(i)}`), [ids[i]]);
      }
    });
    const readers = Array.from({ length: 3 }, async () => {
      while (reading) {
        const i = reads++ % PEOPLE;
        const r = await e.vault.read({
          subjectId: ids[i]!,
          actor: support,
          purpose: 'customer-support',
          basis: { type: 'necessity', service: 'hotline-12345' },
          fields: ['name', 'phone'],
        });
        assert.equal(r.values.name, `测试用户${i}`);
        assert.equal(r.values.phone, `139${String(i).padStart(8, '0')}`);
      }
    });
    const move = async (suite: Suite) => {
      addMasterKey(keyringPath({ dataDir: e.dataDir, keyringFile: undefined }));
      const keys = loadLocalKeyManager({
        mode: 'test',
        dataDir: e.dataDir,
        keyringFile: undefined,
        cryptoSuite: suite,
      });
      const vault = createVaultService({ db: e.t.db, audit: e.audit, consent: e.consent, keys });
      return {
        keys: await vault.rewrapKeys(7),
        values: await vault.resealValues(11),
        tokens: await vault.reindexValues(13),
      };
    };
    try {
      assert.deepEqual(await move('national'), { keys: PEOPLE, values: PEOPLE * 2, tokens: PEOPLE });
      assert.deepEqual(await tokensStored(), [[17, PEOPLE]]);
      assert.deepEqual(await suitesStored(), [
        [2, PEOPLE * 2],
        [102, PEOPLE],
      ]);
      const during = reads;
      assert.deepEqual(await move('default'), { keys: PEOPLE, values: PEOPLE * 2, tokens: PEOPLE });
      assert.deepEqual(await tokensStored(), [[16, PEOPLE]]);
      assert.deepEqual(await suitesStored(), [
        [1, PEOPLE * 2],
        [101, PEOPLE],
      ]);
      assert.ok(reads > during, 'reads went on during the moves');
      assert.ok(lookups > PEOPLE, 'lookups by blind index went on during the moves');
    } finally {
      reading = false;
      await Promise.all([...readers, ...finders]);
    }
  });

  test('P7.2 mid-move a value indexed by either suite is found, and its unique index holds across the two', async () => {
    const national = createVaultService({
      db: e.t.db,
      audit: e.audit,
      consent: e.consent,
      keys: loadLocalKeyManager({
        mode: 'test',
        dataDir: e.dataDir,
        keyringFile: undefined,
        cryptoSuite: 'national',
      }),
    });
    const self = (id: string) => ({
      source: 'user' as const,
      purpose: 'service-provision' as const,
      actor: { type: 'self' as const, id, label: 'self' },
    });
    const old = await e.vault.createSubject('person');
    await e.vault.write(old, { phone: '13700000001' }, self(old));
    const fresh = await national.createSubject('person');
    await national.write(fresh, { phone: '13700000002' }, self(fresh));
    // Each process finds both, whichever suite it writes with.
    for (const v of [e.vault, national]) {
      assert.deepEqual(await v.findSubject('phone', '13700000001'), [old]);
      assert.deepEqual(await v.findSubject('phone', '13700000002'), [fresh]);
    }
    // The old person's number, now claimed under the other suite's token, is a duplicate.
    const other = await national.createSubject('person');
    await assert.rejects(
      national.write(other, { phone: '13700000001' }, self(other)),
      (err: { code?: string }) => err.code === 'vault.duplicate_value',
    );
    // The person rewriting their own number under the new suite is no duplicate.
    await national.write(old, { phone: '13700000001' }, self(old));
    assert.deepEqual(await e.vault.findSubject('phone', '13700000001'), [old]);
  });
});

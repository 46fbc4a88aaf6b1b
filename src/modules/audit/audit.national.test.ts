/**
 * Invariant (P7.2, ADR 0043): under `CRYPTO_SUITE=national` new audit entries are chain 3
 * (SM3 content hash, HMAC-SM3 link) and new checkpoints are signed with SM2 (GB/T 32918
 * with SM3 and ZA); every entry and checkpoint records how it was made, so a log that moved
 * from the default suite to the national one and back verifies whole, and a changed
 * entry or checkpoint of either kind is found. SM3 and SM2 are checked against known
 * answers first.
 */
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { testAuditActions } from '../../../test/support/audit.ts';
import { sm2KeyFromSeed, sm2PublicKey, sm2VerifyDigest } from './audit.sm2.ts';
import { createAuditService, loadSigningKey, verifyAuditChain, type SigningKey } from './index.ts';

// OpenSSL's test/recipes/30-test_evp_data/evppkey_sm2.txt, key SM2_key1 and its two SM3
// "Verify" rows (a digest e and the DER signature's r, s): GB/T 32918.2 on the recommended
// curve. The standard's own samples (GB/T 32918.2 Annex A) use a test curve no library here has.
const OPENSSL_SM2_KEY1 = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqBHM9VAYItBG0wawIBAQQg0JFWczAXva2An9m7
2MaT9gIwWTFptvlKrxyO4TjMmbWhRANCAAQ5OirZ4n5DrKqrhaGdO4VZHhRAYVcX
Wt3Te/d/8Mr57Tf886i09VwDhSMmH8pmNq/mp6+ioUgqYG9cs6GLLioe
-----END PRIVATE KEY-----`;
const OPENSSL_SM2_VERIFY = [
  [
    'D7AD397F6FFA5D4F7F11E7217F241607DC30618C236D2C09C1B9EA8FDADEE2E8',
    'AB1DB64DE7C40EDBDE6651C9B8EBDB804673DB836E5D5C7FE15DCF9ED2725037EBA714451FF69B0BB930B379E192E7CD5FA6E3C41C7FBD8303B799AB54A54621',
  ],
  [
    'B1139602C6ECC9E15E2F3F9C635A1AFE737058BC15387479C1EA0D0B3D90E9E5',
    'E6E0414EBD3A656C35602AF14AB20287DBF30D57AF75C49A188ED4B42391F2242F54F277C606F4605E1CE9514947FFDDF94C67A539804A4ED17F852288BDBE2E',
  ],
] as const;
const key1Public = () =>
  createPublicKey(createPrivateKey(OPENSSL_SM2_KEY1))
    .export({ format: 'der', type: 'spki' })
    .subarray(-65)
    .toString('hex');

describe('the national suite in the audit log', () => {
  test('P7.2 SM3 gives the answers of GB/T 32905-2016 Annex A', () => {
    assert.equal(
      createHash('sm3').update('abc').digest('hex'),
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
    assert.equal(
      createHash('sm3').update('abcd'.repeat(16)).digest('hex'),
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    );
  });

  test('P7.2 SM2 verification accepts the published GB/T 32918 signatures and refuses them altered', () => {
    const pub = key1Public();
    for (const [e, rs] of OPENSSL_SM2_VERIFY) {
      assert.ok(sm2VerifyDigest(pub, Buffer.from(e, 'hex'), Buffer.from(rs, 'hex')), e);
      const bad = Buffer.from(e, 'hex');
      bad[31]! ^= 1;
      assert.equal(sm2VerifyDigest(pub, bad, Buffer.from(rs, 'hex')), false);
    }
  });

  test('P7.2 node:crypto’s “SM2” signature is not a GB/T 32918 one, so it is not what signs', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const payload = Buffer.from('checkpoint');
    const der = sign('sm3', payload, privateKey);
    // DER SEQUENCE { INTEGER r, INTEGER s } → r ‖ s
    const ints: Buffer[] = [];
    for (let i = 2; i < der.length;) {
      const len = der[i + 1]!;
      ints.push(der.subarray(i + 2, i + 2 + len));
      i += 2 + len;
    }
    const rs = Buffer.concat(
      ints.map((b) => Buffer.from(b.toString('hex').replace(/^00/, '').padStart(64, '0'), 'hex')),
    );
    const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-65).toString('hex');
    assert.equal(sm2PublicKey(pub).verify(payload, rs), false, 'with ZA');
    assert.equal(
      sm2VerifyDigest(pub, createHash('sm3').update(payload).digest(), rs),
      false,
      'without ZA either',
    );
  });

  test('P7.2 an SM2 signature round-trips, and a changed payload, signature or key is refused', () => {
    const k = sm2KeyFromSeed(Buffer.alloc(32, 9));
    assert.equal(sm2KeyFromSeed(Buffer.alloc(32, 9)).publicKeyHex, k.publicKeyHex, 'derived, so stable');
    const payload = Buffer.from('{"heads":[]}');
    const sig = k.sign(payload);
    assert.equal(sig.length, 64);
    assert.ok(k.verify(payload, sig));
    assert.equal(k.verify(Buffer.from('{"heads":[1]}'), sig), false);
    for (const i of [0, 31, 32, 63]) {
      const bad = Buffer.from(sig);
      bad[i]! ^= 1;
      assert.equal(k.verify(payload, bad), false, `byte ${i}`);
    }
    assert.equal(k.verify(payload, sig.subarray(0, 63)), false);
    assert.equal(k.verify(payload, Buffer.alloc(64)), false, 'r = s = 0');
    assert.equal(sm2KeyFromSeed(Buffer.alloc(32, 8)).verify(payload, sig), false, 'another key');
  });

  describe('a log that moves between suites', () => {
    let t: TestDatabase;
    const actions = testAuditActions('test.national', 'test.noted');
    const dataDir = mkdtempSync(join(tmpdir(), 'civitas-audit-sm-'));
    const keyFor = (suite: 'default' | 'national'): SigningKey =>
      loadSigningKey({ mode: 'test', dataDir, auditSigningKeyFile: undefined, cryptoSuite: suite });
    const service = (suite: 'default' | 'national') =>
      createAuditService({ db: t.db, key: keyFor(suite), actions });
    const appendSome = async (suite: 'default' | 'national', n: number) => {
      const audit = service(suite);
      for (let i = 0; i < n; i++)
        await audit.append(t.db, {
          actor: { type: 'system', id: 'test' },
          action: 'test.national',
          subject: { type: 'person', id: `p-${suite}-${i}` },
          clause: 'P7.2',
          detail: { i, suite },
        });
      return audit;
    };
    /** The owner switching the append-only triggers off: an attacker with the schema's rights. */
    const tamper = (sql: string) =>
      t.owner.tx(async (q) => {
        await q.query('ALTER TABLE audit_entry DISABLE TRIGGER USER');
        await q.query('ALTER TABLE audit_checkpoint DISABLE TRIGGER USER');
        await q.query(sql);
        await q.query('ALTER TABLE audit_entry ENABLE TRIGGER USER');
        await q.query('ALTER TABLE audit_checkpoint ENABLE TRIGGER USER');
      });

    before(async () => {
      t = await createTestDatabase();
      await t.owner.query('CREATE TABLE test_note (subject text PRIMARY KEY)');
      const app = (await t.db.query<{ u: string }>('SELECT current_user AS u')).rows[0]!.u;
      await t.owner.query(`GRANT SELECT, INSERT ON test_note TO "${app}"`);
    });
    after(() => t.drop());

    test('P7.2 entries of chains 2 and 3 and checkpoints signed with Ed25519 and SM2 verify together, in a transaction and on a pool, one statement or two', async () => {
      await (await appendSome('default', 5)).checkpoint();
      const national = await appendSome('national', 7);
      // Many writers at once on the pool: each takes its own lane.
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          national.append(t.db, {
            actor: { type: 'system', id: 'test' },
            action: 'test.national',
            clause: 'P7.2',
            detail: { parallel: i },
          }),
        ),
      );
      // Inside the caller's transaction, two entries on one lane.
      await t.db.tx(async (q) => {
        for (const i of [1, 2])
          await national.append(q, {
            actor: { type: 'system', id: 'test' },
            action: 'test.national',
            clause: 'P7.2',
            detail: { inTx: i },
          });
      });
      const noted = await national.appendWith(
        t.db,
        {
          name: 'test_note_sm',
          text: 'INSERT INTO test_note (subject) VALUES ($1) RETURNING subject AS audit_subject',
          values: ['n-1'],
        },
        {
          actor: { type: 'system', id: 'test' },
          action: 'test.noted',
          subject: { type: 'person', id: 'n-1' },
        },
      );
      assert.ok(noted);
      assert.ok(await national.checkpoint(), 'the suite changed, so a checkpoint is due');
      await (await appendSome('default', 3)).checkpoint();

      const chains = await t.db.query<{ chain: number; n: number }>(
        'SELECT chain, count(*)::int AS n FROM audit_entry GROUP BY 1 ORDER BY 1',
      );
      assert.deepEqual(
        chains.rows.map((r) => [r.chain, r.n]),
        [
          [2, 8],
          [3, 22],
        ],
      );
      const algs = await t.db.query<{ alg: string; chain: number; key_id: string }>(
        'SELECT alg, chain, key_id FROM audit_checkpoint ORDER BY id',
      );
      const k = keyFor('national');
      assert.deepEqual(
        algs.rows.map((r) => [r.alg, r.chain, r.key_id]),
        [
          ['ed25519', 2, k.id],
          ['sm2-sm3', 3, k.sm2.id],
          ['ed25519', 2, k.id],
        ],
      );
      const result = await verifyAuditChain(t.db, keyFor('default'));
      assert.equal(result.problem, undefined);
      assert.equal(result.entries, 30);
      assert.equal(result.checkpoints, 3);
    });

    test('P7.2 a chain-3 entry altered, re-linked with SHA-256, or an SM2 checkpoint forged, is found', async () => {
      const key = keyFor('national');
      const { rows } = await t.db.query<{ id: number }>(
        "SELECT id FROM audit_entry WHERE chain = 3 AND action = 'test.national' ORDER BY id LIMIT 1",
      );
      const id = rows[0]!.id;
      await tamper(`UPDATE audit_entry SET detail = '{"i":99}' WHERE id = ${id}`);
      let r = await verifyAuditChain(t.db, key);
      assert.equal(r.ok, false);
      assert.equal(r.problem?.entryId, id);
      assert.equal(r.problem?.kind, 'altered');
      await tamper(`UPDATE audit_entry SET detail = '{"i":0,"suite":"national"}' WHERE id = ${id}`);
      assert.equal((await verifyAuditChain(t.db, key)).ok, true, 'put back, it verifies again');

      // Declared chain 2 instead: linked with the other key, the hash no longer matches.
      await tamper(`UPDATE audit_entry SET chain = 2 WHERE id = ${id}`);
      r = await verifyAuditChain(t.db, key);
      assert.equal(r.problem?.entryId, id);
      await tamper(`UPDATE audit_entry SET chain = 3 WHERE id = ${id}`);

      // An SM2 checkpoint relabelled as Ed25519, or its signature changed: refused.
      await tamper(`UPDATE audit_checkpoint SET alg = 'ed25519' WHERE alg = 'sm2-sm3'`);
      r = await verifyAuditChain(t.db, key);
      assert.equal(r.problem?.kind, 'checkpoint');
      await tamper(`UPDATE audit_checkpoint SET alg = 'sm2-sm3' WHERE key_id LIKE 'sm2-%'`);
      await tamper(
        `UPDATE audit_checkpoint SET signature = set_byte(signature, 5, get_byte(signature, 5) # 1) WHERE alg = 'sm2-sm3'`,
      );
      r = await verifyAuditChain(t.db, key);
      assert.equal(r.problem?.kind, 'checkpoint');
      assert.match(r.problem?.message ?? '', /invalid signature/);
    });
  });
});

/**
 * Invariant: a person's data is readable only through their data key. Destroying the key
 * (crypto-shredding) makes every value unreadable from any copy of the database made
 * afterwards, even to someone holding the keyring; rotating the master key rewraps every
 * data key without losing data or stopping running processes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { startPrivacyEngine, type PrivacyEngine } from '../../../test/support/privacy.ts';
import { open } from './keyring.ts';
import { addMasterKey, createVaultService, keyringPath, loadLocalKeyManager, staffActor } from './index.ts';

let e: PrivacyEngine;
const staff = staffActor({ id: 'support-7', role: 'support' });

/** What an attacker with a database dump and the whole keyring file can recover. */
async function recoverFromDump(subjectId: string): Promise<string[]> {
  const dump = await e.t.db.query<{
    key_id: string | null;
    wrapped_key: Buffer | null;
    field: string;
    ciphertext: Buffer;
  }>(
    `SELECT s.key_id, s.wrapped_key, f.field, f.ciphertext FROM vault_subject s JOIN vault_field f ON f.subject_id = s.id WHERE s.id = $1`,
    [subjectId],
  );
  const ring = JSON.parse(
    readFileSync(keyringPath({ dataDir: e.dataDir, keyringFile: undefined }), 'utf8'),
  ) as { masterKeys: { key: string }[] };
  const recovered: string[] = [];
  for (const row of dump.rows) {
    for (const mk of ring.masterKeys) {
      try {
        const dk = open(
          Buffer.from(mk.key, 'base64'),
          row.wrapped_key ?? Buffer.alloc(45),
          Buffer.from(`datakey:${subjectId}`),
        );
        recovered.push(
          open(dk, row.ciphertext, Buffer.from(`vault_field:${row.field}:${subjectId}`)).toString(),
        );
      } catch {
        // wrong key or no key: nothing recovered
      }
    }
  }
  return recovered;
}

const read = (subjectId: string, vault = e.vault) =>
  vault.read({
    subjectId,
    actor: staff,
    purpose: 'customer-support',
    basis: { type: 'necessity', service: 'hotline-12345' },
    fields: ['name', 'phone'],
  });

describe('vault keys', () => {
  before(async () => {
    e = await startPrivacyEngine();
  });
  after(() => e.close());

  test('P8.1.delete after its key is destroyed, a person’s data cannot be read, even from a dump with the keyring', async () => {
    const person = await e.vault.createSubject('person');
    await e.vault.write(
      person,
      { name: '赵敏', phone: '13600000002' },
      { source: 'user', purpose: 'service-provision', actor: staff },
    );
    assert.deepEqual(
      (await recoverFromDump(person)).sort(),
      ['13600000002', '赵敏'],
      'the attack works while the key exists',
    );

    await e.vault.shred(person, { type: 'system', id: 'erasure', label: 'system:erasure' }, 'account-closed');
    assert.deepEqual(await recoverFromDump(person), []);
    await assert.rejects(
      read(person),
      (err: Error & { code?: string }) => err.code === 'vault.subject_erased',
    );
    const { rows } = await e.t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM vault_field WHERE subject_id = $1`,
      [person],
    );
    assert.equal(rows[0]!.n, 2, 'the ciphertexts are still there, and useless');
  });

  test('P7.2.encrypt rotating the master key rewraps every data key without losing data, while another process keeps reading', async () => {
    const people = await Promise.all(Array.from({ length: 25 }, () => e.vault.createSubject('person')));
    for (const [i, p] of people.entries()) {
      await e.vault.write(
        p,
        { name: `用户${i}`, phone: `1350000${String(i).padStart(4, '0')}` },
        { source: 'user', purpose: 'service-provision', actor: staff },
      );
    }
    const oldKey = e.keys.activeKeyId;
    // `civitas keys rotate` in another process: add a key to the file, then rewrap.
    const path = keyringPath({ dataDir: e.dataDir, keyringFile: undefined });
    const newKey = addMasterKey(path);
    const rotator = createVaultService({
      db: e.t.db,
      audit: e.audit,
      consent: e.consent,
      keys: loadLocalKeyManager({ mode: 'test', dataDir: e.dataDir, keyringFile: undefined }),
    });
    const rewrapped = await rotator.rewrapKeys(10);
    assert.ok(rewrapped >= 25, `rewrapped ${rewrapped}`);
    const { rows } = await e.t.db.query<{ key_id: string; n: number }>(
      `SELECT key_id, count(*)::int AS n FROM vault_subject WHERE wrapped_key IS NOT NULL GROUP BY key_id`,
    );
    assert.deepEqual(
      rows.map((r) => r.key_id),
      [newKey],
    );
    assert.notEqual(oldKey, newKey);
    // The running process loaded the keyring before the rotation and still reads everything.
    for (const [i, p] of people.entries()) assert.equal((await read(p)).values.name, `用户${i}`);
  });
});

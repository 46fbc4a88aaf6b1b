/**
 * Invariant (P7.2.backup, ADR 0043): a manifest records the key and algorithm that signed
 * it (Ed25519, or SM2 under `CRYPTO_SUITE=national`), so manifests made before and after a
 * move between suites both verify, and one changed in any field, its algorithm relabelled
 * or its signer swapped, does not.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadSigningKey } from '../audit/index.ts';
import { manifestVerifies, signManifest, type Manifest } from './backup.manifest.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'civitas-manifest-'));
const keyFor = (suite: 'default' | 'national') =>
  loadSigningKey({ mode: 'test', dataDir, auditSigningKeyFile: undefined, cryptoSuite: suite });

const manifest: Manifest = {
  version: 1,
  id: 'bk-20261204T184400Z-abcdef',
  format: 'pg_dump-custom',
  startedAt: '2026-12-04T18:44:00.000Z',
  finishedAt: '2026-12-04T18:45:00.000Z',
  database: { kind: 'external', name: 'civitas', serverVersion: '15.8', region: 'cn-north' },
  recoveryPoint: { lsn: '0/1A2B3C', time: '2026-12-04T18:44:01.000Z' },
  migrations: { '1': 'abc' },
  rows: { vault_subject: 3 },
  compression: 'none',
  sizes: { plain: 10, encrypted: 42 },
  sha256: '00'.repeat(32),
  keyId: 'bk-1',
  signedBy: '',
};

describe('backup manifest signatures', () => {
  test('P7.2.backup a national manifest is signed with SM2 and an older Ed25519 one still verifies after the move', () => {
    const old = signManifest(manifest, keyFor('default'));
    const fresh = signManifest(manifest, keyFor('national'));
    assert.equal(old.alg, undefined, 'Ed25519 manifests keep their bytes');
    assert.equal(fresh.alg, 'sm2-sm3');
    assert.equal(fresh.signedBy, keyFor('national').sm2.id);
    assert.equal(Buffer.from(fresh.signature!, 'base64').length, 64);
    for (const suite of ['default', 'national'] as const) {
      assert.ok(manifestVerifies(old, keyFor(suite)), `Ed25519 under ${suite}`);
      assert.ok(manifestVerifies(fresh, keyFor(suite)), `SM2 under ${suite}`);
    }
    // Signed again after moving back: Ed25519 again, with no SM2 label left behind.
    const back = signManifest(fresh, keyFor('default'));
    assert.equal(back.alg, undefined);
    assert.ok(manifestVerifies(back, keyFor('default')));
  });

  test('P7.2.backup a changed field, a relabelled algorithm or another signer fails verification', () => {
    const key = keyFor('national');
    const fresh = signManifest(manifest, key);
    const bad: Manifest[] = [
      { ...fresh, rows: { vault_subject: 2 } },
      { ...fresh, sha256: 'ff'.repeat(32) },
      { ...fresh, alg: undefined },
      { ...fresh, signedBy: key.id },
      { ...signManifest(manifest, keyFor('default')), alg: 'sm2-sm3', signedBy: key.sm2.id },
    ];
    for (const m of bad) assert.equal(manifestVerifies(m, key), false);
    const other = loadSigningKey({
      mode: 'test',
      dataDir: mkdtempSync(join(tmpdir(), 'civitas-manifest-other-')),
      auditSigningKeyFile: undefined,
      cryptoSuite: 'national',
    });
    assert.equal(manifestVerifies(fresh, other), false, 'another installation’s SM2 key');
  });
});

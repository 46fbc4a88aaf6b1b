/**
 * Invariant (P7.2.backup, ADR 0043): the erasure ledger is signed by the suite in force —
 * Ed25519, or SM2 under the national suite, each line naming its algorithm inside what its
 * hash covers — and a ledger written under both verifies whole; a line relabelled or altered
 * is refused, so a restore never skips an erasure.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadSigningKey } from '../audit/index.ts';
import { directoryDestination } from './backup.destination.ts';
import { LEDGER, readLedger, syncLedger, type Erasure } from './backup.ledger.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'civitas-ledger-'));
const keyFor = (suite: 'default' | 'national') =>
  loadSigningKey({ mode: 'test', dataDir, auditSigningKeyFile: undefined, cryptoSuite: suite });
const closed = (n: number, at: string): Erasure => ({
  closureId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  subjectId: `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  closedAt: new Date(at),
});

describe('the erasure ledger and the algorithm suites', () => {
  test('P7.2.backup lines signed with Ed25519 and then with SM2 verify together; a relabelled or altered line is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'civitas-ledger-dest-'));
    const d = directoryDestination(dir, 'cn-mainland');
    const all = [
      closed(1, '2026-12-01T00:00:00Z'),
      closed(2, '2026-12-02T00:00:00Z'),
      closed(3, '2026-12-03T00:00:00Z'),
    ];
    const upTo = (n: number) => async (after: Date | undefined) =>
      all.slice(0, n).filter((e) => !after || e.closedAt >= after);
    assert.equal(await syncLedger(d, keyFor('default'), upTo(1)), 1);
    assert.equal(await syncLedger(d, keyFor('national'), upTo(3)), 2);
    const text = readFileSync(join(dir, LEDGER), 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { alg?: string });
    assert.deepEqual(
      lines.map((l) => l.alg ?? 'ed25519'),
      ['ed25519', 'sm2-sm3', 'sm2-sm3'],
    );
    const read = readLedger(text, keyFor('default'), 'test');
    assert.deepEqual(
      read.entries.map((e) => e.closureId),
      all.map((e) => e.closureId),
    );

    // Relabelled as Ed25519: its hash no longer matches what was signed.
    const relabelled = text.replace('"alg":"sm2-sm3",', '');
    assert.throws(() => readLedger(relabelled, keyFor('default'), 'test'), { code: 'backup.ledger_broken' });
    // A subject changed on an SM2 line.
    const altered = text.replace(all[2]!.subjectId, all[0]!.subjectId);
    assert.throws(() => readLedger(altered, keyFor('default'), 'test'), { code: 'backup.ledger_broken' });
    writeFileSync(join(dir, LEDGER), text);
    await d.close();
  });
});

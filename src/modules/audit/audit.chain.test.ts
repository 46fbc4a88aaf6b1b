/**
 * Invariant: the fast content hash is byte-for-byte the hash of the canonical JSON of the
 * entry, and a transaction's appends stay on one lane (so a busy transaction never holds
 * several chains at once).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { canonicalJson } from '../../shared/canonical-json.ts';
import { contentHash, type RecordedFields } from './audit.chain.ts';
import { testAuditActions } from '../../../test/support/audit.ts';
import { createAuditService, loadSigningKey, verifyAuditChain } from './index.ts';

import type { VerifyResult } from './audit.verify.ts';

/** A result without the verified time range (which depends on when the test ran). */
const counts = ({ from: _from, to: _to, ...r }: VerifyResult) => r;

describe('audit chain arithmetic', () => {
  test('the content hash equals sha256 of the canonical JSON, for awkward strings too', () => {
    const samples: RecordedFields[] = [
      {
        occurredAt: '2026-11-24T08:00:00.123Z',
        actorType: 'staff',
        actorId: 'a"b\\c',
        action: 'vault.read',
        subjectType: null,
        subjectId: '王芳\u2028\u0000',
        purpose: 'customer-support',
        legalBasis: null,
        clause: 'P4',
        detail: { z: 1, a: [true, null, { y: 'x', b: 2.5 }] },
        requestId: null,
      },
    ];
    for (const f of samples) {
      const expected = createHash('sha256')
        .update(canonicalJson({ v: 1, ...f }))
        .digest();
      assert.deepEqual(contentHash(f), expected);
    }
  });

  describe('lanes', () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase();
    });
    after(() => t.drop());

    test('P7.2 every append of a transaction lands on the lane its first append took', async () => {
      const key = loadSigningKey({
        mode: 'test',
        dataDir: mkdtempSync(join(tmpdir(), 'civitas-lanes-')),
        auditSigningKeyFile: undefined,
      });
      const audit = createAuditService({ db: t.db, key, actions: testAuditActions('test.lanes') });
      const lanesPerTx = await Promise.all(
        Array.from({ length: 12 }, (_, w) =>
          t.db.tx(async (q) => {
            const lanes = new Set<number>();
            for (let i = 0; i < 20; i++)
              lanes.add(
                (await audit.append(q, { actor: { type: 'system', id: `w${w}` }, action: 'test.lanes' }))
                  .lane,
              );
            return lanes.size;
          }),
        ),
      );
      assert.deepEqual(lanesPerTx, Array(12).fill(1));
      await audit.checkpoint();
      assert.deepEqual(counts(await verifyAuditChain(t.db, key)), {
        ok: true,
        entries: 240,
        checkpoints: 1,
        unsigned: 0,
      });
    });
  });
});

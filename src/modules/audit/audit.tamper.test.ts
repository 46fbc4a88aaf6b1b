/**
 * Invariant: any change to the audit log after the fact — an altered entry, a deleted
 * entry, a cut-off tail, a forged checkpoint — is found by `civitas audit verify`, which
 * names the first bad entry and exits non-zero. The database itself refuses UPDATE,
 * DELETE and TRUNCATE, so these tests play an attacker with superuser rights who
 * switches the triggers off.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { chainHash, contentHash, GENESIS } from './audit.chain.ts';
import { entriesAfter } from './audit.repository.ts';
import {
  createAuditService,
  loadSigningKey,
  verifyAuditChain,
  type AuditService,
  type SigningKey,
} from './index.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'civitas-audit-'));
const key: SigningKey = loadSigningKey({ mode: 'test', dataDir, auditSigningKeyFile: undefined });

let t: TestDatabase;
let audit: AuditService;

async function appendMany(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await audit.append(t.db, {
      actor: { type: 'staff', id: `staff-${i % 3}` },
      action: 'test.action',
      subject: { type: 'citizen', id: `c-${i}` },
      purpose: 'customer-support',
      clause: 'P4',
      detail: { n: i, nested: { ok: true } },
    });
  }
}

/** An attacker with superuser rights: triggers off for this session only. */
async function tamper(sql: string, values: unknown[] = []): Promise<void> {
  const c = await t.db.pool.connect();
  try {
    await c.query('SET session_replication_role = replica');
    await c.query(sql, values);
  } finally {
    await c.query('RESET session_replication_role');
    c.release();
  }
}

function cliVerify(): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, ['bin/civitas.js', 'audit', 'verify'], {
    env: {
      ...process.env,
      CIVITAS_MODE: 'test',
      DATABASE_URL: t.url,
      CIVITAS_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
    },
    encoding: 'utf8',
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('audit chain tamper evidence', () => {
  before(async () => {
    t = await createTestDatabase();
    audit = createAuditService({ db: t.db, key });
  });
  after(() => t.drop());
  beforeEach(async () => {
    await tamper('DELETE FROM audit_entry');
    await tamper('DELETE FROM audit_checkpoint');
    await tamper(`UPDATE audit_lane SET seq = 0, head = decode(repeat('00', 32), 'hex')`);
  });

  test('P7.2 an untouched chain verifies, through the CLI too', async () => {
    await appendMany(25);
    await audit.checkpoint();
    await appendMany(5);
    const r = await verifyAuditChain(t.db, key);
    assert.deepEqual(r, { ok: true, entries: 30, checkpoints: 1 });
    const cli = cliVerify();
    assert.equal(cli.status, 0, cli.out);
    assert.match(cli.out, /audit chain intact: 30 entries, 1 signed checkpoints/);
  });

  test('P7.2 the database refuses UPDATE, DELETE and TRUNCATE of audit entries', async () => {
    await appendMany(2);
    await audit.checkpoint();
    await assert.rejects(t.db.query(`UPDATE audit_entry SET action = 'x'`), /append-only/);
    await assert.rejects(t.db.query('DELETE FROM audit_entry'), /append-only/);
    await assert.rejects(t.db.query('TRUNCATE audit_entry CASCADE'), /append-only/);
    await assert.rejects(t.db.query('DELETE FROM audit_checkpoint'), /append-only/);
  });

  test('P7.2 an altered entry is named by id', async () => {
    await appendMany(10);
    const { rows } = await t.db.query<{ id: number }>(
      'SELECT id FROM audit_entry ORDER BY id OFFSET 4 LIMIT 1',
    );
    const victim = rows[0]!.id;
    await tamper(`UPDATE audit_entry SET purpose = 'marketing' WHERE id = $1`, [victim]);
    const r = await verifyAuditChain(t.db, key);
    assert.equal(r.ok, false);
    assert.equal(r.problem?.kind, 'altered');
    assert.equal(r.problem?.entryId, victim);
    const cli = cliVerify();
    assert.equal(cli.status, 1);
    assert.match(cli.out, new RegExp(`audit chain BROKEN: entry ${victim} .* was altered`));
  });

  test('P7.2 an entry rewritten with correctly recomputed hashes is caught by the signed checkpoint', async () => {
    await appendMany(3);
    await audit.checkpoint();
    // A careful attacker alters the newest entry and recomputes its content hash, its
    // chain hash and the lane head: only the checkpoint signature betrays the rewrite.
    const [e] = await entriesAfter(t.db, 0, 1000).then((all) => all.slice(-1));
    const prev = await t.db.query<{ hash: Buffer }>(
      'SELECT hash FROM audit_entry WHERE lane = $1 AND seq = $2',
      [e!.lane, e!.seq - 1],
    );
    const forged = { ...e!, purpose: 'marketing' };
    const content = contentHash(forged);
    const hash = chainHash(prev.rows[0]?.hash ?? GENESIS, e!.lane, e!.seq, content);
    await tamper('UPDATE audit_entry SET purpose = $2, content_hash = $3, hash = $4 WHERE id = $1', [
      e!.id,
      'marketing',
      content,
      hash,
    ]);
    await tamper('UPDATE audit_lane SET head = $2 WHERE lane = $1', [e!.lane, hash]);
    const r = await verifyAuditChain(t.db, key);
    assert.equal(r.ok, false);
    assert.equal(r.problem?.entryId, e!.id);
    assert.match(r.problem?.message ?? '', /differs from what checkpoint \d+ signed/);
  });

  test('P7.2 a deleted entry is found as a gap in its lane', async () => {
    await appendMany(10);
    const { rows } = await t.db.query<{ id: number; lane: number; seq: number }>(
      'SELECT id, lane, seq FROM audit_entry ORDER BY id OFFSET 3 LIMIT 1',
    );
    const victim = rows[0]!;
    await tamper('DELETE FROM audit_entry WHERE id = $1', [victim.id]);
    const r = await verifyAuditChain(t.db, key);
    assert.equal(r.ok, false);
    assert.equal(r.problem?.kind, 'missing');
    assert.equal(r.problem?.lane, victim.lane);
    assert.equal(r.problem?.seq, victim.seq);
    const cli = cliVerify();
    assert.equal(cli.status, 1);
    assert.match(cli.out, new RegExp(`lane ${victim.lane}: entry seq ${victim.seq} is missing`));
  });

  test('P7.2 a truncated tail is caught by the signed checkpoint even when the lane head is rewound', async () => {
    await appendMany(10);
    await audit.checkpoint();
    const { rows } = await t.db.query<{ lane: number; seq: number }>(
      'SELECT lane, max(seq)::int AS seq FROM audit_entry GROUP BY lane ORDER BY 2 DESC LIMIT 1',
    );
    const { lane, seq } = rows[0]!;
    // Cut the last three entries and make the lane table agree, as a careful attacker would.
    await tamper('DELETE FROM audit_entry WHERE lane = $1 AND seq > $2', [lane, seq - 3]);
    await tamper(
      `UPDATE audit_lane SET seq = $2, head = (SELECT hash FROM audit_entry WHERE lane = $1 AND seq = $2) WHERE lane = $1`,
      [lane, seq - 3],
    );
    const r = await verifyAuditChain(t.db, key);
    assert.equal(r.ok, false);
    assert.equal(r.problem?.kind, 'truncated');
    assert.match(
      r.problem?.message ?? '',
      new RegExp(`lane ${lane} ends at seq ${seq - 3} but checkpoint \\d+ signed seq ${seq}`),
    );
    assert.equal(cliVerify().status, 1);
  });

  test('P7.2 a forged or removed checkpoint is refused', async () => {
    await appendMany(2);
    const first = await audit.checkpoint();
    await appendMany(2);
    await audit.checkpoint();
    await tamper('DELETE FROM audit_checkpoint WHERE id = $1', [first]);
    let r = await verifyAuditChain(t.db, key);
    assert.equal(r.problem?.kind, 'checkpoint');
    assert.match(r.problem?.message ?? '', /does not follow the previous checkpoint/);

    await tamper('DELETE FROM audit_checkpoint');
    await audit.checkpoint();
    await tamper(`UPDATE audit_checkpoint SET heads = '[]'::jsonb`);
    r = await verifyAuditChain(t.db, key);
    assert.match(r.problem?.message ?? '', /invalid signature/);
  });

  test('P7.2 concurrent appends on many connections all land in valid chains', async () => {
    await Promise.all(
      Array.from({ length: 16 }, (_, w) =>
        (async () => {
          for (let i = 0; i < 20; i++) {
            await t.db.tx(async (q) => {
              await audit.append(q, { actor: { type: 'system', id: `w${w}` }, action: 'test.concurrent' });
              await audit.append(q, {
                actor: { type: 'system', id: `w${w}` },
                action: 'test.concurrent.second',
              });
            });
          }
        })(),
      ),
    );
    await audit.checkpoint();
    const r = await verifyAuditChain(t.db, key);
    assert.deepEqual(r, { ok: true, entries: 640, checkpoints: 1 });
    const lanes = await t.db.query<{ n: number }>('SELECT count(DISTINCT lane)::int AS n FROM audit_entry');
    assert.ok(lanes.rows[0]!.n > 1, 'concurrent writers spread over more than one lane');
  });

  test('a rolled-back transaction leaves no audit entry and no gap', async () => {
    await appendMany(2);
    await assert.rejects(
      t.db.tx(async (q) => {
        await audit.append(q, { actor: { type: 'system' }, action: 'test.rolled_back' });
        throw new Error('business rule failed');
      }),
      /business rule failed/,
    );
    await appendMany(1);
    const r = await verifyAuditChain(t.db, key);
    assert.deepEqual(r, { ok: true, entries: 3, checkpoints: 0 });
  });
});

/**
 * Invariant: any change to the audit log after the fact — an altered entry, a deleted
 * entry, a cut-off tail, a forged or dropped checkpoint, a wiped log — is found by
 * `civitas audit verify`, which names the first bad entry and exits non-zero. The tail
 * newer than the newest checkpoint is proven against outside evidence (an exported
 * checkpoint, an expected count); an empty log never verifies. The database itself
 * refuses UPDATE, DELETE and TRUNCATE, so these tests play an attacker with the owner's
 * rights who switches the triggers off.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { testAuditActions } from '../../../test/support/audit.ts';
import { contentHash, GENESIS } from './audit.chain.ts';
import { entriesAfter } from './audit.repository.ts';
import {
  createAuditService,
  loadSigningKey,
  readExportedCheckpoint,
  verifyAuditChain,
  verifyReport,
  type AuditService,
  type SigningKey,
} from './index.ts';

import type { VerifyResult } from './audit.verify.ts';

/** A result without the verified time range (which depends on when the test ran). */
const counts = ({ from: _from, to: _to, ...r }: VerifyResult) => r;

const dataDir = mkdtempSync(join(tmpdir(), 'civitas-audit-'));
const key: SigningKey = loadSigningKey({ mode: 'test', dataDir, auditSigningKeyFile: undefined });

let t: TestDatabase;
const actions = testAuditActions(
  'test.action',
  'test.spread',
  'test.concurrent',
  'test.concurrent.second',
  'test.rolled_back',
);
let audit: AuditService<keyof typeof actions>;

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

/** An attacker with the owner's rights: the append-only triggers off for one transaction. */
async function tamper(sql: string, values: unknown[] = []): Promise<void> {
  await t.owner.tx(async (q) => {
    await q.query('ALTER TABLE audit_entry DISABLE TRIGGER USER');
    await q.query('ALTER TABLE audit_checkpoint DISABLE TRIGGER USER');
    await q.query(sql, values);
    await q.query('ALTER TABLE audit_entry ENABLE TRIGGER USER');
    await q.query('ALTER TABLE audit_checkpoint ENABLE TRIGGER USER');
  });
}

/** Cuts every lane back to what checkpoint `id` signed and rewinds the lane heads to match. */
async function cutBackTo(id: number): Promise<void> {
  const signed = `(SELECT (h->>'lane')::int AS lane, (h->>'seq')::bigint AS seq
                     FROM audit_checkpoint, jsonb_array_elements(heads) h WHERE id = ${Number(id)})`;
  await tamper(
    `DELETE FROM audit_entry e WHERE e.seq > coalesce((SELECT s.seq FROM ${signed} s WHERE s.lane = e.lane), 0)`,
  );
  await tamper(
    `UPDATE audit_lane l SET seq = coalesce(s.seq, 0),
            head = coalesce((SELECT hash FROM audit_entry e WHERE e.lane = l.lane AND e.seq = s.seq),
                            decode(repeat('00', 32), 'hex'))
       FROM audit_lane l2 LEFT JOIN ${signed} s ON s.lane = l2.lane
      WHERE l2.lane = l.lane`,
  );
}

/** Many writers at once, so entries land on several lanes. */
async function appendSpread(n: number): Promise<void> {
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      t.db.tx((q) => audit.append(q, { actor: { type: 'system', id: `s${i}` }, action: 'test.spread' })),
    ),
  );
}

function cliVerify(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, ['bin/civitas.js', 'audit', 'verify', ...args], {
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

/**
 * What `civitas audit verify` would print and exit with, in process: the CLI's own
 * verification and report (verifyReport). The CLI itself is spawned once in this file
 * (test (c)), for its argument parsing and non-zero exit: a spawn costs a whole process
 * start, and every other chain here is small enough to verify in process.
 */
async function verified(
  opts: { expectAtLeast?: number; checkpointFile?: string } = {},
): Promise<{ status: number; out: string }> {
  const checkpoint = opts.checkpointFile ? readExportedCheckpoint(opts.checkpointFile) : undefined;
  if (opts.checkpointFile) assert.ok(checkpoint, `${opts.checkpointFile} exists`);
  const r = await verifyAuditChain(t.db, key, { expectAtLeast: opts.expectAtLeast, checkpoint });
  const report = verifyReport(r, {
    seconds: 0,
    evidence: checkpoint !== undefined || opts.expectAtLeast !== undefined,
  });
  return { status: report.exitCode, out: report.stdout + report.stderr };
}

describe('audit chain tamper evidence', () => {
  before(async () => {
    t = await createTestDatabase();
    audit = createAuditService({ db: t.db, key, actions });
  });
  after(() => t.drop());
  beforeEach(async () => {
    await tamper('DELETE FROM audit_entry');
    await tamper('DELETE FROM audit_checkpoint');
    await tamper(`UPDATE audit_lane SET seq = 0, head = decode(repeat('00', 32), 'hex')`);
    await audit.checkpoint(); // what every start writes: the genesis checkpoint
  });

  test('P7.2.audit an untouched chain verifies, and the CLI report says so', async () => {
    await appendMany(25);
    await audit.checkpoint();
    await appendMany(5);
    const r = await verifyAuditChain(t.db, key);
    assert.deepEqual(counts(r), { ok: true, entries: 30, checkpoints: 2, unsigned: 5 });
    const cli = await verified();
    assert.equal(cli.status, 0, cli.out);
    assert.match(cli.out, /audit chain intact: 30 entries, 2 signed checkpoints/);
    assert.match(cli.out, /5 entries are newer than the newest checkpoint/);
    assert.match(cli.out, /verified range: entries from \d{4}-\d\d-\d\dT[\d:.]+Z to \d{4}-/);
    assert.match(cli.out, /from the first entry \(nothing archived\)/);
    // Without outside evidence the CLI does not claim more than it can prove.
    assert.match(cli.out, /could have been cut off with their lane heads/);
    assert.equal((await verifyAuditChain(t.db, key, { expectAtLeast: 30 })).ok, true);
  });

  test('P7.2.audit the database refuses UPDATE, DELETE and TRUNCATE of audit entries, even to their owner', async () => {
    await appendMany(2);
    await audit.checkpoint();
    await assert.rejects(t.owner.query(`UPDATE audit_entry SET action = 'x'`), /append-only/);
    await assert.rejects(t.owner.query('DELETE FROM audit_entry'), /append-only/);
    await assert.rejects(t.owner.query('TRUNCATE audit_entry CASCADE'), /append-only/);
    await assert.rejects(t.owner.query('DELETE FROM audit_checkpoint'), /append-only/);
  });

  test('P7.2.audit the application role can neither switch the append-only triggers off nor change audit rows', async () => {
    await appendMany(2);
    await audit.checkpoint();
    const role = await t.db.query<{ super: boolean }>(
      'SELECT rolsuper AS super FROM pg_roles WHERE rolname = current_user',
    );
    assert.equal(role.rows[0]!.super, false, 'the application does not connect as a superuser');
    await assert.rejects(t.db.query('ALTER TABLE audit_entry DISABLE TRIGGER USER'), /must be owner/);
    await assert.rejects(t.db.query('ALTER TABLE audit_checkpoint DISABLE TRIGGER ALL'), /must be owner/);
    await assert.rejects(t.db.query('SET session_replication_role = replica'), /permission denied/);
    for (const sql of [
      `UPDATE audit_entry SET action = 'x'`,
      'DELETE FROM audit_entry',
      'TRUNCATE audit_entry',
      `UPDATE audit_checkpoint SET key_id = 'x'`,
      'DELETE FROM audit_checkpoint',
      'UPDATE audit_lane SET seq = 0',
    ])
      await assert.rejects(t.db.query(sql), /permission denied/, sql);
    // What it may do: append (through audit_append) and read.
    assert.equal((await verifyAuditChain(t.db, key)).ok, true);
  });

  test('P7.2.audit an altered entry is named by id', async () => {
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
    const cli = await verified();
    assert.equal(cli.status, 1);
    assert.match(cli.out, new RegExp(`audit chain BROKEN: entry ${victim} .* was altered`));
  });

  test('P7.2.audit an entry rewritten with correctly recomputed hashes is caught by the signed checkpoint', async () => {
    await appendMany(3);
    await audit.checkpoint();
    // An attacker holding even the chain key alters the newest entry and recomputes its
    // content hash, its chain hash and the lane head: the checkpoint signature betrays it.
    const [e] = await entriesAfter(t.db, 0, 1000).then((all) => all.slice(-1));
    const prev = await t.db.query<{ hash: Buffer }>(
      'SELECT hash FROM audit_entry WHERE lane = $1 AND seq = $2',
      [e!.lane, e!.seq - 1],
    );
    const forged = { ...e!, purpose: 'marketing' };
    const content = contentHash(forged);
    const hash = key.chainKey.link(prev.rows[0]?.hash ?? GENESIS, e!.lane, e!.seq, content);
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

  test('P7.2.audit a deleted entry is found as a gap in its lane', async () => {
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
    const cli = await verified();
    assert.equal(cli.status, 1);
    assert.match(cli.out, new RegExp(`lane ${victim.lane}: entry seq ${victim.seq} is missing`));
  });

  test('P7.2.audit a truncated tail is caught by the signed checkpoint even when the lane head is rewound', async () => {
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
    assert.equal((await verified()).status, 1);
  });

  test('P7.2.audit a forged or removed checkpoint is refused', async () => {
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
    await tamper(`UPDATE audit_checkpoint SET heads = '[{"lane":0,"seq":1,"hash":"00"}]'::jsonb`);
    r = await verifyAuditChain(t.db, key);
    assert.match(r.problem?.message ?? '', /invalid signature/);
  });

  test('P7.2.audit concurrent appends on many connections all land in valid chains', async () => {
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
    assert.deepEqual(counts(r), { ok: true, entries: 640, checkpoints: 2, unsigned: 0 });
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
    assert.deepEqual(counts(r), { ok: true, entries: 3, checkpoints: 1, unsigned: 3 });
  });

  // The four attacks of issue 10 item 20: each reported "intact" before the fix.

  test('P7.2.audit (a) the unsigned tail cut from every lane, heads rewound, fails against the expected count', async () => {
    await appendSpread(12);
    const signed = (await audit.checkpoint())!;
    await appendSpread(12);
    const lanes = await t.db.query<{ n: number }>(
      'SELECT count(DISTINCT lane)::int AS n FROM audit_entry WHERE id > (SELECT min(id) FROM audit_entry) + 11',
    );
    assert.ok(lanes.rows[0]!.n > 1, 'the tail spans several lanes');
    await cutBackTo(signed);
    // The operator's monitoring saw 24 entries (audit status on the console, or a previous run).
    const r = await verifyAuditChain(t.db, key, { expectAtLeast: 24 });
    assert.equal(r.ok, false);
    assert.equal(r.problem?.kind, 'shrunk');
    const cli = await verified({ expectAtLeast: 24 });
    assert.equal(cli.status, 1, cli.out);
    assert.match(cli.out, /audit chain BROKEN: the log holds 12 entries, fewer than the 24 expected/);
  });

  test('P7.2.audit (b) an entry deleted after the newest checkpoint and the lane re-chained with SQL sha256 is found', async () => {
    for (const downgrade of [false, true]) {
      await tamper('DELETE FROM audit_entry');
      await tamper('DELETE FROM audit_checkpoint');
      await tamper(`UPDATE audit_lane SET seq = 0, head = decode(repeat('00', 32), 'hex')`);
      await appendMany(4);
      await audit.checkpoint();
      await appendMany(6);
      const { rows } = await t.db.query<{ id: number; lane: number; seq: number }>(
        'SELECT id, lane, seq FROM audit_entry ORDER BY id DESC LIMIT 1 OFFSET 3',
      );
      const victim = rows[0]!;
      // Delete it, renumber the rest of the lane and link it again as 0001's audit_append did.
      await tamper(`DELETE FROM audit_entry WHERE id = ${victim.id}`);
      await tamper(`DO $$
        DECLARE r record; h bytea; s bigint := ${victim.seq - 1};
        BEGIN
          SELECT hash INTO h FROM audit_entry WHERE lane = ${victim.lane} AND seq = s;
          FOR r IN SELECT id, content_hash FROM audit_entry
                    WHERE lane = ${victim.lane} AND seq > ${victim.seq} ORDER BY seq LOOP
            s := s + 1;
            h := sha256(h || int2send(${victim.lane}::smallint) || int8send(s) || r.content_hash);
            UPDATE audit_entry SET seq = s, hash = h ${downgrade ? ', chain = 1' : ''} WHERE id = r.id;
          END LOOP;
          UPDATE audit_lane SET seq = s, head = h WHERE lane = ${victim.lane};
        END $$`);
      const r = await verifyAuditChain(t.db, key);
      assert.equal(r.ok, false, `downgrade ${downgrade}`);
      assert.equal(r.problem?.kind, 'altered');
      assert.ok(r.problem!.entryId! > victim.id, 'names the first re-chained entry');
      assert.match(
        r.problem!.message,
        downgrade ? /linked without the chain key after the chain became keyed/ : /was altered/,
      );
      if (downgrade) assert.equal((await verified()).status, 1);
    }
  });

  test('P7.2.audit (c) the newest checkpoint dropped and the log cut back to the one before fails against the exported checkpoint', async () => {
    const exportFile = join(dataDir, 'exported', `checkpoint-${process.pid}.json`);
    const exporting = createAuditService({ db: t.db, key, exportFile, actions });
    await appendSpread(6);
    const before = (await exporting.checkpoint())!;
    await appendSpread(6);
    const newest = (await exporting.checkpoint())!;
    assert.equal(readExportedCheckpoint(exportFile)?.id, newest);
    await tamper(`DELETE FROM audit_checkpoint WHERE id = ${newest}`);
    await cutBackTo(before);
    const r = await verifyAuditChain(t.db, key, { checkpoint: readExportedCheckpoint(exportFile) });
    assert.equal(r.ok, false);
    assert.equal(r.problem?.kind, 'shrunk');
    const cli = cliVerify('--checkpoint', exportFile);
    assert.equal(cli.status, 1, cli.out);
    assert.match(cli.out, new RegExp(`the exported checkpoint ${newest} .* is not in the database`));
  });

  test('P7.2.audit (d) a wiped log (entries, checkpoints and lanes) never verifies', async () => {
    await appendSpread(5);
    await audit.checkpoint();
    await tamper('DELETE FROM audit_entry');
    await tamper('DELETE FROM audit_checkpoint');
    await tamper(`UPDATE audit_lane SET seq = 0, head = decode(repeat('00', 32), 'hex')`);
    const r = await verifyAuditChain(t.db, key);
    assert.equal(r.ok, false);
    assert.equal(r.problem?.kind, 'empty');
    const cli = await verified();
    assert.equal(cli.status, 1, cli.out);
    assert.match(cli.out, /audit chain BROKEN: no signed checkpoint/);
  });
});

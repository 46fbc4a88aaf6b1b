/**
 * Invariant: the audit chain's months past their retention are dropped whole, and the
 * chain still verifies from the signed archive record they leave; `civitas audit verify`
 * states the range it verified and what was archived. A month naming a held person stays
 * (and every later one); a month whose lane entries straddle into a later month stays; and
 * removing or forging an archive record, or dropping a month without one, is found.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { testAuditActions } from '../../../test/support/audit.ts';
import { ensurePartitions, monthPartitions } from '../../kernel/db/index.ts';
import { createAuditArchive } from './audit.archive.ts';
import {
  auditActions,
  createAuditService,
  loadSigningKey,
  verifyAuditChain,
  verifyReport,
  type AuditService,
  type SigningKey,
} from './index.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'civitas-archive-'));
const key: SigningKey = loadSigningKey({ mode: 'test', dataDir, auditSigningKeyFile: undefined });
const actions = {
  ...testAuditActions('test.old', 'test.new'),
  'audit.archived': auditActions['audit.archived'],
};
const NOW = new Date('2026-12-06T12:00:00Z');
const THREE_YEARS = 1095;

let t: TestDatabase;
let at = NOW;
let audit: AuditService<keyof typeof actions | 'audit.archived'>;

/** `n` entries written at `when`, from several connections at once so they spread over lanes. */
async function appendAt(when: string, n: number, subject = 'c-1'): Promise<void> {
  at = new Date(when);
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      t.db.tx((q) =>
        audit.append(q, {
          actor: { type: 'system', id: `s${i}` },
          action: when < '2026' ? 'test.old' : 'test.new',
          subject: { type: 'citizen', id: subject },
        }),
      ),
    ),
  );
  at = NOW;
}

/** The owner with the triggers off: an attacker, or a careless operator. */
async function tamper(sql: string): Promise<void> {
  await t.owner.tx(async (q) => {
    await q.query('ALTER TABLE audit_archive DISABLE TRIGGER USER');
    await q.query(sql);
    await q.query('ALTER TABLE audit_archive ENABLE TRIGGER USER');
  });
}

describe('audit chain archive', () => {
  before(async () => {
    t = await createTestDatabase();
    audit = createAuditService({ db: t.db, key, actions, now: () => at });
  });
  after(() => t.drop());
  beforeEach(async () => {
    await t.owner.tx(async (q) => {
      for (const table of ['audit_entry', 'audit_checkpoint', 'audit_archive'])
        await q.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
      await q.query('DELETE FROM audit_entry');
      await q.query('DELETE FROM audit_checkpoint');
      await q.query('DELETE FROM audit_archive');
      for (const p of await monthPartitions(q, 'audit_entry'))
        if (p.from < new Date('2024-01-01')) await q.query(`DROP TABLE ${p.name}`);
      await q.query(`UPDATE audit_lane SET seq = 0, head = decode(repeat('00', 32), 'hex')`);
      for (const table of ['audit_entry', 'audit_checkpoint', 'audit_archive'])
        await q.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
    });
    await ensurePartitions(t.db, 'audit_entry', new Date('2022-01-01'), 3);
    await audit.checkpoint();
  });

  const archive = (held: string[] = []) =>
    createAuditArchive({ db: t.db, key, audit })({ now: NOW, days: THREE_YEARS, dryRun: false, held });

  test('P7.2.audit months past their retention are dropped whole; the chain verifies from the signed archive record and the report states the range', async () => {
    await appendAt('2022-01-10T08:00:00Z', 12);
    await appendAt('2022-02-10T08:00:00Z', 6);
    await audit.checkpoint();
    await appendAt('2026-12-06T09:00:00Z', 7);

    const dry = await createAuditArchive({ db: t.db, key, audit })({
      now: NOW,
      days: THREE_YEARS,
      dryRun: true,
      held: [],
    });
    // March 2022 was empty: it goes too, and leaves its own record.
    assert.deepEqual(dry.dropped, [
      { partition: 'audit_entry_p202201', entries: 12 },
      { partition: 'audit_entry_p202202', entries: 6 },
      { partition: 'audit_entry_p202203', entries: 0 },
    ]);
    assert.equal(
      (await monthPartitions(t.db, 'audit_entry')).filter((p) => p.name < 'audit_entry_p2024').length,
      3,
    );
    const r = await archive();
    assert.deepEqual(
      r.dropped.map((d) => [d.partition, d.entries]),
      [
        ['audit_entry_p202201', 12],
        ['audit_entry_p202202', 6],
        ['audit_entry_p202203', 0],
      ],
    );
    assert.equal(r.kept, undefined);
    const left = (await monthPartitions(t.db, 'audit_entry')).map((p) => p.name);
    assert.ok(!left.some((n) => n < 'audit_entry_p2024'), left.join(', '));

    const v = await verifyAuditChain(t.db, key);
    assert.equal(v.ok, true, v.problem?.message);
    // The 7 new entries and one audit.archived entry per dropped month.
    assert.equal(v.entries, 10);
    assert.deepEqual(v.archived, {
      records: 3,
      newest: v.archived!.newest,
      before: '2022-04-01T00:00:00.000Z',
      entries: 18,
    });
    assert.ok(v.from! >= '2026-12-06T09:00:00', v.from);
    const out = verifyReport(v, { seconds: 0, evidence: false }).stdout;
    assert.match(out, /verified range: entries from 2026-12-06T09:00:00\.000Z to 2026-12-06T12:00:00\.000Z/);
    assert.match(
      out,
      /18 older entries \(months before 2022-04-01T00:00:00\.000Z\) were dropped past their retention/,
    );
    assert.match(out, /verified from signed archive record \d+ \(3 archive records, all signed\)/);

    // Verification still catches what it caught before: a new entry altered.
    await t.owner.tx(async (q) => {
      await q.query('ALTER TABLE audit_entry DISABLE TRIGGER USER');
      await q.query(
        `UPDATE audit_entry SET actor_id = 'someone-else' WHERE action = 'test.new' AND actor_id = 's3'`,
      );
      await q.query('ALTER TABLE audit_entry ENABLE TRIGGER USER');
    });
    const altered = await verifyAuditChain(t.db, key);
    assert.equal(altered.ok, false);
    assert.equal(altered.problem?.kind, 'altered');
  });

  test('P7.2.audit a removed or forged archive record, or a month dropped without one, is found', async () => {
    await appendAt('2022-01-10T08:00:00Z', 8);
    await appendAt('2022-02-10T08:00:00Z', 8);
    assert.equal((await archive()).dropped.length, 3);
    assert.equal((await verifyAuditChain(t.db, key)).ok, true);

    await tamper(`UPDATE audit_archive SET entries = entries + 1 WHERE partition = 'audit_entry_p202202'`);
    const forged = await verifyAuditChain(t.db, key);
    assert.equal(forged.ok, false);
    assert.match(
      forged.problem!.message,
      /archive record \d+ \(audit_entry_p202202\) has an invalid signature/,
    );
    await tamper(`UPDATE audit_archive SET entries = entries - 1 WHERE partition = 'audit_entry_p202202'`);

    // The newest record removed: the lanes would start where the older one says, and the
    // entries between are gone.
    await tamper(`DELETE FROM audit_archive WHERE partition = 'audit_entry_p202203'`);
    await tamper(`DELETE FROM audit_archive WHERE partition = 'audit_entry_p202202'`);
    const removed = await verifyAuditChain(t.db, key);
    assert.equal(removed.ok, false);
    assert.equal(removed.problem?.kind, 'missing');
  });

  test('P7.2.audit a month dropped behind the archive’s back leaves a gap verification names', async () => {
    await appendAt('2022-01-10T08:00:00Z', 4);
    await appendAt('2026-12-06T09:00:00Z', 4);
    await t.owner.query('DROP TABLE audit_entry_p202201');
    const v = await verifyAuditChain(t.db, key);
    assert.equal(v.ok, false);
    assert.equal(v.problem?.kind, 'missing');
    // The application may not do it itself: the database wants an archive record first.
    await appendAt('2022-02-10T08:00:00Z', 1);
    await assert.rejects(
      t.db.tx((q) => q.query(`SELECT civitas_partition_drop('audit_entry', 'audit_entry_p202202')`)),
      /no archive record covers audit_entry_p202202/,
    );
    await assert.rejects(t.db.query(`DROP TABLE audit_entry_p202202`), /must be owner|permission denied/);
  });

  test('P7.2.audit under the national suite the archive record is signed with SM2, and a log archived under both suites verifies', async () => {
    const national = loadSigningKey({
      mode: 'test',
      dataDir,
      auditSigningKeyFile: undefined,
      cryptoSuite: 'national',
    });
    await appendAt('2022-01-10T08:00:00Z', 4);
    await appendAt('2022-02-10T08:00:00Z', 4);
    // January under the default suite, then February and March under the national one.
    const january = await createAuditArchive({ db: t.db, key, audit })({
      now: new Date('2025-02-01T00:00:00Z'),
      days: THREE_YEARS,
      dryRun: false,
      held: [],
    });
    assert.deepEqual(
      january.dropped.map((d) => d.partition),
      ['audit_entry_p202201'],
    );
    const rest = await createAuditArchive({ db: t.db, key: national, audit })({
      now: NOW,
      days: THREE_YEARS,
      dryRun: false,
      held: [],
    });
    assert.equal(rest.dropped.length, 2);
    const { rows } = await t.db.query<{ partition: string; alg: string }>(
      'SELECT partition, alg FROM audit_archive ORDER BY id',
    );
    assert.deepEqual(
      rows.map((r) => [r.partition, r.alg]),
      [
        ['audit_entry_p202201', 'ed25519'],
        ['audit_entry_p202202', 'sm2-sm3'],
        ['audit_entry_p202203', 'sm2-sm3'],
      ],
    );
    const v = await verifyAuditChain(t.db, key);
    assert.equal(v.ok, true, v.problem?.message);
    assert.equal(v.archived?.entries, 8);
  });

  test('P6.2.hold a month naming a held person stays, and every later month with it; the trail stays complete', async () => {
    await appendAt('2022-01-10T08:00:00Z', 3, 'c-held');
    await appendAt('2022-02-10T08:00:00Z', 3, 'c-free');
    const r = await archive(['c-held']);
    assert.deepEqual(r.dropped, []);
    assert.equal(r.kept?.partition, 'audit_entry_p202201');
    assert.match(r.kept!.reason, /legal hold .*P6\.2\.hold/);
    const { rows } = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_entry WHERE subject_id IN ('c-held', 'c-free')`,
    );
    assert.equal(rows[0]!.n, 6);
    assert.equal((await verifyAuditChain(t.db, key)).ok, true);
  });

  test('P7.2.audit a month whose lane continues before its last entry in a later month waits for it', async () => {
    // One connection, one lane: seq 1 written with a clock in February, seq 2 in January.
    for (const when of ['2022-02-10T08:00:00Z', '2022-01-10T08:00:00Z']) {
      at = new Date(when);
      await audit.append(t.db, { actor: { type: 'system', id: 'skewed' }, action: 'test.old' });
    }
    at = NOW;
    const r = await archive();
    assert.deepEqual(r.dropped, []);
    assert.match(
      r.kept!.reason,
      /lane \d+ has an entry in a later month that comes before this month's last/,
    );
    assert.equal((await verifyAuditChain(t.db, key)).ok, true);
  });
});

/**
 * Invariant (P6.2.schedule, P6.2.purge, P6.2.hold): what is past its declared time is
 * deleted by the purge, everywhere it is held (rows, vault values, access entries), counted
 * per table and category in the audit chain without values; a dry run deletes nothing; a
 * legal hold keeps what it covers until it ends, and the next run takes it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { subjectData } from '../inventory/index.ts';
import { idNumberFor } from '../../../test/support/citizen.ts';
import { registerCitizen, type Citizen } from '../../../test/support/citizens.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { retentionPlan, runOrder } from './index.ts';
import { ensurePartitions, monthPartitions } from '../../kernel/db/index.ts';

let p: TestPlatform;
const DAY = 86_400_000;
const dpo = { id: 'dpo-retention', role: 'dpo' };
const q = <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
  p.storage.db.query<T>(sql, params);
const n = async (sql: string, params: unknown[] = []) =>
  Number((await q<{ n: string }>(sql, params)).rows[0]!.n);

/** Rows of a person, made as the platform makes them, then made old. */
async function pastTheirTime(who: Citizen) {
  await p.notify.enqueue(p.storage.db, {
    subjectId: who.subjectId,
    template: 'security-change',
    params: { time: '2026-01-01 10:00', change: 'password-changed' },
    locale: 'en',
  });
  await q(
    `INSERT INTO vault_access (subject_id, operation, actor_type, actor_id, actor_label, purpose, basis, fields, categories, occurred_at)
     VALUES ($1, 'read', 'department', 'tax', 'department:tax', 'service-provision', 'necessity', '{name}', '{identity}', now() - interval '1100 days'),
            ($1, 'read', 'department', 'tax', 'department:tax', 'service-provision', 'necessity', '{name}', '{identity}', now())`,
    [who.subjectId],
  );
  await p.vault.write(
    who.subjectId,
    { usage_record: 'viewed the tax page' },
    {
      source: 'derived',
      purpose: 'service-improvement',
      actor: { type: 'system', id: 'test', label: 'system:test' },
    },
  );
  await q(
    `UPDATE vault_field SET updated_at = now() - interval '200 days' WHERE subject_id = $1 AND field = 'usage_record'`,
    [who.subjectId],
  );
  await q(`UPDATE notification SET created_at = now() - interval '200 days' WHERE subject_id = $1`, [
    who.subjectId,
  ]);
  await q(`UPDATE notify_outbox SET created_at = now() - interval '200 days' WHERE subject_id = $1`, [
    who.subjectId,
  ]);
  await q(
    `INSERT INTO oidc_declined_field (subject_id, client_id, field, declined_at) VALUES ($1, 'tax-portal', 'email', now() - interval '400 days')`,
    [who.subjectId],
  );
}

const left = async (who: Citizen) => ({
  notifications: await n(`SELECT count(*) AS n FROM notification WHERE subject_id = $1`, [who.subjectId]),
  outbox: await n(`SELECT count(*) AS n FROM notify_outbox WHERE subject_id = $1`, [who.subjectId]),
  access: await n(`SELECT count(*) AS n FROM vault_access WHERE subject_id = $1 AND actor_id = 'tax'`, [
    who.subjectId,
  ]),
  usage: await n(`SELECT count(*) AS n FROM vault_field WHERE subject_id = $1 AND field = 'usage_record'`, [
    who.subjectId,
  ]),
  declined: await n(`SELECT count(*) AS n FROM oidc_declined_field WHERE subject_id = $1`, [who.subjectId]),
});

describe('retention', () => {
  before(async () => {
    p = await startTestPlatform();
  });
  after(() => p.stop());

  test('P6.2.schedule every declared retention is enforced by the purge, kept under a named basis, purged by its owner, or listed with the reason it cannot be yet', () => {
    const plan = retentionPlan(subjectData, new Set(['person', 'staff']));
    const declared = subjectData.flatMap((o) =>
      Object.entries(o.tables)
        .filter(([, d]) => 'columns' in d)
        .map(([t]) => t),
    );
    const accounted = new Set([
      ...plan.steps.map((s) => s.table),
      ...plan.kept.map((k) => k.table),
      ...plan.byOwner.map((b) => b.table),
      ...plan.unenforced.map((u) => u.table),
    ]);
    assert.deepEqual(
      declared.filter((t) => !accounted.has(t)),
      [],
    );
    assert.deepEqual(
      plan.kept.map((k) => [k.table, k.basis]),
      [['staff_account', 'staff-accountability']],
    );
    // The two logs that grow forever go by whole months, by their owners (ADR 0044).
    assert.deepEqual(
      plan.byOwner
        .filter((b) => ['audit_entry', 'vault_access'].includes(b.table))
        .map((b) => [b.table, b.owner]),
      [
        ['audit_entry', 'audit'],
        ['vault_access', 'vault'],
      ],
    );
    // Bound companies never end yet: their 30 days after closing wait for that event.
    assert.deepEqual(
      plan.unenforced.map((u) => u.table),
      ['company'],
    );
    // The closure's record goes after the consents it makes due on the same day.
    const order = runOrder(plan.steps, new Map(), ['account_closure']).map((s) => s.table);
    assert.ok(order.indexOf('consent') < order.indexOf('account_closure'));
    assert.equal(order.at(-1), 'account_closure');
    const byTable = new Map(plan.steps.map((s) => [s.table, s]));
    assert.deepEqual(byTable.get('login_alert')!.rowTriggers, [
      { column: 'created_at', days: 180, after: 'given' },
    ]);
    assert.deepEqual(
      byTable.get('consent')!.subjectTriggers.map((t) => [t.kind, t.column.column, t.days]),
      [['person', 'subject_id', 1095]],
    );
  });

  test('P6.2.schedule the privacy page and My account show how long each kind of record is kept, in the reader’s language, from the declarations the purge enforces', async () => {
    const page = async (path: string, lang: string, cookie = '') =>
      (await fetch(`${p.url}${path}`, { headers: { 'accept-language': lang, cookie } })).text();
    const en = await page('/privacy', 'en');
    assert.match(en, /How long we keep your data/);
    assert.match(en, /<td>Sign-in alerts<\/td><td>180 days after it was given or recorded<\/td>/);
    assert.match(
      en,
      /<td>My consents<\/td><td>3 years after the consent was withdrawn or 3 years after it expired or 3 years after your account is closed, whichever comes first<\/td>/,
    );
    assert.match(en, /<td>Who accessed my data<\/td><td>3 years after it was given or recorded<\/td>/);
    assert.match(en, /<td>Face image<\/td><td>deleted as soon as the consent was withdrawn<\/td>/);
    assert.match(await page('/privacy', 'zh-CN'), /<td>登录提醒<\/td><td>提供或记录后180天<\/td>/);
    assert.match(
      await page('/privacy', 'cs'),
      /<td>Upozornění na přihlášení<\/td><td>180 dní od poskytnutí či zaznamenání<\/td>/,
    );
    const me = await registerCitizen(p, '13900005041', idNumberFor(5041));
    assert.match(await page('/me', 'en', me.cookie), /<summary>How long we keep your data<\/summary>/);
  });

  test('P6.2.purge a dry run counts what is past its time and deletes nothing; the run deletes it everywhere, children first, and audits counts only', async () => {
    const old = await registerCitizen(p, '13900005001', idNumberFor(5001));
    const fresh = await registerCitizen(p, '13900005002', idNumberFor(5002));
    await pastTheirTime(old);
    await p.vault.write(
      fresh.subjectId,
      { usage_record: 'viewed the home page' },
      {
        source: 'derived',
        purpose: 'service-improvement',
        actor: { type: 'system', id: 'test', label: 'system:test' },
      },
    );
    const before = await left(old);
    assert.deepEqual(before, { notifications: 1, outbox: before.outbox, access: 2, usage: 1, declined: 1 });
    assert.ok(before.outbox >= 1);

    const dry = await p.retention.run({ dryRun: true });
    assert.equal(dry.dryRun, true);
    assert.ok(
      dry.tables['notification']! >= 1 && dry.tables['vault_access']! >= 1,
      JSON.stringify(dry.tables),
    );
    assert.deepEqual(await left(old), before, 'a dry run deletes nothing');

    const run = await p.retention.run();
    assert.deepEqual(await left(old), { notifications: 0, outbox: 0, access: 1, usage: 0, declined: 0 });
    assert.equal(
      await n(`SELECT count(*) AS n FROM vault_field WHERE subject_id = $1 AND field = 'usage_record'`, [
        fresh.subjectId,
      ]),
      1,
      'what is within its time stays',
    );
    assert.ok(run.categories['access_record']! >= 1);
    const audited = await q<{ detail: { total: number; tables: Record<string, number> } }>(
      `SELECT detail FROM audit_entry WHERE action = 'retention.purged' ORDER BY id DESC LIMIT 1`,
    );
    const entry = audited.rows[0]!.detail;
    assert.equal(entry.total, run.total);
    assert.ok(entry.tables['vault_field.usage_record']! >= 1);
    assert.ok(!JSON.stringify(entry).includes(old.subjectId), 'counts, never whom');

    const again = await p.retention.run();
    assert.equal(again.total, 0, 'nothing is left to delete');
  });

  test('P6.2.hold a hold on a person keeps their data past its time while another’s goes; released, the next run takes it; each step is in the person’s audit trail', async () => {
    const held = await registerCitizen(p, '13900005011', idNumberFor(5011));
    const other = await registerCitizen(p, '13900005012', idNumberFor(5012));
    await pastTheirTime(held);
    await pastTheirTime(other);
    const hold = await p.holds.record(dpo, {
      scope: 'person',
      subjects: [held.subjectId],
      basis: 'court-order',
      reason: 'Evidence in a dispute over a housing fund payment',
      authority: 'Hangzhou Intermediate People’s Court',
      documentRef: '(2026) 浙01民初123号',
      reviewAt: new Date(Date.now() + 90 * DAY),
    });
    await p.retention.run();
    assert.deepEqual(await left(held), {
      notifications: 1,
      outbox: (await left(held)).outbox,
      access: 2,
      usage: 1,
      declined: 1,
    });
    assert.deepEqual(await left(other), { notifications: 0, outbox: 0, access: 1, usage: 0, declined: 0 });

    await assert.rejects(
      p.holds.release({ id: 'support-1', role: 'support' }, hold.id, 'not mine to end'),
      (err: { code?: string }) => err.code === 'retention.forbidden',
    );
    await p.holds.release(dpo, hold.id, 'The court closed the case');
    await p.retention.run();
    assert.deepEqual(await left(held), { notifications: 0, outbox: 0, access: 1, usage: 0, declined: 0 });
    const trail = await q<{ action: string }>(
      `SELECT action FROM audit_entry WHERE subject_id = $1 AND action LIKE 'retention.%' ORDER BY id`,
      [held.subjectId],
    );
    assert.deepEqual(
      trail.rows.map((r) => r.action),
      ['retention.hold_recorded', 'retention.hold_ended'],
    );
  });

  test('P6.2.purge the access log goes by whole months: a month past its time is dropped in one step; a month naming a held person stays and loses only the others’ rows', async () => {
    // Vault subjects only (registering more people here would meet the sign-up limit).
    const subject = async () => ({ subjectId: await p.vault.createSubject('person') });
    const held = await subject();
    const other = await subject();
    await ensurePartitions(p.storage.db, 'vault_access', new Date('2022-01-01'), 2);
    const accessAt = (who: { subjectId: string }, at: string) =>
      q(
        `INSERT INTO vault_access (subject_id, operation, actor_type, actor_id, actor_label, purpose, basis, fields, categories, occurred_at)
         SELECT $1, 'read', 'department', 'tax', 'department:tax', 'service-provision', 'necessity', '{name}', '{identity}', $2::timestamptz + i * interval '1 minute'
           FROM generate_series(1, 50) i`,
        [who.subjectId, at],
      );
    await accessAt(other, '2022-01-05T08:00:00Z');
    await accessAt(held, '2022-02-05T08:00:00Z');
    await accessAt(other, '2022-02-06T08:00:00Z');
    const hold = await p.holds.record(dpo, {
      scope: 'person',
      subjects: [held.subjectId],
      basis: 'authority',
      reason: 'An inquiry into who read this record',
      authority: 'Provincial Cyberspace Administration',
      documentRef: 'CAC-2026-0042',
      reviewAt: new Date(Date.now() + 30 * DAY),
    });
    const months = async () =>
      (await monthPartitions(p.storage.db, 'vault_access'))
        .map((m) => m.name)
        .filter((m) => m < 'vault_access_p2023');

    const dry = await p.retention.run({ dryRun: true });
    assert.ok(dry.tables['vault_access']! >= 100, JSON.stringify(dry.tables));
    assert.deepEqual(
      await months(),
      ['vault_access_p202201', 'vault_access_p202202'],
      'a dry run drops nothing',
    );

    await p.retention.run();
    assert.deepEqual(
      await months(),
      ['vault_access_p202202'],
      'January went whole; February names a held person',
    );
    const inFebruary = await q<{ subject_id: string; n: number }>(
      `SELECT subject_id, count(*)::int AS n FROM vault_access
        WHERE occurred_at >= '2022-02-01' AND occurred_at < '2022-03-01' GROUP BY 1`,
    );
    assert.deepEqual(inFebruary.rows, [{ subject_id: held.subjectId, n: 50 }]);

    await p.holds.release(dpo, hold.id, 'The inquiry ended');
    await p.retention.run();
    assert.deepEqual(await months(), [], 'released, the next run drops the month');
  });

  test('P6.2.hold a category hold keeps that category for everyone; a hold past its end date ends at the next run, which then purges', async () => {
    const who = await registerCitizen(p, '13900005021', idNumberFor(5021));
    await pastTheirTime(who);
    await p.holds.record(dpo, {
      scope: 'category',
      categories: ['access_record'],
      basis: 'authority',
      reason: 'Audit of the tax department’s data use',
      authority: 'Provincial Cyberspace Administration',
      documentRef: 'CAC-2026-77',
      endsAt: new Date(Date.now() + 10 * DAY),
    });
    const during = await p.retention.run();
    assert.ok(during.heldBack.includes('vault:access_record'));
    assert.equal((await left(who)).access, 2, 'the access log is kept whole');
    assert.equal((await left(who)).notifications, 0, 'other categories still go');

    const later = await p.retention.run({ now: new Date(Date.now() + 11 * DAY) });
    assert.equal(later.holdsEnded, 1);
    assert.equal((await left(who)).access, 1);
  });

  test('P6.2.hold a hold needs its basis, authority, document and an end or review date in the future; only the DPO records one', async () => {
    const who = await registerCitizen(p, '13900005031', idNumberFor(5031));
    const valid = {
      scope: 'person' as const,
      subjects: [who.subjectId],
      basis: 'dispute',
      reason: 'A complaint about a delivery',
      authority: 'Civitas DPO',
      documentRef: 'C-1',
      endsAt: new Date(Date.now() + DAY),
    };
    const refused = (field: string) => (err: { code?: string; detail?: string }) =>
      err.code === 'retention.invalid_hold' && err.detail === field;
    await assert.rejects(p.holds.record(dpo, { ...valid, basis: 'because' }), refused('basis'));
    await assert.rejects(p.holds.record(dpo, { ...valid, authority: ' ' }), refused('authority'));
    await assert.rejects(
      p.holds.record(dpo, { ...valid, endsAt: new Date(Date.now() - DAY) }),
      refused('endsAt'),
    );
    await assert.rejects(p.holds.record(dpo, { ...valid, endsAt: null }), refused('endsAt'));
    await assert.rejects(p.holds.record(dpo, { ...valid, categories: ['shoe_size'] }), refused('categories'));
    await assert.rejects(
      p.holds.record({ id: 's', role: 'support' }, valid),
      (err: { code?: string }) => err.code === 'retention.forbidden',
    );
    const h = await p.holds.record(dpo, valid);
    assert.equal(h.state, 'active');
    assert.deepEqual(h.subjects, [who.subjectId]);
  });
});

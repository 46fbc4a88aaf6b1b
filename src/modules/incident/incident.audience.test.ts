/**
 * Invariant: the people an incident affected are exactly those its scope selects from the
 * records (accessed by someone else in the window, data written by someone else in it,
 * narrowed by category and actor; plus the accounts named), never someone accessed outside
 * the window or only refused; the count shown equals the set frozen; freezing and sending
 * again add nobody twice; a drill writes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startPrivacyEngine, type PrivacyEngine } from '../../../test/support/privacy.ts';
import { insertAccount } from '../account/index.ts';
import { createNotifyService, type Notice, type NotifyService } from '../notify/index.ts';
import { staffActor, type Actor } from '../vault/index.ts';
import { createIncidentAudience, type IncidentAudience, type Scope } from './incident.audience.ts';

let e: PrivacyEngine;
let audience: IncidentAudience;
let notify: NotifyService;
const p: Record<string, string> = {};
let from: Date;
let to: Date;

const support = staffActor({ id: 'staff-1', role: 'support' });
const binding: Actor = { type: 'system', id: 'company-binding', label: 'system:company-binding' };

/** An access entry as sharing or the provider records it (actor code, categories, outcome). */
const access = (subject: string, actor: string, categories: string[], outcome = 'allowed') =>
  e.t.db.query(
    `INSERT INTO vault_access (subject_id, operation, actor_type, actor_id, actor_label, purpose, basis,
                               fields, categories, outcome, refusal)
     VALUES ($1, 'share', split_part($2, ':', 1), split_part($2, ':', 2), $2, 'service-provision', 'consent',
             $3, $3, $4, CASE WHEN $4 = 'refused' THEN 'vault.basis_missing' END)`,
    [subject, actor, categories, outcome],
  );

const sorted = (...names: string[]) => names.map((n) => p[n]!).sort();
const all = async (it: AsyncIterable<string[]>) => {
  const out: string[] = [];
  for await (const ids of it) out.push(...ids);
  return out;
};
/** A bare incident record for a frozen set to belong to (incident_affected references it). */
const newIncident = async () =>
  (
    await e.t.db.query<{ id: string }>(
      `INSERT INTO incident (title, summary, detected_at, opened_by, operator_type, state, report_due_at)
       VALUES ('audience test', 'audience test', now(), 'staff-1', 'other', 'detected', now() + interval '4 hours')
       RETURNING id`,
    )
  ).rows[0]!.id;
/** The set a scope selects, as the frozen set of a fresh incident. */
const selected = async (scope: Scope) => {
  const id = await newIncident();
  await audience.freeze(undefined, id, scope);
  return all(audience.batches(id, 2));
};

describe('incident audience', () => {
  before(async () => {
    e = await startPrivacyEngine();
    // Batches of 2: every door and the union page through several batches.
    audience = createIncidentAudience({ db: e.t.db, vault: e.vault, audit: e.audit, batch: 2 });
    notify = createNotifyService({ db: e.t.db });
    from = new Date(Date.now() - 60_000);
    for (const n of ['read', 'face', 'tax', 'old', 'refused', 'written', 'self', 'named', 'untouched'])
      p[n] = await e.vault.createSubject('person');
    const org = await e.vault.createSubject('organisation');
    for (const [i, n] of ['read', 'old'].entries())
      await e.vault.write(
        p[n]!,
        { name: '王芳', phone: `1381234567${i}` },
        { source: 'user', purpose: 'service-provision', actor: { type: 'self', id: p[n]!, label: 'self' } },
      );
    // Read by support through the vault: identity and contact, in the window.
    for (const n of ['read', 'old'])
      await e.vault.read({
        subjectId: p[n]!,
        actor: support,
        purpose: 'customer-support',
        basis: { type: 'necessity', service: 'hotline-12345' },
        fields: ['name', 'phone'],
      });
    // …but the "old" person's read was two days ago: outside the window.
    await e.t.owner.query(
      `UPDATE vault_access SET occurred_at = now() - interval '2 days' WHERE subject_id = $1`,
      [p.old],
    );
    await access(p.face!, 'partner:face-id', ['biometric']);
    await access(p.tax!, 'department:tax', ['address']);
    await access(p.refused!, 'partner:face-id', ['biometric'], 'refused');
    await access(org, 'department:tax', ['business']);
    // Written by someone else (a partner's registry data, through a platform job): in the audit chain only.
    await e.vault.write(
      p.written!,
      { address: '广州市天河区体育西路 1 号' },
      { source: 'partner', purpose: 'service-provision', actor: binding },
    );
    // The person's own write is not an exposure.
    await e.vault.write(
      p.self!,
      { address: '广州市天河区体育西路 2 号' },
      { source: 'user', purpose: 'service-provision', actor: { type: 'self', id: p.self!, label: 'self' } },
    );
    await insertAccount(e.t.db, p.named!, 'x');
    to = new Date(Date.now() + 60_000);
  });
  after(() => e.close());

  test('P7.2i.notify: a window selects the people accessed or written by others in it, not before it, not refused', async () => {
    assert.deepEqual(await selected({ from, to }), sorted('read', 'face', 'tax', 'written'));
  });

  test('P7.2i.notify: categories narrow the set to entries of those categories', async () => {
    assert.deepEqual(await selected({ from, to, categories: ['biometric'] }), sorted('face'));
    assert.deepEqual(await selected({ from, to, categories: ['address'] }), sorted('tax', 'written'));
    assert.deepEqual(await selected({ from, to, categories: ['contact'] }), sorted('read'));
  });

  test('P7.2i.notify: actors narrow the set to what that partner or department accessed', async () => {
    assert.deepEqual(await selected({ from, to, actors: ['partner:face-id'] }), sorted('face'));
    assert.deepEqual(await selected({ from, to, actors: ['department:tax'] }), sorted('tax'));
    assert.deepEqual(await selected({ from, to, actors: ['system:company-binding'] }), sorted('written'));
    assert.deepEqual(await selected({ from, to, actors: ['department:tax'], categories: ['biometric'] }), []);
  });

  test('P7.2i.notify: named accounts join the set; with an empty window they are the set', async () => {
    assert.deepEqual(
      await selected({ from, to, accounts: [p.named!] }),
      sorted('read', 'face', 'tax', 'written', 'named'),
    );
    assert.deepEqual(await selected({ from: to, to, accounts: [p.named!.toUpperCase()] }), sorted('named'));
  });

  test('P7.2i.notify: unknown accounts and categories refuse the scope, naming them', async () => {
    const ghost = '00000000-0000-4000-8000-000000000000';
    await assert.rejects(
      audience.count({ from, to, accounts: [p.named!, ghost, 'nobody'] }),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'incident.scope_unknown_accounts');
        assert.match(err.message, new RegExp(`${ghost}, nobody`));
        assert.doesNotMatch(err.message, new RegExp(p.named!));
        return true;
      },
    );
    // A person with data but no account is not an account.
    await assert.rejects(audience.count({ from, to, accounts: [p.untouched!] }), {
      code: 'incident.scope_unknown_accounts',
      message: p.untouched!,
    });
    await assert.rejects(audience.count({ from, to, categories: ['biometrics'] }), {
      code: 'incident.scope_unknown_categories',
    });
    await assert.rejects(audience.count({ from: to, to: from }), { code: 'incident.scope_window' });
  });

  test('P7.2i.notify: the count before freezing equals the frozen count; freezing twice adds nobody', async () => {
    const incident = await newIncident();
    const scope: Scope = { from, to, accounts: [p.named!] };
    const shown = await audience.count(scope);
    assert.equal(shown, 5);
    assert.equal(await audience.freeze(undefined, incident, scope), shown);
    assert.equal(await audience.freeze(undefined, incident, scope), shown);
    assert.equal(await audience.frozen(incident), shown);
    const { rows } = await e.t.db.query<{ n: number; distinct: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT subject_id)::int AS distinct FROM incident_affected
        WHERE incident_id = $1`,
      [incident],
    );
    assert.deepEqual(rows[0], { n: shown, distinct: shown });
  });

  test('P7.2i.notify: sending the frozen set in batches, twice, gives each person exactly one notice', async () => {
    const incident = await newIncident();
    const n = await audience.freeze(undefined, incident, { from, to });
    // The incident template belongs to the incident record; a mandatory notice serves here.
    const notice: Notice = {
      key: `incident:${incident}`,
      template: 'disclosure-notice',
      params: { time: '2026-12-02 09:00', recipient: 'Civitas' },
    };
    const send = async () => {
      let given = 0;
      for await (const ids of audience.batches(incident, 2))
        given += (await e.t.db.tx((q) => notify.fanOut(q, notice, ids))).notifications;
      return given;
    };
    assert.equal(await send(), n);
    assert.equal(await send(), 0, 'nobody is given the notice twice');
    const { rows } = await e.t.db.query<{ subject_id: string; copies: number; deliveries: number }>(
      `SELECT n.subject_id, count(DISTINCT n.id)::int AS copies, count(o.id)::int AS deliveries
         FROM notification n JOIN notify_notice nn ON nn.id = n.notice_id
         LEFT JOIN notify_outbox o ON o.notification_id = n.id
        WHERE nn.key = $1 GROUP BY n.subject_id ORDER BY n.subject_id`,
      [notice.key],
    );
    assert.deepEqual(
      rows.map((r) => r.subject_id),
      sorted('read', 'face', 'tax', 'written'),
    );
    for (const r of rows) assert.deepEqual([r.copies, r.deliveries], [1, 1]); // SMS: the one channel that reaches them here
    const progress = await notify.noticeProgress(notice.key);
    assert.equal(progress?.people, n);
  });

  test('P7.2i.notify: a drill counts the frozen set and writes no notification and no delivery', async () => {
    const incident = await newIncident();
    const n = await audience.freeze(undefined, incident, { from, to });
    const before = await e.t.db.query<{ n: number; o: number }>(
      'SELECT (SELECT count(*)::int FROM notification) AS n, (SELECT count(*)::int FROM notify_outbox) AS o',
    );
    let counted = 0;
    for await (const ids of audience.batches(incident, 2))
      counted += (
        await e.t.db.tx((q) =>
          notify.fanOut(
            q,
            {
              key: `drill:${incident}`,
              template: 'disclosure-notice',
              params: { time: '2026-12-02 09:00', recipient: 'Civitas' },
              drill: true,
            },
            ids,
          ),
        )
      ).notifications;
    assert.equal(counted, n);
    const afterwards = await e.t.db.query<{ n: number; o: number }>(
      'SELECT (SELECT count(*)::int FROM notification) AS n, (SELECT count(*)::int FROM notify_outbox) AS o',
    );
    assert.deepEqual(afterwards.rows[0], before.rows[0]);
  });
});

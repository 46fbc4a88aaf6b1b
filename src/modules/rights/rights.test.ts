/**
 * Invariant (P8.2–P8.4): a rights request gets its deadline when it is received (15 Chinese
 * working days for a cancellation, 30 calendar days for the others) and keeps it; nothing is
 * worked on, and so nothing fulfilled, before the person's identity is confirmed; every
 * refusal names its reason and, for an exemption, one of the declared bases; the person is
 * told at each step; the deadline job reminds and escalates once each. Time moves through
 * the clock seam over the 2026 Spring Festival (holidays 15–23 February, make-up working
 * days 14 and 28 February), never by waiting.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { manualTime, useTimeSource } from '../../kernel/clock.ts';
import { startPrivacyEngine, type PrivacyEngine } from '../../../test/support/privacy.ts';
import { createWorkingDays } from '../../shared/working-days.ts';
import { createNotifyService } from '../notify/index.ts';
import { createRightsService, type RightsService } from './index.ts';

const dpo = { id: 'dpo-1', role: 'dpo' };
const support = { id: 'support-1', role: 'support' };
/** 10:00 in China on a day. */
const at = (ymd: string) => new Date(`${ymd}T10:00:00+08:00`).getTime();

let e: PrivacyEngine;
let rights: RightsService;
const time = manualTime(at('2026-02-09'));
let restore: () => void;

const refusedWith = (code: string, clause?: string) => (err: Error & { code?: string; clause?: string }) => {
  assert.equal(err.code, code);
  if (clause) assert.equal(err.clause, clause);
  return true;
};

/** What the person was told, in order: the steps of their notices. */
const toldSteps = async (subjectId: string) =>
  (
    await e.t.db.query<{ step: string }>(
      `SELECT params->>'step' AS step FROM notification
        WHERE subject_id = $1 AND template = 'rights-request-update' ORDER BY created_at, id`,
      [subjectId],
    )
  ).rows.map((r) => r.step);

const audited = async (action: string) =>
  (
    await e.t.db.query<{ clause: string | null; detail: Record<string, unknown> }>(
      `SELECT clause, detail FROM audit_entry WHERE action = $1 ORDER BY id`,
      [action],
    )
  ).rows;

describe('rights requests', () => {
  before(async () => {
    restore = useTimeSource(time);
    e = await startPrivacyEngine();
    rights = createRightsService({
      db: e.t.db,
      audit: e.audit,
      outbox: createNotifyService({ db: e.t.db }),
      calendar: createWorkingDays(),
      deadlines: { cancellationWorkingDays: 15, requestDays: 30, remindWorkingDays: 3 },
    });
  });
  after(async () => {
    restore();
    await e.close();
  });

  test('P8.2 a cancellation received on 9 February 2026 is due by 6 March: 15 working days over the Spring Festival, with the make-up Saturday counted', async () => {
    time.advance(at('2026-02-09') - time.now());
    const person = await e.vault.createSubject('person');
    const r = await rights.submit(person, { kind: 'cancellation' }, { fresh: true, locale: 'en' });
    assert.equal(r.dueDay, '2026-03-06');
    assert.equal(r.deadlineUnit, 'working');
    assert.equal(r.state, 'identity-confirmed');
    // The first instant past the deadline: midnight in China after 6 March.
    assert.equal(r.dueAt.toISOString(), '2026-03-06T16:00:00.000Z');
    const copy = await rights.submit(person, { kind: 'copy' }, { fresh: true, locale: 'en' });
    assert.equal(copy.dueDay, '2026-03-11');
    assert.equal(copy.deadlineUnit, 'calendar');
    // A later calendar never moves a deadline already given: it is stored with the request.
    const stored = await e.t.db.query<{ due_at: Date }>('SELECT due_at FROM rights_request WHERE id = $1', [
      r.id,
    ]);
    assert.equal(stored.rows[0]!.due_at.toISOString(), '2026-03-06T16:00:00.000Z');
    assert.deepEqual(await toldSteps(person), ['identity-confirmed', 'identity-confirmed']);
  });

  test('P8.3 a request whose identity is not confirmed can never be fulfilled: taking it up and deciding it are refused, and audited', async () => {
    const person = await e.vault.createSubject('person');
    const r = await rights.submit(
      person,
      { kind: 'deletion', details: 'my old address' },
      { fresh: false, locale: 'en' },
    );
    assert.equal(r.state, 'submitted');
    await assert.rejects(rights.start(dpo, r.id), refusedWith('rights.identity_not_confirmed', 'P8.3'));
    await assert.rejects(
      rights.decide(dpo, r.id, { outcome: 'fulfilled', note: 'deleted' }),
      refusedWith('rights.identity_not_confirmed', 'P8.3'),
    );
    await assert.rejects(
      rights.decide(dpo, r.id, { outcome: 'refused', reason: 'not-held', note: 'nothing held' }),
      refusedWith('rights.unconfirmed_refusal', 'P8.3'),
    );
    // Not even the application role writing the table directly.
    await assert.rejects(
      e.t.db.query(
        `UPDATE rights_request SET state = 'fulfilled', decided_at = now(), closed_at = now() WHERE id = $1`,
        [r.id],
      ),
    );
    const refusals = await audited('rights.step_refused');
    assert.deepEqual(
      refusals.filter((a) => a.detail.request === r.id).map((a) => [a.detail.step, a.detail.code, a.clause]),
      [
        ['start', 'rights.identity_not_confirmed', 'P8.3'],
        ['fulfil', 'rights.identity_not_confirmed', 'P8.3'],
        ['refuse', 'rights.unconfirmed_refusal', 'P8.3'],
      ],
    );
    // Refused for its identity: that is allowed, and the person reads why.
    const refused = await rights.decide(dpo, r.id, {
      outcome: 'refused',
      reason: 'identity-not-confirmed',
      note: 'We could not reach you to confirm.',
    });
    assert.equal(refused.state, 'refused');
    assert.equal(refused.refusalReason, 'identity-not-confirmed');
  });

  test('P8.3 the person confirms it is them later; the DPO can record a check made at a service hall, with its reference', async () => {
    const person = await e.vault.createSubject('person');
    const a = await rights.submit(person, { kind: 'copy' }, { fresh: false, locale: 'en' });
    const confirmed = await rights.confirmBySelf(person, a.id, {});
    assert.equal(confirmed.state, 'identity-confirmed');
    assert.equal(confirmed.identityMethod, 'step-up');
    const b = await rights.submit(person, { kind: 'copy' }, { fresh: false, locale: 'en' });
    await assert.rejects(
      rights.confirmByStaff(dpo, b.id, { method: 'service-hall', reference: '' }),
      refusedWith('rights.invalid_request'),
    );
    const byHall = await rights.confirmByStaff(dpo, b.id, {
      method: 'service-hall',
      reference: 'SH-2026-0042',
    });
    assert.equal(byHall.identityMethod, 'service-hall');
    const { events } = await rights.ofPerson(person, b.id);
    assert.deepEqual(
      events.map((x) => [x.event, x.actorType, x.note]),
      [
        ['received', 'citizen', null],
        ['identity-confirmed', 'staff', 'SH-2026-0042'],
      ],
    );
  });

  test('P8.4 a refusal names its reason; an exemption is one of the declared bases, shown to the person before they ask', async () => {
    const list = rights.exemptions();
    const bases = list.map((x) => x.basis).sort();
    assert.deepEqual(bases, ['access-record', 'audit-chain', 'consent-evidence', 'legal-hold']);
    const access = list.find((x) => x.basis === 'access-record')!;
    assert.deepEqual(
      access.covers.map((c) => c.en),
      ['Who accessed my data'],
    );
    const person = await e.vault.createSubject('person');
    const r = await rights.submit(
      person,
      { kind: 'deletion', categories: ['access_record'], details: 'delete who read my data' },
      { fresh: true, locale: 'en' },
    );
    await rights.start(dpo, r.id);
    await assert.rejects(
      rights.decide(dpo, r.id, { outcome: 'partly-fulfilled', note: 'some' }),
      refusedWith('rights.reason_required', 'P8.4'),
    );
    await assert.rejects(
      rights.decide(dpo, r.id, { outcome: 'refused', reason: 'exemption', exemption: 'because', note: 'no' }),
      refusedWith('rights.reason_required', 'P8.4'),
    );
    await assert.rejects(
      rights.decide(dpo, r.id, {
        outcome: 'refused',
        reason: 'exemption',
        exemption: 'access-record',
        note: '',
      }),
      refusedWith('rights.reason_required', 'P8.4'),
    );
    const d = await rights.decide(dpo, r.id, {
      outcome: 'refused',
      reason: 'exemption',
      exemption: 'access-record',
      note: 'The record of access is the proof each use was lawful.',
    });
    assert.deepEqual([d.state, d.refusalReason, d.exemption], ['refused', 'exemption', 'access-record']);
    const decided = (await audited('rights.request_decided')).find((a) => a.detail.request === r.id)!;
    assert.equal(decided.clause, 'P8.4');
    assert.deepEqual(decided.detail, {
      request: r.id,
      outcome: 'refused',
      reason: 'exemption',
      exemption: 'access-record',
    });
  });

  test('P8.2 the whole way: taken up, a question answered, fulfilled; each step in the history and told to the person', async () => {
    const person = await e.vault.createSubject('person');
    const r = await rights.submit(
      person,
      { kind: 'correction', categories: ['address'], details: 'My address has the wrong district.' },
      { fresh: true, locale: 'cs' },
    );
    await rights.start(dpo, r.id);
    await rights.ask(dpo, r.id, 'Which district is right?');
    await assert.rejects(rights.answer(person, r.id, '   ', {}), refusedWith('rights.invalid_request'));
    await rights.answer(person, r.id, 'Haidian.', {});
    const done = await rights.decide(dpo, r.id, { outcome: 'fulfilled', note: 'Corrected to Haidian.' });
    assert.equal(done.state, 'fulfilled');
    assert.ok(done.closedAt);
    await assert.rejects(rights.withdraw(person, r.id, {}), refusedWith('rights.decided'));
    const { events } = await rights.ofPerson(person, r.id);
    assert.deepEqual(
      events.map((x) => [x.event, x.actorType, x.note]),
      [
        ['received', 'citizen', null],
        ['identity-confirmed', 'citizen', null],
        ['in-progress', 'staff', null],
        ['awaiting-person', 'staff', 'Which district is right?'],
        ['in-progress', 'citizen', 'Haidian.'],
        ['fulfilled', 'staff', 'Corrected to Haidian.'],
      ],
    );
    assert.deepEqual(await toldSteps(person), [
      'identity-confirmed',
      'in-progress',
      'awaiting-person',
      'in-progress',
      'fulfilled',
    ]);
    // In the language the request was made in, whoever took the step.
    const locales = await e.t.db.query<{ locale: string }>(
      `SELECT DISTINCT locale FROM notification WHERE subject_id = $1 AND template = 'rights-request-update'`,
      [person],
    );
    assert.deepEqual(
      locales.rows.map((x) => x.locale),
      ['cs'],
    );
  });

  test('P8.2 only the DPO works on requests; a person sees only their own, and another’s answers as unknown', async () => {
    const owner = await e.vault.createSubject('person');
    const other = await e.vault.createSubject('person');
    const r = await rights.submit(
      owner,
      { kind: 'explanation', details: 'Why was my application refused?' },
      {
        fresh: true,
        locale: 'en',
      },
    );
    await assert.rejects(rights.queue(support), refusedWith('rights.forbidden', 'P7.2'));
    await assert.rejects(rights.start(support, r.id), refusedWith('rights.forbidden'));
    await assert.rejects(rights.ofPerson(other, r.id), refusedWith('rights.unknown_request'));
    await assert.rejects(rights.withdraw(other, r.id, {}), refusedWith('rights.unknown_request'));
    await assert.rejects(rights.ofPerson(owner, 'not-an-id'), refusedWith('rights.unknown_request'));
    assert.deepEqual(
      (await rights.mine(other)).map((x) => x.id),
      [],
    );
    await assert.rejects(
      rights.submit(owner, { kind: 'explanation', details: '' }, { fresh: true, locale: 'en' }),
      (err: Error & { code?: string; detail?: string }) =>
        err.code === 'rights.invalid_request' && err.detail === 'details',
    );
    await assert.rejects(
      rights.submit(owner, { kind: 'everything' }, { fresh: true, locale: 'en' }),
      refusedWith('rights.invalid_request'),
    );
  });

  test('P8.2 the deadline job marks a request due soon once when 3 working days are left, and escalates it once when past', async () => {
    time.advance(at('2026-09-21') - time.now());
    const person = await e.vault.createSubject('person');
    // Received Monday 21 September 2026: 15 working days over the Mid-Autumn Festival (25
    // September off) and National Day (1–7 October off, Saturday 10 October worked) → due by
    // Monday 19 October.
    const r = await rights.submit(person, { kind: 'cancellation' }, { fresh: true, locale: 'en' });
    assert.equal(r.dueDay, '2026-10-19');
    const mine = (x: { detail: Record<string, unknown> }) => x.detail.request === r.id;
    await rights.runDeadlines();
    assert.equal((await audited('rights.deadline_near')).filter(mine).length, 0);
    // Tuesday 13 October: four working days are left; Wednesday 14: 15, 16 and 19 October.
    time.advance(at('2026-10-13') - time.now());
    await rights.runDeadlines();
    assert.equal((await audited('rights.deadline_near')).filter(mine).length, 0);
    time.advance(at('2026-10-14') - time.now());
    await rights.runDeadlines();
    await rights.runDeadlines();
    const near = (await audited('rights.deadline_near')).filter(mine);
    assert.deepEqual(
      near.map((x) => x.detail.workingDaysLeft),
      [3],
    );
    // Tuesday 20 October: past, escalated once, and the queue shows it among the overdue, which lead.
    time.advance(at('2026-10-20') - time.now());
    await rights.runDeadlines();
    await rights.runDeadlines();
    assert.equal((await audited('rights.deadline_passed')).filter(mine).length, 1);
    const { open } = await rights.queue(dpo);
    assert.equal(open.find((x) => x.id === r.id)?.overdue, true);
    // Earliest due first, so the overdue ones lead.
    const flags = open.map((x) => x.overdue);
    assert.deepEqual(
      flags,
      [...flags].sort((a, b) => Number(b) - Number(a)),
    );
    const { events } = await rights.ofPerson(person, r.id);
    assert.equal(events.at(-1)!.event, 'escalated');
  });
});

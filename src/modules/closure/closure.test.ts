/**
 * Invariant (P8.1.delete, P8.4): the erasure at closing is derived from every owner's
 * declaration, and no declared table about people is left out: each is erased (deleted or
 * blanked on the rows naming the person), kept under a named legal basis, left to lapse at
 * its retention, or erased by its owner. A row that merely mentions the person (`by`) stays.
 * Deletes run children first. The deadline is 15 Chinese working days and the cooling-off
 * period never outlasts it, over the 2026 Mid-Autumn and National Day holidays (25 September
 * and 1–7 October off, Saturday 10 October a make-up working day), on a test clock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { compose, registerInProcess, type Composed } from '../../../test/support/compose.ts';
import { manualTime, useTimeSource } from '../../kernel/clock.ts';
import { holdsSubjectData } from '../../kernel/subject-data.ts';
import { subjectData } from '../inventory/index.ts';
import { erasurePlan, orderSteps } from './index.ts';

const aboutPeople = () => {
  const out: string[] = [];
  for (const owner of subjectData)
    for (const [table, decl] of Object.entries(owner.tables))
      if (
        holdsSubjectData(decl) &&
        Object.values(decl.columns).some(
          (c) => c.subject === 'person' || (Array.isArray(c.subject) && c.subject.includes('person')),
        )
      )
        out.push(table);
  return out.sort();
};

describe('the erasure plan', () => {
  test('P8.1.delete every declared table about people is erased, kept under a basis, or lapses', () => {
    const plan = erasurePlan(subjectData);
    const accounted = [
      ...plan.steps.map((s) => s.table),
      ...plan.kept.map((k) => k.table),
      ...plan.lapsing,
      'vault_subject', // the vault shreds the key itself
    ].sort();
    assert.deepEqual(accounted, aboutPeople());
    assert.deepEqual(plan.kept.map((k) => `${k.table}:${k.basis}`).sort(), [
      'audit_entry:audit-chain',
      'consent:consent-evidence',
      'legal_hold_subject:legal-hold',
      'policy_acceptance:consent-evidence',
      'vault_access:access-record',
    ]);
    const step = (t: string) => plan.steps.find((s) => s.table === t)!;
    assert.deepEqual(
      step('company_agent').matches,
      [{ column: 'agent_id' }],
      'an authorisation the person granted stays',
    );
    assert.deepEqual(step('oidc_model').matches, [{ column: 'payload', json: 'accountId' }]);
    assert.deepEqual(step('rights_request').action, { blank: ['details', 'decision_note'] });
    assert.ok(plan.lapsing.includes('one_time_code'), 'a keyed hash cannot be found by person');
  });

  test('P8.1.delete a table is cleared before the tables it references', () => {
    const steps = erasurePlan(subjectData).steps;
    const ordered = orderSteps(steps, new Map([['rights_request_event', ['rights_request']]]));
    const at = (t: string) => ordered.findIndex((s) => s.table === t);
    assert.ok(at('rights_request_event') < at('rights_request'));
    assert.equal(ordered.length, steps.length);
  });
});

describe('the dates of a closure', () => {
  let c: Composed<'closure' | 'identity' | 'sms'>;
  const time = manualTime(new Date('2026-09-28T10:00:00+08:00').getTime());
  let restore = () => undefined as void;
  let subjectId = '';
  before(async () => {
    c = await compose(['closure', 'identity', 'sms'], { CLOSURE_COOLING_OFF_DAYS: '7' });
    // Registered now (the code's age is the database's), asked on the test clock.
    subjectId = (await registerInProcess(c, '13512340931', '11010519491231002X')).subjectId;
    restore = useTimeSource(time);
  });
  after(async () => {
    restore();
    await c.close();
  });

  test('P8.5.cancel asked on Monday 28 September 2026: it closes on 5 October, and the deadline is 23 October, the make-up Saturday counted', async () => {
    const preview = await c.closure.preview(subjectId);
    assert.equal(preview.closesDay, '2026-10-05');
    assert.equal(preview.dueDay, '2026-10-23');
    const asked = await c.closure.request(subjectId, { locale: 'en' });
    assert.equal(asked.closesDay, '2026-10-05');
    assert.equal(asked.dueDay, '2026-10-23');
    assert.equal(asked.dueAt.toISOString(), '2026-10-23T16:00:00.000Z');
  });
});

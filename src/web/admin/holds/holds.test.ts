/**
 * Invariant (P6.2.hold, P7.2.roles): the DPO records a legal hold from the console by the
 * people's ID numbers or mobile numbers, sees it in force (review due first), and releases it
 * with a note; a refusal names the field and keeps what was typed; other roles are refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { idNumberFor } from '../../../../test/support/citizen.ts';
import { registerCitizen } from '../../../../test/support/citizens.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { getConsolePage, postConsoleForm, signInStaff } from '../../../../test/support/staff.ts';

let p: TestPlatform;
let dpo: string;
let support: string;

const nextMonth = () => new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

describe('the legal holds desk', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    for (const [role, email] of [
      ['dpo', 'dpo-holds@civitas.example'],
      ['support', 'support-holds@civitas.example'],
    ] as const)
      await p.staff.create(
        { email, displayName: role, role, password: 'staff password 123' },
        { type: 'system', id: 'test' },
      );
    dpo = await signInStaff(p.url, 'dpo-holds@civitas.example', 'staff password 123');
    support = await signInStaff(p.url, 'support-holds@civitas.example', 'staff password 123');
  });
  after(() => p.stop());

  test('P6.2.hold the DPO records a hold on a person by ID number, sees it in force, and releases it with a note', async () => {
    const person = await registerCitizen(p, '13900006001', idNumberFor(6001));
    const home = await (await getConsolePage(p.url, '/admin', dpo)).text();
    assert.match(home, /href="\/admin\/holds"/);
    const recorded = await postConsoleForm(
      p.url,
      '/admin/holds',
      {
        scope: 'person',
        people: idNumberFor(6001),
        basis: 'court-order',
        reason: 'Evidence in a dispute',
        authority: 'Xihu District People’s Court',
        documentRef: '(2026) 浙0106民初9号',
        reviewOn: nextMonth(),
      },
      dpo,
    );
    assert.equal(recorded.status, 303);
    const page = await (await getConsolePage(p.url, '/admin/holds?done=recorded', dpo)).text();
    assert.match(page, /The hold is recorded/);
    assert.match(page, /Xihu District People’s Court/);
    assert.match(page, /a court order/);
    const [hold] = await p.holds.list({ id: 'x', role: 'dpo' });
    assert.deepEqual(hold!.subjects, [person.subjectId]);

    const unexplained = await postConsoleForm(p.url, `/admin/holds/${hold!.id}/release`, { note: '' }, dpo);
    assert.equal(unexplained.status, 400);
    assert.match(await unexplained.text(), /Check: Why it ends/);
    const released = await postConsoleForm(
      p.url,
      `/admin/holds/${hold!.id}/release`,
      { note: 'Case closed' },
      dpo,
    );
    assert.equal(released.status, 303);
    assert.match(
      await (await getConsolePage(p.url, '/admin/holds?done=released', dpo)).text(),
      /No hold is in force/,
    );
  });

  test('P6.2.hold a number no account has, or a missing authority, is refused naming the field, and what was typed stays', async () => {
    const unknown = await postConsoleForm(
      p.url,
      '/admin/holds',
      {
        scope: 'case',
        people: `13900006099`,
        basis: 'dispute',
        reason: 'A complaint',
        authority: 'Civitas DPO',
        documentRef: 'C-9',
        caseRef: 'CASE-9',
        endsOn: nextMonth(),
      },
      dpo,
    );
    assert.equal(unknown.status, 400);
    const html = await unknown.text();
    assert.match(html, /No account has this ID number or mobile number/);
    assert.match(html, /#1/);
    assert.match(html, /CASE-9/, 'what was typed stays');
    const noAuthority = await postConsoleForm(
      p.url,
      '/admin/holds',
      {
        scope: 'category',
        categories: 'access_record',
        basis: 'authority',
        reason: 'An audit',
        authority: '',
        documentRef: 'A-1',
        endsOn: nextMonth(),
      },
      dpo,
    );
    assert.equal(noAuthority.status, 400);
    assert.match(await noAuthority.text(), /Check: Authority/);
  });

  test('P7.2.roles support is refused the desk and not offered it', async () => {
    const refused = await getConsolePage(p.url, '/admin/holds', support);
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /Only the data protection officer/);
    assert.doesNotMatch(
      await (await getConsolePage(p.url, '/admin', support)).text(),
      /href="\/admin\/holds"/,
    );
  });
});

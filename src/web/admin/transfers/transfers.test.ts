/**
 * Invariant: the console's transfer page lets the DPO draft a campaign, tell the affected
 * people and cancel; pressing "record the transfer" before the notice period has passed is
 * refused on the page with its reason and clause (P5.3.2), and the page shows the date it
 * becomes possible; a refused draft keeps what was typed; every other role reads why it may
 * not, and is not offered the page.
 *
 * The rules themselves are the transfer service's: src/modules/transfer/transfer.campaign.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { getConsolePage, postConsoleForm, signInStaff } from '../../../../test/support/staff.ts';

let p: TestPlatform;
let dpo: string;
let people: string[];
const DAY = 86_400_000;
const day = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

const form = (path: string, body: Record<string, string | string[]>, cookie: string, lang = 'en') =>
  postConsoleForm(p.url, path, body, cookie, lang);
const page = (path: string, cookie: string, lang = 'en') => getConsolePage(p.url, path, cookie, lang);

async function staffCookie(role: 'dpo' | 'support' | 'administrator', email: string) {
  await p.staff.create(
    { email, displayName: role, role, password: 'staff password 123' },
    { type: 'system', id: 'test' },
  );
  return signInStaff(p.url, email, 'staff password 123');
}

const draftBody = (over: Record<string, string | string[]> = {}) => ({
  recipientName: '粤政数据服务有限公司',
  recipientCreditCode: '91440300MA5D0C7EXQ',
  reason: 'operator-change',
  categories: ['identity', 'contact'],
  scope: 'explicit',
  serviceSlug: '',
  subjectIds: people.join('\n'),
  noticeDays: '30',
  plannedFor: day(Date.now() + 40 * DAY),
  ...over,
});

const campaignIds = async () =>
  (await p.storage.db.query<{ id: string }>('SELECT id FROM transfer_campaign ORDER BY created_at')).rows.map(
    (r) => r.id,
  );

describe('console transfer page', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    people = [];
    for (let i = 0; i < 3; i++) people.push(await p.vault.createSubject('person'));
    dpo = await staffCookie('dpo', 'dpo@civitas.example');
  });
  after(() => p.stop());

  test('P5.3.2: recording the transfer during the notice period is refused on the page with its clause, and the page shows the date it becomes possible', async () => {
    const drafted = await form('/admin/transfers', draftBody(), dpo);
    const draftedHtml = await drafted.text();
    assert.equal(drafted.status, 200, draftedHtml);
    assert.match(draftedHtml, /role="status"[^>]*>The campaign is drafted\. Nobody has been told yet\./);
    const [id] = await campaignIds();
    assert.ok(id);
    assert.match(draftedHtml, new RegExp(`<tr id="campaign-${id}">[\\s\\S]*?data-state="drafted">Drafted<`));

    const before = await form(`/admin/transfers/${id}/transfer`, { reference: 'HO-1' }, dpo);
    assert.equal(before.status, 409);
    const beforeHtml = await before.text();
    assert.match(
      beforeHtml,
      /role="alert"[^>]*><p>The affected people have not been told yet: send the notice first/,
    );

    const notified = await form(`/admin/transfers/${id}/notify`, {}, dpo);
    const notifiedHtml = await notified.text();
    assert.equal(notified.status, 200, notifiedHtml);
    assert.match(notifiedHtml, /The notice was given to the affected people\./);
    assert.match(notifiedHtml, /data-state="notified">Notice sent, period running</);
    const { rows } = await p.storage.db.query<{ notified_at: Date }>(
      'SELECT notified_at FROM transfer_campaign WHERE id = $1',
      [id],
    );
    const from = new Date(rows[0]!.notified_at.getTime() + 30 * DAY);
    assert.match(notifiedHtml, new RegExp(`data-transferable-from="${from.toISOString()}"`));
    const shown = new Intl.DateTimeFormat('en', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Shanghai',
    }).format(from);
    assert.ok(notifiedHtml.includes(shown), `the page shows ${shown}`);

    const refused = await form(`/admin/transfers/${id}/transfer`, { reference: 'HO-2026-07' }, dpo);
    assert.equal(refused.status, 409);
    const html = await refused.text();
    assert.match(
      html,
      new RegExp(
        `id="refusal-${id}"[^>]*><p>The notice period has not passed yet: the data may not move before it ends</p>` +
          `<p class="muted">Policy clause: <code>P5.3.2</code> Code: <code>transfer.notice_period_running</code>`,
      ),
    );
    assert.match(html, /name="reference"[^>]*value="HO-2026-07"/, 'the reference typed is kept');
    assert.ok(html.includes(shown), 'the refusal page still shows when the transfer becomes possible');
    const { rows: state } = await p.storage.db.query<{ state: string }>(
      'SELECT state FROM transfer_campaign WHERE id = $1',
      [id],
    );
    assert.equal(state[0]!.state, 'notified', 'nothing moved');
  });

  test('the page shows how many people a campaign concerns and how many objected', async () => {
    const [id] = await campaignIds();
    await p.transfer.object(id!, people[0]!, { type: 'citizen', id: people[0]! });
    const html = await (await page('/admin/transfers', dpo)).text();
    const row = new RegExp(`<tr id="campaign-${id}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';
    const cells = [...row.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
    assert.ok(cells.includes('3'), `3 people concerned: ${cells.join(' | ')}`);
    assert.ok(cells.includes('1'), `1 objection: ${cells.join(' | ')}`);
  });

  test('a refused draft re-renders the form with the reason and what was typed; a campaign is cancelled from the page', async () => {
    const res = await form(
      '/admin/transfers',
      draftBody({ recipientCreditCode: 'NOT-A-CODE', recipientName: '深圳数据公司' }),
      dpo,
      'zh-CN',
    );
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /id="draft-refusal"[^>]*><p>转移活动信息不完整或无效</);
    assert.match(html, /<code>recipientCreditCode<\/code>/, 'names the field');
    assert.match(html, /value="深圳数据公司"/);
    assert.match(html, /value="NOT-A-CODE"/);
    assert.match(html, /value="contact" checked=""/);

    await form('/admin/transfers', draftBody({ recipientName: '另一家公司' }), dpo);
    const id = (await campaignIds()).at(-1)!;
    const cancelled = await form(`/admin/transfers/${id}/cancel`, {}, dpo);
    assert.equal(cancelled.status, 200);
    const after = await cancelled.text();
    assert.match(after, /The campaign is cancelled\./);
    assert.match(after, new RegExp(`<tr id="campaign-${id}">[\\s\\S]*?data-state="cancelled">Cancelled<`));

    const unknown = await form('/admin/transfers/00000000-0000-4000-8000-000000000000/notify', {}, dpo);
    assert.equal(unknown.status, 404, 'an unknown campaign is a readable page, not a 500');
    assert.match(await unknown.text(), /No such transfer campaign/);
  });

  test('P7.2.roles another role reads why it may not run transfers and is not offered the page', async () => {
    for (const [role, email] of [
      ['support', 'support@civitas.example'],
      ['administrator', 'admin@civitas.example'],
    ] as const) {
      const cookie = await staffCookie(role, email);
      const res = await page('/admin/transfers', cookie);
      assert.equal(res.status, 403, role);
      const html = await res.text();
      assert.match(html, /role="alert"[^>]*><p>Only the data protection officer runs transfer campaigns</);
      assert.match(html, /<code>transfer\.forbidden<\/code>/);
      const post = await form('/admin/transfers', draftBody(), cookie);
      assert.equal(post.status, 403, `${role} cannot draft either`);
      const home = await (await page('/admin', cookie)).text();
      assert.doesNotMatch(home, /href="\/admin\/transfers"/, `${role} is not offered the page`);
    }
    const home = await (await page('/admin', dpo)).text();
    assert.match(home, /href="\/admin\/transfers"/, 'the DPO is');
  });
});

/**
 * Invariant: the console's deliveries page shows the outbox per channel and state, the
 * failures with their reason, and each notice to many people with its progress per channel,
 * and nothing about any one person (no subject id, no phone, no address); only the security
 * officer and the DPO see it, every other role reads why.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { signInStaff } from '../../../../test/support/staff.ts';

let p: TestPlatform;
let dpo: string;
let people: string[];
const DAY = 86_400_000;
const day = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
const page = (path: string, cookie: string, lang = 'en') =>
  fetch(`${p.url}${path}`, { headers: { cookie, 'accept-language': lang } });

async function staffCookie(role: 'dpo' | 'support' | 'auditor', email: string) {
  await p.staff.create(
    { email, displayName: role, role, password: 'staff password 123' },
    { type: 'system', id: 'test' },
  );
  return signInStaff(p.url, email, 'staff password 123');
}

describe('console deliveries page', () => {
  let key: string;
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    people = [];
    for (let i = 0; i < 3; i++) people.push(await p.vault.createSubject('person'));
    dpo = await staffCookie('dpo', 'dpo@civitas.example');
    // A notice to three people who gave no phone, e-mail or browser: its deliveries fail.
    const by = { id: 'dpo-test', role: 'dpo' };
    const c = await p.transfer.draft(
      {
        recipientName: '粤政数据服务有限公司',
        recipientCreditCode: '91440300MA5D0C7EXQ',
        reason: 'merger',
        categories: ['identity'],
        scope: 'explicit',
        subjectIds: people,
        plannedFor: day(Date.now() + 40 * DAY),
      },
      by,
    );
    await p.transfer.sendNotice(c.id, by);
    await p.notify.drainOutbox();
    key = `transfer:${c.id}`;
  });
  after(() => p.stop());

  test('the page shows deliveries per channel and state, failures with their reason, and a notice’s progress, without anybody’s data', async () => {
    const res = await page('/admin/deliveries', dpo);
    const html = await res.text();
    assert.equal(res.status, 200, html);
    const { rows } = await p.storage.db.query<{
      channel: string;
      state: string;
      last_error: string;
      n: number;
    }>(`SELECT channel, state, last_error, count(*)::int AS n FROM notify_outbox GROUP BY 1, 2, 3`);
    assert.ok(rows.length > 0, 'the notice wrote deliveries');
    for (const r of rows) {
      assert.match(
        html,
        new RegExp(
          `<table id="by-channel">[\\s\\S]*<tr data-channel="${r.channel}" data-state="${r.state}">`,
        ),
      );
      if (r.last_error)
        assert.match(
          html,
          new RegExp(`<table id="failures">[\\s\\S]*<code>${r.last_error}</code></td><td>${r.n}</td>`),
        );
    }
    assert.ok(html.includes(`<code>${key}</code>`), 'the notice is listed by its key');
    for (const id of people) assert.ok(!html.includes(id), 'no subject id on the page');

    const one = await (await page(`/admin/deliveries?key=${encodeURIComponent(key)}`, dpo)).text();
    assert.match(one, /<div id="notice-progress"[^>]*>[\s\S]*People: 3/);
    const unknown = await page('/admin/deliveries?key=nothing%3Ahere', dpo);
    assert.equal(unknown.status, 200);
    assert.match(await unknown.text(), /role="alert"[^>]*>No notice has been sent under this key\./);
  });

  test('P7.2.roles support and auditors read why they may not watch deliveries and are not offered the page', async () => {
    for (const [role, email] of [
      ['support', 'support@civitas.example'],
      ['auditor', 'auditor@civitas.example'],
    ] as const) {
      const cookie = await staffCookie(role, email);
      const res = await page('/admin/deliveries', cookie, 'zh-CN');
      assert.equal(res.status, 403, role);
      assert.match(
        await res.text(),
        /role="alert"[^>]*><p>只有安全负责人和个人信息保护负责人可以查看发送情况</,
      );
      const home = await (await page('/admin', cookie)).text();
      assert.doesNotMatch(home, /href="\/admin\/deliveries"/, role);
    }
    assert.match(await (await page('/admin', dpo)).text(), /href="\/admin\/deliveries"/);
  });
});

/**
 * Invariant: through the console pages alone a security officer opens an incident, records
 * what the notice needs, assesses it, counts who a scope affects (nothing written, nobody
 * told) before freezing it, sees the suggested class and confirms one, records the report's
 * submission from the generated Chinese report, and sends the notice once, with its
 * progress per channel; each step is on the timeline with its author. A drill says so on
 * every one of its pages and reaches nobody. The DPO reads and changes nothing; other roles
 * read why they may not. Bad input is a readable page keeping what was typed, never a 500.
 *
 * The rules are the incident service's: src/modules/incident/incident.record.test.ts and
 * incident.report.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { insertAccount } from '../../../modules/account/index.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { getConsolePage, postConsoleForm, signInStaff } from '../../../../test/support/staff.ts';
import { foreignWords } from '../../../../test/support/visible-text.ts';
import { beijingValue } from './parts.tsx';

let p: TestPlatform;
let officer: string;
let dpo: string;
let people: string[];

const form = (path: string, body: Record<string, string | string[]>, cookie: string, lang = 'en') =>
  postConsoleForm(p.url, path, body, cookie, lang);
const page = (path: string, cookie: string, lang = 'en') => getConsolePage(p.url, path, cookie, lang);

async function staffCookie(
  role: 'security_officer' | 'dpo' | 'support',
  email: string,
  displayName: string,
): Promise<string> {
  await p.staff.create(
    { email, displayName, role, password: 'staff password 123' },
    { type: 'system', id: 'test' },
  );
  return signInStaff(p.url, email, 'staff password 123');
}

const opening = (over: Record<string, string | string[]> = {}) => ({
  title: '日志库未授权访问',
  summary: '安全监测发现日志库被批量查询。',
  detectedAt: beijingValue(new Date(Date.now() - 30 * 60_000)),
  systems: '统一身份认证\n日志库',
  categories: ['identity', 'contact'],
  cause: '',
  operatorType: 'other',
  ...over,
});

/** Opens an incident through the page; returns its id (from the redirect to its page). */
async function open(over: Record<string, string | string[]> = {}): Promise<string> {
  const res = await form('/admin/incidents', opening(over), officer);
  assert.equal(res.status, 303, await res.clone().text());
  const id = /^\/admin\/incidents\/([0-9a-f-]{36})\?done=opened$/.exec(
    res.headers.get('location') ?? '',
  )?.[1];
  assert.ok(id, res.headers.get('location') ?? 'no location');
  return id;
}

const scopeOf = () => {
  const now = beijingValue(new Date());
  return { from: now, to: now, actors: '', accounts: people.join('\n') };
};
const record = {
  summary: '安全监测发现日志库被批量查询。',
  cause: '',
  harm: '姓名和手机号码可能被他人获取。',
  measures: '已封禁来源地址并轮换凭据。',
  advice: '',
  contact: '12345',
};
const count = async (sql: string, args: unknown[]) =>
  (await p.storage.db.query<{ n: number }>(sql, args)).rows[0]!.n;

describe('console incident pages', () => {
  before(async () => {
    // Small thresholds: three people are class III (the rule is the same at 100 million).
    p = await startTestPlatform({
      SIGNIN_RATE_LIMIT_PER_MINUTE: '1000',
      INCIDENT_CLASS_I_PEOPLE: '1000',
      INCIDENT_CLASS_II_PEOPLE: '100',
      INCIDENT_CLASS_III_PEOPLE: '2',
      INCIDENT_CLASS_IV_PEOPLE: '1',
    });
    people = [];
    for (let i = 0; i < 3; i++) {
      const id = await p.vault.createSubject('person');
      await insertAccount(p.storage.db, id, 'x');
      people.push(id);
    }
    people.sort();
    officer = await staffCookie('security_officer', 'security@civitas.example', '李安全');
    dpo = await staffCookie('dpo', 'dpo@civitas.example', '王保护');
  });
  after(() => p.stop());

  test('P7.2i.notify: open → scope → count → freeze → report → send, each step on the timeline with its author', async () => {
    const id = await open();
    const opened = await (await page(`/admin/incidents/${id}?done=opened`, officer)).text();
    assert.match(opened, /role="status"[^>]*>The incident is opened\./);
    assert.match(opened, /data-state="detected">Detected</);
    assert.match(
      opened,
      /<span data-clock="running">left 3 h (29|30) min<\/span>/,
      'four hours from detection',
    );

    const list = await (await page('/admin/incidents', officer)).text();
    assert.match(
      list,
      new RegExp(`<tr id="incident-${id}">[\\s\\S]*?data-state="detected"[\\s\\S]*?data-clock="running"`),
    );
    assert.doesNotMatch(list, new RegExp(`<tr id="incident-${id}"><td><strong class="badge drill">`));

    const updated = await form(`/admin/incidents/${id}/update`, record, officer);
    assert.equal(updated.status, 200);
    assert.match(await updated.text(), /The record is saved\./);
    const assessed = await form(
      `/admin/incidents/${id}/advance`,
      { to: 'assessed', note: '已研判' },
      officer,
    );
    assert.match(await assessed.text(), /data-state="assessed">Assessed</);

    // The count comes first and writes nothing; only then is freezing offered.
    const before = await (await page(`/admin/incidents/${id}`, officer)).text();
    assert.doesNotMatch(before, /formaction="[^"]*\/freeze"/, 'no freeze before a count');
    const counted = await form(`/admin/incidents/${id}/count`, scopeOf(), officer);
    const countedHtml = await counted.text();
    assert.equal(counted.status, 200, countedHtml);
    assert.match(
      countedHtml,
      /id="counted">People this scope affects \(nothing sent yet\): <strong>3<\/strong>/,
    );
    assert.match(countedHtml, new RegExp(`formaction="/admin/incidents/${id}/freeze"`));
    assert.ok(countedHtml.includes(people[0]!), 'the accounts typed are kept in the form');
    assert.equal(
      await count('SELECT count(*)::int AS n FROM incident_affected WHERE incident_id = $1', [id]),
      0,
    );
    assert.equal(
      await count(`SELECT count(*)::int AS n FROM notify_notice WHERE key = $1`, [`incident:${id}`]),
      0,
    );

    const frozen = await form(`/admin/incidents/${id}/freeze`, scopeOf(), officer);
    const frozenHtml = await frozen.text();
    assert.equal(frozen.status, 200, frozenHtml);
    assert.match(frozenHtml, /id="frozen">Affected people frozen on the record: <strong>3<\/strong>/);
    assert.match(frozenHtml, /id="suggested">Class III \(relatively serious\)</);
    assert.match(frozenHtml, /id="severity">Not confirmed</);
    const confirmed = await form(`/admin/incidents/${id}/severity`, { severity: 'III' }, officer);
    assert.match(await confirmed.text(), /id="severity">Class III \(relatively serious\)</);

    // Telling people before the report is recorded is refused on the page, with its reason.
    const early = await form(`/admin/incidents/${id}/send`, {}, officer);
    assert.equal(early.status, 409);
    assert.match(
      await early.text(),
      /id="refusal"[^>]*><p>The incident cannot take this step from where it is now/,
    );

    const report = await (await page(`/admin/incidents/${id}/report`, officer)).text();
    assert.match(report, /<pre id="report" lang="zh-CN">[\s\S]*事件名称：日志库未授权访问/);
    assert.match(report, /影响范围：涉及人数：3 人/);
    assert.match(report, /已采取措施：已封禁来源地址并轮换凭据。/);
    assert.match(report, /原因：待查明/);
    const submitted = await form(
      `/admin/incidents/${id}/report`,
      { channel: '网信部门报送平台', reference: 'CAC-2026-0042' },
      officer,
    );
    const submittedHtml = await submitted.text();
    assert.equal(submitted.status, 200, submittedHtml);
    assert.match(submittedHtml, /The submission is recorded\./);
    assert.match(submittedHtml, /<span data-clock="reported">reported<\/span>/, 'the clock stopped');

    const sent = await form(`/admin/incidents/${id}/send`, {}, officer);
    const sentHtml = await sent.text();
    assert.equal(sent.status, 200, sentHtml);
    assert.match(sentHtml, /id="sent">The notice is queued for the affected people: <strong>3<\/strong>/);
    assert.match(sentHtml, /data-state="people_told">People told</);
    assert.equal(
      await count(
        `SELECT count(*)::int AS n FROM notification n JOIN notify_notice nn ON nn.id = n.notice_id WHERE nn.key = $1`,
        [`incident:${id}`],
      ),
      3,
    );
    await form(`/admin/incidents/${id}/send`, {}, officer);
    assert.equal(
      await count(
        `SELECT count(*)::int AS n FROM notification n JOIN notify_notice nn ON nn.id = n.notice_id WHERE nn.key = $1`,
        [`incident:${id}`],
      ),
      3,
      'sending again tells nobody twice',
    );
    await p.notify.drainOutbox();
    const after = await (await page(`/admin/incidents/${id}`, officer)).text();
    // Everybody has it in their inbox; these people gave no phone, address or browser.
    assert.match(after, /<div id="progress"><h3>Progress per channel<\/h3><p>People: 3<\/p>/);

    const timeline = /<table id="timeline">([\s\S]*?)<\/table>/.exec(after)?.[1] ?? '';
    for (const kind of ['opened', 'updated', 'state', 'scoped', 'severity', 'reported', 'sent'])
      assert.match(timeline, new RegExp(`<tr data-kind="${kind}">(<td>[^<]*</td>){3}<td>李安全</td>`), kind);
  });

  test('P7.2i.notify: a drill shows its banner on every page, is badged in the list, and its send reaches nobody', async () => {
    const id = await open({ title: '演练：日志库泄露', drill: 'yes' });
    for (const path of [`/admin/incidents/${id}`, `/admin/incidents/${id}/report`]) {
      const html = await (await page(path, officer)).text();
      assert.match(
        html,
        /id="drill-banner"><strong>Drill<\/strong> Drill: this incident is an exercise\./,
        path,
      );
    }
    const zh = await (await page(`/admin/incidents/${id}`, officer, 'zh-CN')).text();
    assert.match(zh, /id="drill-banner"><strong>演练<\/strong> 演练：本事件为应急演练/);
    const list = await (await page('/admin/incidents', officer)).text();
    assert.match(list, new RegExp(`<tr id="incident-${id}"><td><strong class="badge drill">Drill</strong>`));
    assert.match(
      await (await page(`/admin/incidents/${id}/report`, officer)).text(),
      /【演练】网络安全事件报告/,
    );

    await form(`/admin/incidents/${id}/update`, record, officer);
    await form(`/admin/incidents/${id}/freeze`, scopeOf(), officer);
    await form(`/admin/incidents/${id}/report`, { channel: '演练', reference: '' }, officer);
    const sent = await (await form(`/admin/incidents/${id}/send`, {}, officer)).text();
    assert.match(
      sent,
      /id="sent">Drill: nobody was reached\. People who would have been told: <strong>3<\/strong>/,
    );
    assert.equal(
      await count(
        `SELECT count(*)::int AS n FROM notification n JOIN notify_notice nn ON nn.id = n.notice_id WHERE nn.key = $1`,
        [`incident:${id}`],
      ),
      0,
      'a drill writes no notification',
    );
  });

  test('bad input re-renders the page with the reason and what was typed', async () => {
    const res = await form(
      '/admin/incidents',
      opening({ title: '缺少发现时间', detectedAt: 'yesterday' }),
      officer,
    );
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.match(html, /id="open-refusal"[^>]*><p>The incident record is not complete or not valid/);
    assert.match(html, /<code>detectedAt<\/code>/);
    assert.match(html, /value="缺少发现时间"/);

    const id = await open();
    const badScope = await form(`/admin/incidents/${id}/count`, { ...scopeOf(), from: 'soon' }, officer);
    assert.equal(badScope.status, 400);
    const scopeHtml = await badScope.text();
    assert.match(scopeHtml, /Some fields are missing or not valid/);
    assert.ok(scopeHtml.includes(people[1]!), 'the accounts typed are kept');
    const badStep = await form(`/admin/incidents/${id}/advance`, { to: 'flying' }, officer);
    assert.equal(badStep.status, 409);
    const reopenOpen = await form(`/admin/incidents/${id}/reopen`, { note: '新发现' }, officer);
    assert.equal(reopenOpen.status, 409, 'an open incident is not reopened');
    assert.match(await reopenOpen.text(), /id="refusal"[^>]*><p>The incident cannot take this step/);
    // Longer than a field takes: the page's own refusal naming the field, what was typed kept.
    const long = 'x'.repeat(20_001);
    const tooLong = await form('/admin/incidents', opening({ title: '过长的原因', cause: long }), officer);
    assert.equal(tooLong.status, 400);
    const tooLongHtml = await tooLong.text();
    assert.match(tooLongHtml, /Some fields are missing or not valid/);
    assert.match(tooLongHtml, /<code>cause<\/code>/);
    assert.match(tooLongHtml, /value="过长的原因"/);
    const longRecord = await form(`/admin/incidents/${id}/update`, { ...record, harm: long }, officer);
    assert.equal(longRecord.status, 400);
    assert.match(await longRecord.text(), /<code>harm<\/code>/);
    const longReport = await form(`/admin/incidents/${id}/report`, { channel: long, reference: '' }, officer);
    assert.equal(longReport.status, 400);
    assert.match(await longReport.text(), /id="refusal"[^>]*><p>Some fields are missing or not valid/);
    const unknown = await page('/admin/incidents/00000000-0000-4000-8000-000000000000', officer);
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /No such incident/);
  });

  test('P7.2.roles the DPO reads incidents and changes nothing; other roles read why they may not', async () => {
    const id = await open({ title: '供 DPO 查看' });
    const read = await page(`/admin/incidents/${id}`, dpo);
    assert.equal(read.status, 200);
    const html = await read.text();
    assert.match(html, /You may read incidents; only the security officer changes them\./);
    assert.doesNotMatch(html, /action="\/admin\/incidents\/[^"]+\/(advance|count|send|severity)"/);
    const refused = await form(`/admin/incidents/${id}/advance`, { to: 'assessed' }, dpo);
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /Only the security officer runs incidents/);
    assert.match(await (await page('/admin', dpo)).text(), /href="\/admin\/incidents"/);

    const support = await staffCookie('support', 'support@civitas.example', '客服');
    const denied = await page('/admin/incidents', support, 'cs');
    assert.equal(denied.status, 403);
    assert.match(await denied.text(), /<code>incident\.not_allowed<\/code>/);
    assert.equal((await page(`/admin/incidents/${id}/report`, support)).status, 403);
    assert.doesNotMatch(await (await page('/admin', support)).text(), /href="\/admin\/incidents"/);
    assert.match(await (await page('/admin', officer)).text(), /href="\/admin\/incidents"/);
  });

  test('the console pages of incidents, transfers and deliveries speak zh-CN and Czech, with no raw identifier', async () => {
    const id = (
      await p.storage.db.query<{ id: string }>(
        `SELECT id FROM incident WHERE drill ORDER BY opened_at LIMIT 1`,
      )
    ).rows[0]!.id;
    const told = (
      await p.storage.db.query<{ id: string }>(
        `SELECT id FROM incident WHERE state = 'people_told' AND NOT drill LIMIT 1`,
      )
    ).rows[0]!.id;
    const pages: [string, string][] = [
      ['/admin/incidents', officer],
      [`/admin/incidents/${id}`, officer],
      [`/admin/incidents/${told}`, officer],
      [`/admin/incidents/${told}/report`, officer],
      [`/admin/incidents/${told}`, dpo],
      ['/admin/transfers', dpo],
      ['/admin/deliveries', dpo],
    ];
    const found: string[] = [];
    for (const locale of ['zh-CN', 'cs'] as const)
      for (const [path, cookie] of pages) {
        const res = await fetch(`${p.url}${path}`, {
          headers: { cookie: `${cookie}; civitas_lang=${locale}` },
        });
        assert.equal(res.status, 200, path);
        for (const f of foreignWords(await res.text(), locale))
          found.push(`${locale} ${path} [${f.kind}] «${f.word}» in «${f.text}»`);
      }
    assert.deepEqual(found, []);
  });
});

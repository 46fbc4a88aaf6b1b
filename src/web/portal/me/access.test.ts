/**
 * Invariant (P8.1.view, P5.3.3): "who accessed my data" says of every attempt whether it
 * happened or was refused, and why a refusal was made in plain words of the person's
 * language; the list narrows by who, purpose and days through a GET form that keeps what
 * was typed, and pages with "newer" and "older" links that keep the filter.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client, type Citizen } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';

let p: TestPlatform;
let c: ReturnType<typeof client>;

const page = async (me: Citizen, path: string, lang = 'en') => {
  const res = await fetch(`${p.url}${path}`, { headers: { cookie: me.session, 'accept-language': lang } });
  assert.equal(res.status, 200, path);
  return res.text();
};
const rows = (html: string) => [...html.matchAll(/<tr data-outcome="(\w+)">([\s\S]*?)<\/tr>/g)];
const link = (html: string, text: string) =>
  [...html.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)]
    .find((m) => m[2] === text)?.[1]
    ?.replace(/&amp;/g, '&');

/** Entries written straight into the log: `n` of them, an hour apart, the newest an hour ago. */
const entries = (me: Citizen, n: number, actor: string, purpose: string, endingDaysAgo = 0) =>
  p.storage.db.query(
    `INSERT INTO vault_access (subject_id, occurred_at, operation, actor_type, actor_label, purpose, basis, fields, categories)
     SELECT $1, now() - make_interval(days => $5, hours => g), 'read', 'department', $3, $4, 'necessity',
            '{name}', '{identity}'
       FROM generate_series($2::int, 1, -1) AS g`,
    [me.subjectId, n, actor, purpose, endingDaysAgo],
  );

describe('who accessed my data: outcome, filter, paging', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    c = client(p);
  });
  after(() => p.stop());

  test('P8.1.view a refused attempt is listed with the reason in plain words, beside what happened', async () => {
    const me = await c.register('13900000051', 751);
    await entries(me, 1, 'department:tax', 'service-provision');
    // The name was collected for real-name verification: a department may not read it to
    // provide another service without a fresh basis.
    await assert.rejects(
      p.vault.read({
        subjectId: me.subjectId,
        actor: { type: 'department', id: 'tax', label: 'department:tax' },
        purpose: 'service-provision',
        basis: { type: 'necessity', service: 'income-tax-return' },
        fields: ['name'],
      }),
      (err: Error & { code?: string }) => err.code === 'vault.incompatible_purpose',
    );
    const html = await page(me, '/me/access');
    const [refused, allowed] = rows(html);
    assert.equal(refused?.[1], 'refused', 'the newest entry is the refusal');
    assert.match(refused![2]!, /<strong>Refused<\/strong>/);
    assert.match(refused![2]!, /Tax Bureau/);
    assert.doesNotMatch(refused![2]!, /vault\.|no_basis/, 'no raw code');
    assert.match(refused![2]!, /: the purpose does not match the one your data was collected for</);
    assert.equal(allowed?.[1], 'allowed');
    assert.match(allowed![2]!, /Access given/);

    const zh = await page(me, '/me/access', 'zh-CN');
    assert.match(zh, /<th scope="col">结果<\/th>/);
    assert.match(zh, /<strong>已拒绝<\/strong>/);
    const cs = await page(me, '/me/access', 'cs');
    assert.match(cs, /<strong>Odmítnuto<\/strong>/);
    assert.match(zh, /该目的与收集您信息时的目的不一致/);
    assert.match(cs, /účel neodpovídá tomu, pro který byly vaše údaje shromážděny/);
  });

  test('P8.1.view the log filters by who, purpose and days through a GET form that keeps what was typed', async () => {
    const me = await c.register('13900000052', 752);
    await entries(me, 3, 'department:tax', 'service-provision', 10);
    await entries(me, 2, 'department:housing-fund', 'identity-verification', 0);
    const all = await page(me, '/me/access');
    assert.match(all, /<form method="get" action="\/me\/access"/);
    assert.match(all, /<option value="department:tax">Tax Bureau<\/option>/, 'who: named, not a code');
    assert.equal(rows(all).length, 5);

    const tax = await page(me, '/me/access?who=department%3Atax');
    assert.equal(rows(tax).length, 3);
    assert.match(tax, /<option value="department:tax" selected="">/);
    const byPurpose = await page(me, '/me/access?purpose=identity-verification');
    assert.equal(rows(byPurpose).length, 2);

    const day = (daysAgo: number) =>
      new Date(Date.now() - daysAgo * 86400_000 + 8 * 3600_000).toISOString().slice(0, 10);
    const recent = await page(me, `/me/access?from=${day(2)}`);
    assert.equal(rows(recent).length, 2, 'only the entries of the last two days');
    const old = await page(me, `/me/access?to=${day(5)}`);
    assert.equal(rows(old).length, 3);

    const none = await page(me, '/me/access?who=department%3Atax&from=' + day(2));
    assert.equal(rows(none).length, 0);
    assert.match(none, /No entries match this filter\./);
    assert.match(none, /<a href="\/me\/access">Clear filter<\/a>/);
  });

  test('P8.1.view a date that is not a real day is said beside its field and kept as typed, never a 500', async () => {
    const me = await c.register('13900000053', 753);
    await entries(me, 2, 'department:tax', 'service-provision');
    const res = await fetch(`${p.url}/me/access?from=2026-02-30&to=banana`, {
      headers: { cookie: me.session, 'accept-language': 'en' },
    });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /class="error-summary"[\s\S]*<a href="#access-from">Enter a real date/);
    assert.match(
      html,
      /<p class="error" id="access-from-error">Enter a real date, for example 2026-03-01<\/p>/,
    );
    assert.match(
      html,
      /id="access-from"[^>]*value="2026-02-30"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="access-from"/,
    );
    assert.match(html, /aria-describedby="access-from-hint access-from-error"/);
    assert.equal(rows(html).length, 2, 'the bad dates are not applied');
    const reversed = await page(me, '/me/access?from=2026-03-02&to=2026-03-01', 'cs');
    assert.match(reversed, /Datum od musí být stejné jako datum do, nebo dřívější/);
  });

  test('P8.1.view "older" and "newer" page by the entry id and keep the filter', async () => {
    const me = await c.register('13900000054', 754);
    await entries(me, 45, 'department:tax', 'service-provision');
    await entries(me, 5, 'department:housing-fund', 'service-provision');
    const first = await page(me, '/me/access?who=department%3Atax');
    assert.equal(rows(first).length, 20);
    assert.equal(link(first, 'Newer entries'), undefined, 'the newest page has no newer link');
    const older = link(first, 'Older entries');
    assert.match(
      older ?? '',
      /^\/me\/access\?who=department%3Atax&before=\d+$/,
      'the filter survives paging',
    );

    const second = await page(me, older!);
    assert.equal(rows(second).length, 20);
    const third = await page(me, link(second, 'Older entries')!);
    assert.equal(rows(third).length, 5, '45 = 20 + 20 + 5');
    assert.equal(link(third, 'Older entries'), undefined);

    const back = link(third, 'Newer entries');
    assert.match(back ?? '', /^\/me\/access\?who=department%3Atax&after=\d+$/);
    const secondAgain = await page(me, back!);
    assert.deepEqual(
      rows(secondAgain).map((r) => r[2]),
      rows(second).map((r) => r[2]),
      'newer goes back to the same page',
    );
    const firstAgain = await page(me, link(secondAgain, 'Newer entries')!);
    assert.equal(rows(firstAgain).length, 20);
    assert.equal(link(firstAgain, 'Newer entries'), undefined);
  });

  test('P8.1.view a cursor or filter that is not a number or not known answers a page, never a 500', async () => {
    const me = await c.register('13900000055', 755);
    for (const q of ['before=abc', 'after=-1', 'before=1e400', 'who[]=x', 'purpose=' + 'x'.repeat(500)]) {
      const res = await fetch(`${p.url}/me/access?${q}`, { headers: { cookie: me.session } });
      assert.equal(res.status, 200, q);
    }
  });
});

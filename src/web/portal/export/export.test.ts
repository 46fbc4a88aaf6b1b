/**
 * Invariant (P8.1.export, P8.3): a person downloads a copy of all their information, as a
 * JSON document and a readable page in their language, after proving again that it is them.
 * The archive holds their own rows only (their decrypted profile, consents with the exact
 * text, who accessed their data, their sessions), never another person's. Each download is
 * audited and shows in their access log; another person's archive is not found; the link
 * expires, and then the copies are deleted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { client, PASSWORD, type Citizen } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { testShown } from '../../../../test/support/policy.ts';
import { visibleTexts } from '../../../../test/support/visible-text.ts';

let p: TestPlatform;
let c: ReturnType<typeof client>;
let me: Citizen;
let other: Citizen;

/** As a browser navigates: it accepts a page, so a refusal is a readable page. */
const get = (path: string, who: Citizen, lang = 'en') =>
  fetch(`${p.url}${path}`, {
    redirect: 'manual',
    headers: { cookie: who.session, 'accept-language': lang, accept: 'text/html,*/*;q=0.8' },
  });
const form = (path: string, body: Record<string, string>, who: Citizen, lang = 'en') =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: who.session,
      'accept-language': lang,
    },
    body: new URLSearchParams(body).toString(),
  });
/** Ten minutes have passed since this person last proved who they are. */
const stale = (who: Citizen) =>
  p.storage.db.query(
    `UPDATE citizen_session SET proved_at = now() - interval '10 minutes' WHERE subject_id = $1`,
    [who.subjectId],
  );
/** Someone read the person's data: an entry of their access log, told apart by its label. */
const accessedBy = (who: Citizen, label: string) =>
  p.storage.db.query(
    `INSERT INTO vault_access (subject_id, operation, actor_type, actor_id, actor_label, purpose, basis, fields, categories)
     VALUES ($1, 'read', 'department', 'tax', $2, 'service-provision', 'necessity', '{name}', '{identity}')`,
    [who.subjectId, label],
  );
/** Asks for an archive through the page and lets the job prepare it; returns its id. */
async function prepared(who: Citizen, lang = 'en'): Promise<string> {
  const res = await form('/me/export', { prepare: '1' }, who, lang);
  assert.equal(res.status, 303);
  for (let i = 0; i < 20; i++) {
    const [latest] = await p.exports.list(who.subjectId);
    if (latest?.state === 'ready') return latest.id;
    await p.jobs.runDue();
  }
  assert.fail('the archive was not prepared');
}

interface Section {
  table: string;
  label: string;
  columns: { name: string; label: string }[];
  rows: Record<string, unknown>[];
}
const section = (archive: { sections: Section[] }, table: string) =>
  archive.sections.find((s) => s.table === table)!;

describe('download my data', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    c = client(p);
    me = await c.register('13900000081', 781);
    other = await c.register('13900000082', 782);
    for (const [who, text] of [
      [me, 'invite me to surveys, my text'],
      [other, 'the other person’s survey text'],
    ] as const) {
      await p.consent.give(
        {
          subjectId: who.subjectId,
          kind: 'use',
          purpose: 'survey',
          categories: ['contact'],
          channel: 'portal',
          shown: await testShown(p.storage.db, text),
        },
        { type: 'self', id: who.subjectId },
      );
    }
    await accessedBy(me, 'department:mine-marker');
    await accessedBy(other, 'department:other-marker');
  });
  after(() => p.stop());

  test('P8.1.export preparing the archive asks for the password again first, and says why', async () => {
    await stale(me);
    const asked = await get('/me/export', me);
    assert.equal(asked.status, 200);
    const page = await asked.text();
    assert.match(page, /<h1>Confirm it is you<\/h1>/);
    assert.ok(visibleTexts(page).some((t) => t.includes('Your archive holds all your personal data')));
    assert.match(page, /<form method="post" action="\/me\/export"/);

    const refused = await form('/me/export', { prepare: '1' }, me);
    assert.equal(refused.status, 200, 'asked for the proof instead');
    assert.match(await refused.text(), /<h1>Confirm it is you<\/h1>/);
    const wrong = await form('/me/export', { prepare: '1', reauth: '1', password: 'not it' }, me);
    assert.equal(wrong.status, 400);
    assert.deepEqual(await p.exports.list(me.subjectId), [], 'nothing asked for without the proof');

    const ok = await form('/me/export', { prepare: '1', reauth: '1', password: PASSWORD }, me);
    assert.equal(ok.status, 303);
    assert.equal((await p.exports.list(me.subjectId)).length, 1);
  });

  test('P8.1.export while the archive is prepared the page shows its progress and refreshes itself', async () => {
    const [asked] = await p.exports.list(me.subjectId);
    const waiting = await (await get('/me/export', me)).text();
    assert.ok(visibleTexts(waiting).includes('Your archive will be prepared in a moment.'));
    assert.match(waiting, /<meta http-equiv="refresh" content="3"/);
    assert.doesNotMatch(waiting, /Prepare my archive/, 'no second archive while one is on its way');
    // As the job leaves it between two sections.
    await p.storage.db.query(
      `UPDATE export_job SET state = 'preparing', sections_done = 3, sections_total = 29 WHERE id = $1`,
      [asked!.id],
    );
    const preparing = visibleTexts(await (await get('/me/export', me)).text());
    assert.ok(preparing.includes('Your archive is being prepared: 3 of 29 sections done.'));
  });

  test('P8.1.export the archive holds the person’s decrypted profile, consents with their text, access entries and sessions, and nobody else’s rows', async () => {
    const id = await prepared(me);
    const page = await (await get('/me/export', me)).text();
    assert.ok(visibleTexts(page).includes('Your archive is ready.'));
    assert.match(page, new RegExp(`href="/me/export/${id}/archive.json"`));
    assert.ok(visibleTexts(page).some((t) => t.startsWith('The links work until')));

    const res = await get(`/me/export/${id}/archive.json`, me);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assert.match(
      res.headers.get('content-disposition') ?? '',
      /attachment; filename="civitas-my-data-.*\.json"/,
    );
    const text = await res.text();
    const archive = JSON.parse(text) as {
      format: string;
      version: number;
      language: string;
      sections: Section[];
    };
    assert.equal(archive.format, 'civitas-personal-data-export');
    assert.equal(archive.version, 1);
    assert.equal(archive.language, 'en');

    const values = section(archive, 'vault_field');
    assert.equal(values.label, 'Personal information');
    assert.deepEqual(
      values.rows.filter((r) => r.field === 'name' || r.field === 'phone').map((r) => [r.field, r.value]),
      [
        ['name', '王芳'],
        ['phone', me.phone],
      ],
    );
    const consents = section(archive, 'consent');
    assert.equal(consents.rows.length, 1);
    assert.equal(consents.rows[0]!.text, 'invite me to surveys, my text');
    assert.equal(consents.rows[0]!.purpose, 'survey');
    assert.ok(section(archive, 'vault_access').rows.some((r) => r.actor_label === 'department:mine-marker'));
    const sessions = section(archive, 'citizen_session');
    assert.ok(sessions.rows.length >= 1);
    assert.ok(sessions.columns.some((col) => col.label === 'Signed in'));
    assert.ok(!sessions.columns.some((col) => col.name === 'token_hash'), 'no secret leaves');

    for (const theirs of [other.phone, other.subjectId, 'other-marker', 'the other person’s survey text'])
      assert.ok(!text.includes(theirs), `the archive holds nothing of the other person (${theirs})`);

    const html = await get(`/me/export/${id}/archive.html`, me);
    assert.equal(html.status, 200);
    const shown = visibleTexts(await html.text());
    for (const t of [
      'My data at Civitas',
      'Personal information',
      'My consents',
      'Who accessed my data',
      '王芳',
    ])
      assert.ok(shown.includes(t), `the readable copy shows ${t}`);
    assert.ok(shown.includes('invite me to surveys, my text'));
    assert.ok(shown.includes('Mobile number'), 'a field is shown by its name, not its code');
  });

  test('P8.1.export when the archive is ready the person is told until when it can be downloaded, with no link in the message', async () => {
    const [ready] = await p.exports.list(me.subjectId);
    assert.equal(ready?.state, 'ready');
    const told = await p.storage.db.query<{ until: string; n: number }>(
      `SELECT params->>'until' AS until, count(*) OVER ()::int AS n
         FROM notification WHERE subject_id = $1 AND template = 'export-ready'`,
      [me.subjectId],
    );
    const lastDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
      new Date(ready!.expiresAt!.getTime() - 1),
    );
    assert.deepEqual(told.rows, [{ until: lastDay, n: 1 }]);
    const inbox = await (await get('/me/inbox', me)).text();
    assert.ok(visibleTexts(inbox).some((t) => t.includes('Your copy of your data is ready')));
    assert.doesNotMatch(
      inbox,
      new RegExp(ready!.id),
      'the archive is reached from the page, not the message',
    );
    assert.equal(
      (
        await p.storage.db.query(
          `SELECT 1 FROM notification WHERE subject_id = $1 AND template = 'export-ready'`,
          [other.subjectId],
        )
      ).rowCount,
      0,
    );
  });

  test('P8.1.export the readable copy is in the person’s language', async () => {
    const id = await prepared(other, 'zh-CN');
    const shown = visibleTexts(await (await get(`/me/export/${id}/archive.html`, other, 'zh-CN')).text());
    for (const t of ['我在 Civitas 的个人信息', '个人信息', '我的同意', '谁访问了我的信息'])
      assert.ok(shown.includes(t), `shows ${t}`);
  });

  test('P8.1.export a download is audited and shows in the person’s access log', async () => {
    const [latest] = await p.exports.list(me.subjectId);
    const { rows } = await p.storage.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_entry WHERE action = 'export.downloaded' AND actor_id = $1`,
      [me.subjectId],
    );
    assert.equal(rows[0]!.n, 2, 'the JSON and the HTML download');
    const log = visibleTexts(await (await get('/me/access', me)).text());
    assert.ok(log.some((t) => t.includes('Downloaded by you (archive of your data)')));
    assert.ok(log.includes('You'), 'the person is named as who accessed it');
    assert.ok(latest);
  });

  test('P8.1.export another person’s archive is not found, and a download without a fresh proof goes back to ask for one', async () => {
    const [mine] = await p.exports.list(me.subjectId);
    const res = await get(`/me/export/${mine!.id}/archive.json`, other);
    assert.equal(res.status, 404);
    assert.ok(visibleTexts(await res.text()).includes('There is no such archive of your data'));
    const made = await get('/me/export/not-an-id/archive.html', other);
    assert.equal(made.status, 404);
    const signedOut = await fetch(`${p.url}/me/export/${mine!.id}/archive.json`, { redirect: 'manual' });
    assert.equal(signedOut.status, 303, 'signed out: to the sign-in');

    // Without a fresh proof a download goes back to the page, which asks for one.
    await stale(me);
    const unproved = await get(`/me/export/${mine!.id}/archive.json`, me);
    assert.equal(unproved.status, 303);
    assert.equal(unproved.headers.get('location'), '/me/export');
    assert.equal((await form('/me/export', { reauth: '1', password: PASSWORD }, me)).status, 303);
  });

  test('P8.1.export the download link expires: the page says so, the link answers 410, the copies are deleted', async () => {
    const [mine] = await p.exports.list(me.subjectId);
    await p.storage.db.query(`UPDATE export_job SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      mine!.id,
    ]);
    const gone = await get(`/me/export/${mine!.id}/archive.json`, me);
    assert.equal(gone.status, 410);
    assert.ok(visibleTexts(await gone.text()).some((t) => t.startsWith('This download link has expired')));
    assert.ok(
      visibleTexts(await (await get('/me/export', me)).text()).includes(
        'The links of this archive expired and it was deleted.',
      ),
    );
    assert.equal(await p.exports.sweep(), 1);
    const { rows } = await p.storage.db.query<{ state: string; kept: boolean }>(
      `SELECT state, json_archive IS NOT NULL OR html_archive IS NOT NULL AS kept FROM export_job WHERE id = $1`,
      [mine!.id],
    );
    assert.deepEqual(rows[0], { state: 'expired', kept: false });
  });
});

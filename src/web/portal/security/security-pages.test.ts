/**
 * Invariant (P7.3, P8.5.withdraw): on the security pages a person tells their devices apart
 * (when each signed in and was last used, a name they choose, kept out of audit), nothing
 * destructive happens on the first press (a page asks "Are you sure?" and says what will
 * happen; only its second POST acts, and both refuse cross-site posts), passkeys can be
 * renamed within stated limits, and recovery codes can be copied, printed and downloaded
 * when they are shown, never cached.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { hotp, totpStep } from '../../../shared/totp.ts';
import { sessionData } from '../../../modules/session/index.ts';
import { client, type Citizen } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { testShown } from '../../../../test/support/policy.ts';
import { fromBase32 } from '../../../../test/support/staff.ts';

let p: TestPlatform;
let c: ReturnType<typeof client>;

const get = async (path: string, cookie: string, lang = 'en') =>
  fetch(`${p.url}${path}`, { redirect: 'manual', headers: { cookie, 'accept-language': lang } });
const form = (path: string, body: Record<string, string | string[]>, cookie: string, extra = {}) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) for (const x of [v].flat()) params.append(k, x);
  return fetch(`${p.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie,
      'accept-language': 'en',
      ...extra,
    },
    body: params.toString(),
  });
};
/** Another signed-in browser of the same person, "Chrome · Linux" like the first. */
const anotherChrome = async (me: Citizen) => {
  const cookie = `civitas_session=${await p.sessions.create(me.subjectId, undefined, 'Chrome · Linux')}`;
  const id = (await p.sessions.list(me.subjectId, cookie.split('=')[1])).find((s) => s.current)!.id;
  return { cookie, id };
};
const live = async (me: Citizen, id: string) =>
  (await p.sessions.list(me.subjectId, undefined)).some((s) => s.id === id);
const passkey = async (me: Citizen, label: string) =>
  (
    await p.storage.db.query<{ id: string }>(
      `INSERT INTO passkey (subject_id, credential_id, public_key, label) VALUES ($1, $2, '\\x00', $3) RETURNING id`,
      [me.subjectId, `cred-${label}-${me.subjectId}`, label],
    )
  ).rows[0]!.id;
const labelOf = async (id: string) =>
  (await p.storage.db.query<{ label: string }>('SELECT label FROM passkey WHERE id = $1', [id])).rows[0]
    ?.label;

describe('the security pages', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    c = client(p);
  });
  after(() => p.stop());

  test('P7.3 each device shows when it signed in and was last used, and takes a name the person gives it', async () => {
    const me = await c.register('13900000061', 761);
    await p.storage.db.query(`UPDATE citizen_session SET device = 'Chrome · Linux' WHERE subject_id = $1`, [
      me.subjectId,
    ]);
    const other = await anotherChrome(me);
    const html = await (await get('/me/security', me.session)).text();
    const cards = [...html.matchAll(/<li class="device" data-device="([0-9a-f-]{36})">([\s\S]*?)<\/li>/g)];
    assert.equal(cards.length, 2, 'both "Chrome · Linux" sessions are listed');
    for (const [, , card] of cards) {
      assert.match(card!, /<dt>Signed in<\/dt><dd>[^<]+<\/dd><dt>Last used<\/dt><dd>[^<]+<\/dd>/);
      assert.match(card!, /<label for="device-name-[^"]+">Name this device<\/label>/);
    }
    assert.match(html, /We do not keep where a device signed in from\./);

    const named = await form(`/me/sessions/${other.id}/name`, { name: '  Office   laptop ' }, me.session);
    assert.equal(named.status, 303);
    assert.equal(named.headers.get('location'), '/me/security?notice=named');
    const after = await (await get('/me/security?notice=named', me.session)).text();
    assert.match(after, /role="status">Device name saved\./);
    assert.match(after, /<h3>Office laptop <span class="muted">\(Chrome · Linux\)<\/span><\/h3>/);
    assert.match(after, /aria-label="Sign out: Office laptop, /, 'the sign-out button names the device');

    const { rows } = await p.storage.db.query(
      `SELECT 1 FROM audit_entry WHERE detail::text LIKE '%Office laptop%' OR subject_id::text = 'Office laptop'`,
    );
    assert.equal(rows.length, 0, 'the name never reaches audit');
    assert.ok(sessionData.tables.citizen_session.columns.name, 'the name is declared as personal data');
  });

  test('P7.3 a device name that is empty, too long or has markup or emoji is refused beside the field, as typed', async () => {
    const me = await c.register('13900000062', 762);
    const other = await anotherChrome(me);
    const cases: [string, string, RegExp][] = [
      ['en', '<b>x</b>', /Use letters, numbers, spaces and simple punctuation only/],
      ['zh-CN', '我的电脑😀', /只能使用文字、数字、空格和常用标点/],
      ['cs', 'x'.repeat(41), /Název může mít nejvýše 40 znaků/],
      ['en', '   ', /Enter a name/],
    ];
    for (const [lang, typed, message] of cases) {
      const res = await form(`/me/sessions/${other.id}/name`, { name: typed }, me.session, {
        'accept-language': lang,
      });
      assert.equal(res.status, 400, typed);
      const html = await res.text();
      assert.match(html, message);
      assert.match(html, new RegExp(`class="error-summary"[\\s\\S]*<a href="#device-name-${other.id}">`));
      assert.match(html, /aria-invalid="true"/);
      if (typed.trim())
        assert.ok(html.includes(`value="${typed.replace(/</g, '&lt;').replace(/>/g, '&gt;')}"`));
    }
    const names = await p.sessions.list(me.subjectId, undefined);
    assert.ok(
      names.every((s) => s.name === null),
      'nothing was saved',
    );
    const theirs = await c.register('13900000063', 763);
    const foreign = await form(`/me/sessions/${other.id}/name`, { name: 'Mine now' }, theirs.session);
    assert.equal(foreign.status, 303, 'another person’s device is not found');
    assert.ok((await p.sessions.list(me.subjectId, undefined)).every((s) => s.name === null));
  });

  test('P7.3 signing out a device or everywhere else asks first, says what happens, and refuses cross-site posts', async () => {
    const me = await c.register('13900000064', 764);
    const other = await anotherChrome(me);
    const ask = await form(`/me/sessions/${other.id}/end`, {}, me.session);
    assert.equal(ask.status, 200);
    const page = await ask.text();
    assert.match(page, /<h1>Sign out this device\?<\/h1>/);
    assert.match(page, /Whoever uses it must sign in again with your password\./);
    assert.match(
      page,
      new RegExp(
        `<form method="post" action="/me/sessions/${other.id}/end"[^>]*><input type="hidden" name="confirm" value="1"/>`,
      ),
    );
    assert.match(page, /<a href="\/me\/security">No, go back<\/a>/);
    assert.ok(await live(me, other.id), 'the first press signs nothing out');
    assert.match(
      page,
      /href="\/lang\/zh-CN\?next=%2Fme%2Fsecurity"/,
      'the language switch returns to a GET page',
    );

    const crossSite = await form(`/me/sessions/${other.id}/end`, { confirm: '1' }, me.session, {
      'sec-fetch-site': 'cross-site',
    });
    assert.equal(crossSite.status, 403);
    assert.ok(await live(me, other.id), 'a cross-site confirmation is refused');

    const done = await form(`/me/sessions/${other.id}/end`, { confirm: '1' }, me.session);
    assert.equal(done.status, 303);
    assert.equal(await live(me, other.id), false);

    const third = await anotherChrome(me);
    const askAll = await form('/me/sessions/end-others', {}, me.session);
    assert.match(await askAll.text(), /<h1>Sign out everywhere else\?<\/h1>/);
    assert.ok(await live(me, third.id));
    const zh = await form('/me/sessions/end-others', {}, me.session, { 'accept-language': 'zh-CN' });
    assert.match(await zh.text(), /其他所有设备和浏览器会立即退出登录，本设备保持登录。/);
    await form('/me/sessions/end-others', { confirm: '1' }, me.session);
    assert.equal(await live(me, third.id), false);
  });

  test('P8.5.withdraw withdrawing a consent asks first and says what stops; only the second press withdraws', async () => {
    const me = await c.register('13900000065', 765);
    const consent = await p.consent.give(
      {
        subjectId: me.subjectId,
        kind: 'use',
        purpose: 'survey',
        categories: ['contact'],
        channel: 'portal',
        shown: await testShown(p.storage.db, 'surveys'),
      },
      { type: 'self', id: me.subjectId },
    );
    const ask = await form(`/me/consents/${consent.id}/withdraw`, {}, me.session, {
      'accept-language': 'cs',
    });
    assert.equal(ask.status, 200);
    const html = await ask.text();
    assert.match(html, /<h1>Odvolat tento souhlas\?<\/h1>/);
    assert.match(html, /name="confirm" value="1"/);
    assert.equal((await p.consent.of(me.subjectId))[0]!.withdrawnAt, null, 'still given');
    const done = await form(`/me/consents/${consent.id}/withdraw`, { confirm: '1' }, me.session);
    assert.equal(done.headers.get('location'), '/me/consents?withdrawn=1');
    assert.notEqual((await p.consent.of(me.subjectId))[0]!.withdrawnAt, null);
  });

  test('P7.3 removing a passkey asks first, naming it; renaming it keeps to the limits, in three languages', async () => {
    const me = await c.register('13900000066', 766);
    const id = await passkey(me, 'Laptop key');
    const ask = await form(`/me/security/passkeys/${id}/remove`, {}, me.session);
    const asked = await ask.text();
    assert.match(asked, /<h1>Remove this passkey\?<\/h1>/);
    assert.match(asked, /<strong data-confirm-subject="true">Laptop key<\/strong>/);
    assert.equal(await labelOf(id), 'Laptop key', 'not removed on the first press');

    const security = await (await get('/me/security', me.session)).text();
    assert.match(security, new RegExp(`<a href="/me/security/passkeys/${id}/rename"[^>]*>Rename</a>`));
    const renameForm = await (await get(`/me/security/passkeys/${id}/rename`, me.session)).text();
    assert.match(renameForm, /<h1>Rename passkey<\/h1>/);
    assert.match(renameForm, /value="Laptop key"/);

    const ok = await form(`/me/security/passkeys/${id}/rename`, { label: 'Work phone' }, me.session);
    assert.equal(ok.headers.get('location'), '/me/security?notice=renamed');
    assert.equal(await labelOf(id), 'Work phone');
    assert.match(await (await get('/me/security?notice=renamed', me.session)).text(), /Passkey renamed\./);

    const refusals: [string, string, RegExp][] = [
      ['en', 'x'.repeat(61), /The name must be 60 characters or fewer/],
      ['zh-CN', '<script>', /只能使用文字、数字、空格和常用标点/],
      ['cs', '', /Zadejte název/],
    ];
    for (const [lang, label, message] of refusals) {
      const res = await form(`/me/security/passkeys/${id}/rename`, { label }, me.session, {
        'accept-language': lang,
      });
      assert.equal(res.status, 400);
      const html = await res.text();
      assert.match(html, message);
      assert.match(html, /<a href="#passkey-name">/, 'the summary links to the field');
      assert.match(html, /aria-describedby="passkey-name-hint passkey-name-error"/);
      assert.ok(
        html.includes(`value="${label.replace(/</g, '&lt;').replace(/>/g, '&gt;')}"`),
        'kept as typed',
      );
    }
    assert.equal(await labelOf(id), 'Work phone');

    const theirs = await c.register('13900000067', 767);
    const foreign = await form(`/me/security/passkeys/${id}/rename`, { label: 'Mine' }, theirs.session);
    assert.equal(foreign.status, 303);
    assert.equal(await labelOf(id), 'Work phone', 'another person cannot rename it');
  });

  test('P7.3 recovery codes can be selected, printed and downloaded as a text file when shown, never cached', async () => {
    const me = await c.register('13900000068', 768);
    const enrol = await (await form('/me/security/totp', {}, me.session)).text();
    const key = fromBase32(/data-totp-secret[^>]*>([A-Z2-7]{32})</.exec(enrol)![1]!);
    const shown = await form(
      '/me/security/totp/confirm',
      { code: hotp(key, totpStep(Date.now())) },
      me.session,
    );
    assert.equal(shown.status, 200);
    assert.equal(shown.headers.get('cache-control'), 'no-store');
    const html = await shown.text();
    const block = /<pre class="codes"[^>]*>([^<]+)<\/pre>/.exec(html)?.[1];
    assert.ok(block, 'the codes are one selectable block');
    const codes = block.split('\n');
    assert.equal(codes.length, 10);
    assert.match(html, /<form method="post" action="\/me\/security\/recovery-codes\/download"/);
    assert.match(html, /use your browser’s Print command/);
    assert.doesNotMatch(html, /<script(?![^>]*src=)/, 'no inline script');

    const file = await form('/me/security/recovery-codes/download', { code: codes }, me.session);
    assert.equal(file.status, 200);
    assert.equal(
      file.headers.get('content-disposition'),
      'attachment; filename="civitas-recovery-codes.txt"',
    );
    assert.equal(file.headers.get('cache-control'), 'no-store');
    assert.match(file.headers.get('content-type') ?? '', /^text\/plain; charset=utf-8/);
    const text = await file.text();
    for (const code of codes) assert.ok(text.includes(code));
    assert.match(text, /Each code works once/);

    const forged = await form('/me/security/recovery-codes/download', { code: ['AAAAA-AAAAA'] }, me.session);
    assert.equal(forged.status, 400, 'only the person’s own unused codes make a file');
    assert.equal(forged.headers.get('content-disposition'), null);
    const junk = await form('/me/security/recovery-codes/download', { code: ['<b>'] }, me.session);
    assert.equal(junk.status, 400);
    const crossSite = await form('/me/security/recovery-codes/download', { code: codes }, me.session, {
      'sec-fetch-site': 'cross-site',
    });
    assert.equal(crossSite.status, 403);

    const css = readFileSync(new URL('../../static/site.css', import.meta.url), 'utf8');
    assert.match(css, /@media print \{[^}]*header,[^}]*nav,[^}]*\.no-print \{\s*display: none/);
  });
});

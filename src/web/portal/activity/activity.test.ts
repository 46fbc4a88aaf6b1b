/**
 * Invariant: on /me/activity a person sees their sign-ins (how, on which kind of device,
 * whether a place was shared, whether it succeeded), security changes, consents, requests
 * and the releases of their data, newest first, filtered by kind and paged by keyset in both
 * directions. "This wasn't me" on a sign-in asks first; confirmed, it ends every portal
 * session (this one too), every provider session and grant (the service receives a
 * back-channel logout token, its refresh token stops working), refuses every sign-in with a
 * clear reason until the password is reset by a code to the phone, and opens a case that
 * support (and only support) sees on /admin/suspicious and closes with a note. Another
 * person's entry is not found. The pages speak zh-CN and cs.
 *
 * The rules themselves: src/modules/activity/activity.service.ts.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import type { LocalSmsGateway } from '../../../dev/sms.ts';
import { AppError } from '../../../kernel/errors.ts';
import { registerCitizen, type Citizen } from '../../../../test/support/citizens.ts';
import { idNumberFor } from '../../../../test/support/citizen.ts';
import { relyingParty, signIn } from '../../../../test/support/oidc.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { getConsolePage, postConsoleForm, signInStaff } from '../../../../test/support/staff.ts';
import { foreignWords, visibleTexts } from '../../../../test/support/visible-text.ts';

let p: TestPlatform;
let rpServer: Server;
let rpUrl: string;
const received: { path: string; body: string }[] = [];
let rp: client.Configuration;

const ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36';
const PASSWORD = 'a test password';

const get = (cookie: string, path: string, lang = 'en') =>
  fetch(`${p.url}${path}`, { redirect: 'manual', headers: { cookie: `${cookie}; civitas_lang=${lang}` } });
const post = (
  cookie: string,
  path: string,
  body: Record<string, string>,
  headers: Record<string, string> = {},
) =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: `${cookie}; civitas_lang=en`,
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    },
    body: new URLSearchParams(body).toString(),
  });
const text = async (res: Response) => visibleTexts(await res.text()).join(' ');
const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

/** A password sign-in from a phone, in the browser the person registered from (a known device). */
async function signInFromPhone(who: Citizen, password = PASSWORD) {
  return post(who.cookie, '/login', { phone: who.phone, password }, { 'user-agent': ANDROID });
}

async function staffCookie(role: 'support' | 'dpo', email: string) {
  await p.staff.create(
    { email, displayName: role, role, password: 'staff password 123' },
    { type: 'system', id: 'test' },
  );
  return signInStaff(p.url, email, 'staff password 123');
}

describe('account activity', () => {
  before(async () => {
    rpServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => rpServer.listen(0, r));
    rpUrl = `http://localhost:${(rpServer.address() as AddressInfo).port}`;
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    const reg = await p.registry.register(
      {
        clientId: 'social-web',
        serviceSlug: 'social-insurance-record',
        redirectUris: [`${rpUrl}/cb`],
        backchannelLogoutUri: `${rpUrl}/backchannel`,
        policyUrl: 'https://social.example/privacy',
        dpaReference: 'DPA-S-1',
        fields: [{ field: 'name', purpose: 'service-provision', retentionDays: 90, required: true }],
        grantTypes: ['authorization_code', 'refresh_token'],
      },
      { type: 'system', id: 'test' },
      { issueSecret: true },
    );
    rp = await relyingParty(p, 'social-web', reg.secret);
  });
  after(async () => {
    await p.stop();
    rpServer.close();
  });

  test('P8.1.view the person sees their sign-ins with method, device kind and outcome, their consents and the releases of their data, filtered by kind', async () => {
    const me = await registerCitizen(p, '13900000971', idNumberFor(971));
    assert.equal((await signInFromPhone(me, 'not the password')).status, 401);
    assert.equal((await signInFromPhone(me)).status, 303);
    const { tokens } = await signIn(p, rp, me.cookie, { redirectUri: `${rpUrl}/cb` });
    await client.fetchUserInfo(rp, tokens.access_token, tokens.claims()!.sub);

    const res = await get(me.cookie, '/me/activity');
    assert.equal(res.status, 200);
    const html = await res.text();
    const seen = visibleTexts(html).join(' ');
    assert.match(seen, /Your data was released to .*Identity/);
    assert.match(seen, /Consent given to Social insurance record, Identity/);
    assert.match(seen, /Signed in Successful, with a password, on a phone/);
    assert.match(seen, /Sign-in attempt with a wrong password Not successful, with a password, on a phone/);
    assert.match(seen, /Signed in Successful, at registration/);
    // Newest first: the release after the consent after the sign-in.
    assert.ok(seen.indexOf('released') < seen.indexOf('Consent given'));
    assert.ok(seen.indexOf('Consent given') < seen.indexOf('with a password, on a phone'));
    assert.match(html, /<a href="\/me\/activity" aria-current="page">Account activity<\/a>/);

    const signins = await text(await get(me.cookie, '/me/activity?kind=signin'));
    assert.match(signins, /Signed in Successful/);
    assert.doesNotMatch(signins, /Consent given|released/);
    const releases = await text(await get(me.cookie, '/me/activity?kind=release'));
    assert.match(releases, /Your data was released/);
    assert.doesNotMatch(releases, /Signed in Successful/);
    // A kind the page does not know is the whole history, not an error.
    assert.equal((await get(me.cookie, '/me/activity?kind=nonsense&before=x')).status, 200);
  });

  test('P8.1.view the history pages by keyset, older and back to newer, without repeating or losing an entry', async () => {
    const me = await registerCitizen(p, '13900000972', idNumberFor(972));
    await p.storage.db.tx(async (q) => {
      for (let i = 0; i < 25; i++)
        await p.audit.append(q, {
          actor: { type: 'citizen', id: me.subjectId },
          action: 'identity.factor_added',
          subject: { type: 'person', id: me.subjectId },
          purpose: 'account-security',
          clause: 'P7.3',
          detail: { factor: 'passkey' },
          requestId: randomUUID(),
        });
    });
    const ids = (html: string) => [...html.matchAll(/data-entry="(\d+)"/g)].map((m) => m[1]!);
    const first = await (await get(me.cookie, '/me/activity?kind=security')).text();
    assert.equal(ids(first).length, 20);
    assert.doesNotMatch(first, /rel="prev"/);
    const older = /href="([^"]+)" rel="next"/.exec(first)![1]!.replaceAll('&amp;', '&');
    assert.match(older, /^\/me\/activity\?kind=security&before=\d+\.0\.\d+$/);
    const second = await (await get(me.cookie, older)).text();
    assert.equal(ids(second).length, 5);
    assert.deepEqual(
      ids(second).filter((id) => ids(first).includes(id)),
      [],
    );
    assert.doesNotMatch(second, /rel="next"/);
    const newer = /href="([^"]+)" rel="prev"/.exec(second)![1]!.replaceAll('&amp;', '&');
    const back = await (await get(me.cookie, newer)).text();
    assert.deepEqual(ids(back), ids(first));
  });

  test('P7.3 “this wasn’t me” signs out everywhere, tells the service, requires a new password and opens a case that support closes', async () => {
    const me = await registerCitizen(p, '13900000973', idNumberFor(973));
    const phoneLogin = await signInFromPhone(me);
    assert.equal(phoneLogin.status, 303);
    const phoneCookie = cookieOf(phoneLogin);
    const { tokens } = await signIn(p, rp, me.cookie, {
      redirectUri: `${rpUrl}/cb`,
      scope: 'openid name offline_access',
    });
    const before = received.length;

    const page = await (await get(me.cookie, '/me/activity?kind=signin')).text();
    const entry = /action="\/me\/activity\/(\d+)\/not-me"/.exec(page)![1]!;
    // Another person cannot report it: not found, nothing done.
    const other = await registerCitizen(p, '13900000974', idNumberFor(974));
    assert.equal((await post(other.cookie, `/me/activity/${entry}/not-me`, { confirm: '1' })).status, 404);

    // The first POST only asks.
    const ask = await post(me.cookie, `/me/activity/${entry}/not-me`, {});
    assert.equal(ask.status, 200);
    assert.match(await text(ask), /This wasn’t you\? Signed in · .*sign you out everywhere/);
    assert.equal((await get(phoneCookie, '/me/activity')).status, 200, 'nothing ended yet');

    const done = await post(me.cookie, `/me/activity/${entry}/not-me`, { confirm: '1' });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), '/activity/reported');
    const told = await text(await get('', '/activity/reported'));
    assert.match(told, /You are signed out everywhere/);
    assert.match(told, /We opened a case for our support team/);

    // Every session ended, this one and the phone's; the service was told and its tokens died.
    assert.equal((await get(me.cookie, '/me/activity')).status, 303);
    assert.equal((await get(phoneCookie, '/me/activity')).status, 303);
    const back = received.slice(before).find((r) => r.path === '/backchannel');
    assert.ok(back && new URLSearchParams(back.body).get('logout_token'), 'a logout token was posted');
    await assert.rejects(client.refreshTokenGrant(rp, tokens.refresh_token!));

    // No sign-in until the password is renewed, with the reason said.
    const refused = await signInFromPhone(me);
    assert.equal(refused.status, 401);
    assert.match(await text(refused), /must set a new password first: choose “Forgot your password\?”/);
    const sms = p.sms as LocalSmsGateway;
    // An SMS code proves the phone, not a new password: refused the same way.
    await p.identity.sendCode(me.phone, 'login', { requestId: randomUUID() });
    await assert.rejects(
      p.identity.loginWithCode(me.phone, sms.lastCode(me.phone)!, { requestId: randomUUID() }),
      (err: unknown) => err instanceof AppError && err.code === 'identity.password_renewal_required',
    );
    await p.identity.sendCode(me.phone, 'reset', { requestId: randomUUID() });
    await p.identity.resetPassword(me.phone, sms.lastCode(me.phone)!, 'a brand new password', {
      requestId: randomUUID(),
    });
    assert.equal((await signInFromPhone(me, 'a brand new password')).status, 303);

    // Support sees the case and closes it with a note; another role may not.
    const dpo = await staffCookie('dpo', 'dpo-activity@civitas.example');
    assert.equal((await getConsolePage(p.url, '/admin/suspicious', dpo)).status, 403);
    const support = await staffCookie('support', 'support-activity@civitas.example');
    const desk = await getConsolePage(p.url, '/admin/suspicious', support);
    const deskHtml = await desk.text();
    assert.match(visibleTexts(deskHtml).join(' '), /Entry reported Signed in · .* Sessions ended 2/);
    assert.match(deskHtml, new RegExp(`<code>${me.subjectId}</code>`));
    const report = /action="\/admin\/suspicious\/([0-9a-f-]{36})\/close"/.exec(deskHtml)![1]!;
    const noNote = await postConsoleForm(p.url, `/admin/suspicious/${report}/close`, { note: ' ' }, support);
    assert.equal(noNote.status, 400);
    assert.match(await text(noNote), /Closing a case needs a note/);
    const closed = await postConsoleForm(
      p.url,
      `/admin/suspicious/${report}/close`,
      { note: 'Sign-in from an unknown phone; the person reset the password.' },
      support,
    );
    assert.equal(closed.status, 303);
    assert.doesNotMatch(
      await (await getConsolePage(p.url, '/admin/suspicious', support)).text(),
      new RegExp(report),
    );
    const audited = await p.storage.db.query<{ action: string }>(
      `SELECT action FROM audit_entry WHERE subject_id = $1 AND action LIKE 'activity.%' ORDER BY id`,
      [me.subjectId],
    );
    assert.deepEqual(
      audited.rows.map((r) => r.action),
      ['activity.reported_not_me', 'activity.report_closed'],
    );
  });

  test('the pages speak zh-CN and cs', async () => {
    const me = await registerCitizen(p, '13900000975', idNumberFor(975));
    await signIn(p, rp, me.cookie, { redirectUri: `${rpUrl}/cb` });
    for (const locale of ['zh-CN', 'cs'] as const) {
      const html = await (await get(me.cookie, '/me/activity', locale)).text();
      assert.deepEqual(foreignWords(html, locale), []);
      assert.match(
        visibleTexts(html).join(' '),
        locale === 'zh-CN' ? /账号活动记录.*登录/ : /Aktivita účtu.*Přihlášení/,
      );
      const reported = await (await get('', '/activity/reported', locale)).text();
      assert.deepEqual(foreignWords(reported, locale), []);
    }
  });
});

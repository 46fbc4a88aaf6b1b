/**
 * Invariant (P7.3): guessing at sign-in is slow, an anonymous attacker can never keep the
 * owner out, and nothing an anonymous caller sees tells whether a number or ID number has
 * an account.
 * - Wrong passwords lock out only the source (and browsers the account does not know);
 *   the owner's known device gets short, growing waits, never a lock.
 * - The lock-out answer is the same, with no retry time, for registered and unregistered
 *   numbers.
 * - Anonymous code requests cannot spend the codes kept for the owner's known devices,
 *   and text the owner only a few times a day.
 * - Registration checks the SMS code first; a taken ID number is never named to the
 *   caller, its owner is told by SMS.
 * - Wrong second-step answers count per account across sign-ins; past five, even the
 *   right answer must wait, and the person is alerted.
 *
 * Sources are told apart by X-Forwarded-For, with this test as the one trusted proxy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalSmsGateway } from '../../dev/sms.ts';
import { client, cookieOf, idNumberFor, PASSWORD, type Citizen } from '../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { totp } from '../../shared/totp.ts';

let p: TestPlatform;
let c: ReturnType<typeof client>;
const sms = () => p.sms as LocalSmsGateway;

const post = (path: string, body: unknown, opts: { source: string; cookie?: string | undefined }) =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': opts.source,
      ...(opts.cookie ? { cookie: opts.cookie } : {}),
    },
    body: JSON.stringify(body),
  });
const login = (phone: string, password: string, source: string, cookie?: string) =>
  post('/api/identity/login/password', { phone, password }, { source, cookie });
const problem = async (res: Response) => {
  const { code, status, title, detail } = (await res.json()) as Record<string, unknown>;
  return { code, status, title, detail };
};
/** The texts sent to a number, from the local gateway, once the outbox has sent what is due. */
const textsTo = async (phone: string, template: string) => {
  await p.notify.drainOutbox();
  return sms().sent.filter((m) => m.to === phone && m.template === template).length;
};

describe('attempt limits at sign-in', () => {
  before(async () => {
    // Per-source page/API limits are high here: this file tests the per-number and
    // per-account rules behind them.
    p = await startTestPlatform({ TRUST_PROXY: '127.0.0.1', SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    c = client(p);
  });
  after(() => p.stop());

  test('P7.3 wrong passwords from an attacker’s address do not keep the owner out, on a known or a new device', async () => {
    const owner = await c.register('13700000001', 701);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await login(owner.phone, `guess ${i}`, '198.51.100.7')).status);
    assert.deepEqual(statuses, [...Array(5).fill(401), ...Array(7).fill(423)], 'the attacker is stopped');
    const right = await login(owner.phone, PASSWORD, '198.51.100.7');
    assert.equal(right.status, 423, 'from the attacker’s address and browser, even the right password waits');

    const known = await login(owner.phone, PASSWORD, '203.0.113.20', owner.device);
    assert.equal(known.status, 200, await known.clone().text());
    // Someone guessed at the account, so a second step is asked for (risk check
    // recent-failures); the owner passes it with an SMS code and is signed in.
    const { secondStep } = (await known.json()) as { secondStep: { challenge: string } };
    const step = { source: '203.0.113.20', cookie: owner.device };
    assert.equal(
      (await post('/api/identity/second-step/sms', { challenge: secondStep.challenge }, step)).status,
      202,
    );
    const passed = await post(
      '/api/identity/second-step/code',
      { challenge: secondStep.challenge, method: 'sms', code: sms().lastCode(owner.phone) },
      step,
    );
    assert.equal(passed.status, 200);
    assert.ok(cookieOf(passed, 'civitas_session'), 'the owner is signed in');
    const elsewhere = await login(owner.phone, PASSWORD, '203.0.113.21');
    assert.equal(elsewhere.status, 200, 'a new browser elsewhere signs in too (with its second step)');
    assert.ok(((await elsewhere.json()) as { secondStep?: unknown }).secondStep);
  });

  test('P7.3 the owner’s own device is slowed down after wrong passwords, not locked', async () => {
    const owner = await c.register('13700000002', 702);
    const source = '203.0.113.30';
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await login(owner.phone, `typo ${i}`, source, owner.device)).status);
    assert.deepEqual(statuses, Array(5).fill(401));
    const wait = await login(owner.phone, PASSWORD, source, owner.device);
    assert.equal(wait.status, 429);
    const body = await problem(wait);
    assert.equal(body.code, 'identity.slow_down');
    assert.match(String(body.detail), /^retry after \d+ seconds$/, 'the owner’s device is told how long');
    assert.ok(Number(/\d+/.exec(String(body.detail))![0]) <= 15, 'a short wait, not a lock');
    // The attacker-facing lock never started: a new browser at the same address still gets in.
    assert.equal((await login(owner.phone, PASSWORD, source)).status, 200);
  });

  test('P7.3 the lock-out answer is the same for a registered and an unregistered number', async () => {
    const owner = await c.register('13700000003', 703);
    const lockedAnswer = async (phone: string) => {
      for (let i = 0; i < 5; i++)
        assert.equal((await login(phone, `guess ${i}`, '198.51.100.9')).status, 401);
      const res = await login(phone, 'one more', '198.51.100.9');
      return { retryAfter: res.headers.get('retry-after'), ...(await problem(res)) };
    };
    const registered = await lockedAnswer(owner.phone);
    const unregistered = await lockedAnswer('13700009999');
    assert.equal(registered.code, 'identity.locked');
    assert.deepEqual(registered, unregistered);
    assert.equal(registered.detail, undefined, 'no retry time');
  });

  test('P7.3 anonymous code requests cannot spend the owner’s codes, and text the owner at most three times', async () => {
    const owner = await c.register('13700000004', 704);
    const before = await textsTo(owner.phone, 'verification-code');
    const answers: number[] = [];
    for (let i = 0; i < 10; i++) {
      // A new address and a new browser each time; the one-a-minute rule is waited out.
      const res = await post(
        '/api/identity/codes',
        { phone: owner.phone, purpose: 'login' },
        { source: `198.51.100.${100 + i}` },
      );
      answers.push(res.status);
      await p.storage.db.query(`UPDATE one_time_code SET created_at = created_at - interval '2 minutes'`);
    }
    // The registration's code (a browser the account did not know yet) was the first of three.
    assert.deepEqual(answers, [202, 202, ...Array(8).fill(429)]);
    assert.equal(
      (await textsTo(owner.phone, 'verification-code')) - before,
      2,
      'three texts in the day, not ten',
    );

    const mine = await post(
      '/api/identity/codes',
      { phone: owner.phone, purpose: 'login' },
      { source: '203.0.113.40', cookie: owner.device },
    );
    assert.equal(mine.status, 202, 'the owner’s known device still gets a code');
    const code = sms().lastCode(owner.phone)!;
    const signedIn = await post(
      '/api/identity/login/code',
      { phone: owner.phone, code },
      { source: '203.0.113.40', cookie: owner.device },
    );
    assert.equal(signedIn.status, 200);
  });
});

describe('registration does not reveal accounts', () => {
  let owner: Citizen;
  before(async () => {
    p = await startTestPlatform({ TRUST_PROXY: '127.0.0.1', SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    c = client(p);
    owner = await c.register('13700000011', 711);
  });
  after(() => p.stop());

  const attempt = async (phone: string, code: string | undefined, idNumber: string) => {
    if (code === undefined) {
      await post('/api/identity/codes', { phone, purpose: 'register' }, { source: '198.51.100.50' });
      code = sms().lastCode(phone)!;
    }
    return post(
      '/api/identity/register',
      { phone, code, password: 'another password', name: '张伟', idNumber },
      { source: '198.51.100.50' },
    );
  };

  test('P7.3 a wrong SMS code is refused before anything about the ID number is looked at', async () => {
    await post(
      '/api/identity/codes',
      { phone: '13700000012', purpose: 'register' },
      { source: '198.51.100.50' },
    );
    const wrong = sms().lastCode('13700000012') === '000000' ? '111111' : '000000';
    const res = await attempt('13700000012', wrong, idNumberFor(711));
    assert.equal(res.status, 400);
    assert.equal((await problem(res)).code, 'identity.code_invalid');
  });

  test('P7.3 a taken ID number is not named to the caller; its owner is told by SMS', async () => {
    const alertsBefore = await textsTo(owner.phone, 'registration-attempt');
    const taken = await attempt('13700000013', undefined, idNumberFor(711));
    assert.equal(taken.status, 409);
    const body = await problem(taken);
    assert.equal(body.code, 'identity.registration_refused');
    assert.doesNotMatch(JSON.stringify(body), /ID number|id_number|身份证/, 'the refusal does not say why');
    assert.equal(
      await textsTo(owner.phone, 'registration-attempt'),
      alertsBefore + 1,
      'the owner gets an SMS',
    );
    assert.equal(await textsTo('13700000013', 'registration-attempt'), 0);

    // The page says the same, in the person's language, keeping what they typed.
    await post(
      '/api/identity/codes',
      { phone: '13700000014', purpose: 'register' },
      { source: '198.51.100.51' },
    );
    const pageForm = (path: string, body: Record<string, string>) =>
      fetch(`${p.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
        body: new URLSearchParams(body).toString(),
      });
    // The pages prove the number by its code first, then take the details with that proof.
    const proved = await pageForm('/register/verify', {
      phone: '13700000014',
      code: sms().lastCode('13700000014')!,
    });
    const proof = /name="proof" value="([^"]+)"/.exec(await proved.text())![1]!;
    const page = await fetch(`${p.url}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
      body: new URLSearchParams({
        phone: '13700000014',
        proof,
        password: 'another password',
        name: '张伟',
        idNumber: idNumberFor(711),
      }).toString(),
    });
    assert.equal(page.status, 400);
    const html = await page.text();
    assert.match(html, /An account cannot be opened with these details/);
    assert.match(html, /value="13700000014"/);
  });
});

describe('second-step guesses per account', () => {
  let me: Citizen;
  let secret: Buffer;
  before(async () => {
    p = await startTestPlatform({ TRUST_PROXY: '127.0.0.1', SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    c = client(p);
    me = await c.register('13700000021', 721);
    // An authenticator app, turned on with a first code.
    const form = (path: string, body: Record<string, string>) =>
      fetch(`${p.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: me.session },
        body: new URLSearchParams(body).toString(),
        redirect: 'manual',
      });
    const page = await (await form('/me/security/totp', {})).text();
    const shown = /data-totp-secret[^>]*>([A-Z2-7]{32})</.exec(page)![1]!;
    let bits = '';
    for (const ch of shown)
      bits += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(ch).toString(2).padStart(5, '0');
    secret = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
    assert.equal((await form('/me/security/totp/confirm', { code: totp(secret, Date.now()) })).status, 200);
  });
  after(() => p.stop());

  test('P7.3 20 wrong TOTP guesses over four sign-ins, then the right code waits, and the person is alerted', async () => {
    const wrongOf = (right: string) => (right === '000000' ? '111111' : '000000');
    const answers: string[] = [];
    for (let signIn = 0; signIn < 4; signIn++) {
      const res = await login(me.phone, PASSWORD, `198.51.100.${60 + signIn}`);
      const { secondStep } = (await res.json()) as { secondStep: { challenge: string } };
      for (let i = 0; i < 5; i++) {
        const r = await post(
          '/api/identity/second-step/code',
          { challenge: secondStep.challenge, method: 'totp', code: wrongOf(totp(secret, Date.now())) },
          { source: `198.51.100.${60 + signIn}` },
        );
        answers.push(((await r.json()) as { code: string }).code);
      }
    }
    assert.deepEqual(answers.slice(0, 4), Array(4).fill('identity.code_invalid'));
    assert.ok(
      answers.slice(5).every((a) => a === 'identity.second_step_slowed'),
      `after five, every answer waits: ${answers.join(' ')}`,
    );

    const res = await login(me.phone, PASSWORD, '198.51.100.70');
    const { secondStep } = (await res.json()) as { secondStep: { challenge: string } };
    const right = await post(
      '/api/identity/second-step/code',
      { challenge: secondStep.challenge, method: 'totp', code: totp(secret, Date.now()) },
      { source: '198.51.100.70' },
    );
    assert.equal(right.status, 429, 'the right code is not accepted while the account waits');
    assert.equal((await problem(right)).code, 'identity.second_step_slowed');
    assert.equal(cookieOf(right, 'civitas_session'), undefined);

    const alerts = await p.identity.loginAlerts(me.subjectId);
    assert.equal(alerts.filter((a) => a.reasons.includes('second-step-failures')).length, 1, 'alerted once');
    assert.equal(await textsTo(me.phone, 'sign-in-attempts'), 1, 'and told by SMS');
    const security = await fetch(`${p.url}/me/security`, {
      headers: { cookie: me.session, 'accept-language': 'en' },
    });
    assert.match(await security.text(), /several wrong second-step codes were entered for your account/);
  });
});

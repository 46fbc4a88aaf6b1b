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
 * These are the identity service's rules, composed without HTTP (test/support/compose.ts):
 * a source address and a device cookie are what the sign-in context carries, a refusal's
 * `status` is what the API answers. What the pages and the API show of them is tested in
 * src/web/portal/auth/register.test.ts, src/web/portal/security/alerts.test.ts and
 * src/web/api/identity.api.test.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { LocalSmsGateway } from '../../dev/sms.ts';
import { idNumberFor, PASSWORD } from '../../../test/support/citizen.ts';
import { compose, type Composed } from '../../../test/support/compose.ts';
import { fromBase32 } from '../../../test/support/staff.ts';
import {
  challengeOf,
  from,
  refusal,
  registerFrom,
  statusOf,
  type InProcessCitizen,
} from '../../../test/support/sign-in.ts';
import { totp } from '../../shared/totp.ts';

type C = Composed<'identity' | 'sms' | 'notify'>;
let c: C;
const fresh = () => compose(['identity', 'sms', 'notify']);
const sms = () => c.sms as LocalSmsGateway;
const login = (phone: string, password: string, source: string, device?: string) =>
  c.identity.loginWithPassword(phone, password, from(source, device));
/** The texts sent to a number, from the local gateway, once the outbox has sent what is due. */
const textsTo = async (phone: string, template: string) => {
  await c.notify.drainOutbox();
  return sms().sent.filter((m) => m.to === phone && m.template === template).length;
};

describe('attempt limits at sign-in', () => {
  before(async () => {
    c = await fresh();
  });
  after(() => c.close());

  test('P7.3 wrong passwords from an attacker’s address do not keep the owner out, on a known or a new device', async () => {
    const owner = await registerFrom(c, '13700000001', 701);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push(await statusOf(login(owner.phone, `guess ${i}`, '198.51.100.7')));
    assert.deepEqual(statuses, [...Array(5).fill(401), ...Array(7).fill(423)], 'the attacker is stopped');
    const right = await statusOf(login(owner.phone, PASSWORD, '198.51.100.7'));
    assert.equal(right, 423, 'from the attacker’s address and browser, even the right password waits');

    // Someone guessed at the account, so a second step is asked for (risk check
    // recent-failures); the owner passes it with an SMS code and is signed in.
    const known = challengeOf(await login(owner.phone, PASSWORD, '203.0.113.20', owner.device));
    await c.identity.secondStep.sendSms(known.challenge, 'zh-CN', randomUUID());
    const passed = await c.identity.secondStep.withCode(
      known.challenge,
      'sms',
      sms().lastCode(owner.phone)!,
      randomUUID(),
      'zh-CN',
    );
    assert.equal(passed.kind, 'session', 'the owner is signed in');
    const elsewhere = await login(owner.phone, PASSWORD, '203.0.113.21');
    assert.equal(
      elsewhere.kind,
      'second-step',
      'a new browser elsewhere signs in too (with its second step)',
    );
  });

  test('P7.3 the owner’s own device is slowed down after wrong passwords, not locked', async () => {
    const owner = await registerFrom(c, '13700000002', 702);
    const source = '203.0.113.30';
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push(await statusOf(login(owner.phone, `typo ${i}`, source, owner.device)));
    assert.deepEqual(statuses, Array(5).fill(401));
    const wait = await refusal(login(owner.phone, PASSWORD, source, owner.device));
    assert.equal(wait.status, 429);
    assert.equal(wait.code, 'identity.slow_down');
    assert.match(String(wait.detail), /^retry after \d+ seconds$/, 'the owner’s device is told how long');
    assert.ok(Number(/\d+/.exec(String(wait.detail))![0]) <= 15, 'a short wait, not a lock');
    // The attacker-facing lock never started: a new browser at the same address still gets in.
    assert.equal(await statusOf(login(owner.phone, PASSWORD, source)), 200);
  });

  test('P7.3 the lock-out answer is the same for a registered and an unregistered number', async () => {
    const owner = await registerFrom(c, '13700000003', 703);
    const lockedAnswer = async (phone: string) => {
      for (let i = 0; i < 5; i++)
        assert.equal(await statusOf(login(phone, `guess ${i}`, '198.51.100.9')), 401);
      return refusal(login(phone, 'one more', '198.51.100.9'));
    };
    const registered = await lockedAnswer(owner.phone);
    const unregistered = await lockedAnswer('13700009999');
    assert.equal(registered.code, 'identity.locked');
    assert.deepEqual(registered, unregistered);
    assert.equal(registered.detail, undefined, 'no retry time');
  });

  test('P7.3 anonymous code requests cannot spend the owner’s codes, and text the owner at most three times', async () => {
    const owner = await registerFrom(c, '13700000004', 704);
    const before = await textsTo(owner.phone, 'verification-code');
    const answers: number[] = [];
    for (let i = 0; i < 10; i++) {
      // A new address and a new browser each time; the one-a-minute rule is waited out.
      const sent = await statusOf(c.identity.sendCode(owner.phone, 'login', from(`198.51.100.${100 + i}`)));
      answers.push(sent === 200 ? 202 : sent);
      await c.db.query(`UPDATE one_time_code SET created_at = created_at - interval '2 minutes'`);
    }
    // The registration's code (a browser the account did not know yet) was the first of three.
    assert.deepEqual(answers, [202, 202, ...Array(8).fill(429)]);
    assert.equal(
      (await textsTo(owner.phone, 'verification-code')) - before,
      2,
      'three texts in the day, not ten',
    );

    const mine = from('203.0.113.40', owner.device);
    await c.identity.sendCode(owner.phone, 'login', mine); // the owner’s known device still gets a code
    const signedIn = await c.identity.loginWithCode(owner.phone, sms().lastCode(owner.phone)!, mine);
    assert.equal(signedIn.kind, 'session');
  });
});

describe('registration does not reveal accounts', () => {
  let owner: InProcessCitizen;
  before(async () => {
    c = await fresh();
    owner = await registerFrom(c, '13700000011', 711);
  });
  after(() => c.close());

  const attempt = async (phone: string, code: string | undefined, idNumber: string) => {
    const ctx = from('198.51.100.50');
    if (code === undefined) {
      await c.identity.sendCode(phone, 'register', ctx);
      code = sms().lastCode(phone)!;
    }
    return c.identity.register({ phone, code, password: 'another password', name: '张伟', idNumber }, ctx);
  };

  test('P7.3 a wrong SMS code is refused before anything about the ID number is looked at', async () => {
    // A code was sent (without one, any guess is "used up"); the guess is not it.
    await c.identity.sendCode('13700000012', 'register', from('198.51.100.50'));
    const wrong = sms().lastCode('13700000012') === '000000' ? '111111' : '000000';
    const res = await refusal(attempt('13700000012', wrong, idNumberFor(711)));
    assert.equal(res.status, 400);
    assert.equal(res.code, 'identity.code_invalid');
  });

  test('P7.3 a taken ID number is not named to the caller; its owner is told by SMS', async () => {
    const alertsBefore = await textsTo(owner.phone, 'registration-attempt');
    const taken = await refusal(attempt('13700000013', undefined, idNumberFor(711)));
    assert.equal(taken.status, 409);
    assert.equal(taken.code, 'identity.registration_refused');
    assert.doesNotMatch(JSON.stringify(taken), /ID number|id_number|身份证/, 'the refusal does not say why');
    assert.equal(
      await textsTo(owner.phone, 'registration-attempt'),
      alertsBefore + 1,
      'the owner gets an SMS',
    );
    assert.equal(await textsTo('13700000013', 'registration-attempt'), 0);
    // What the registration page says: src/web/portal/auth/register.test.ts.
  });
});

describe('second-step guesses per account', () => {
  let me: InProcessCitizen;
  let secret: Buffer;
  before(async () => {
    c = await fresh();
    me = await registerFrom(c, '13700000021', 721);
    // An authenticator app, turned on with a first code.
    secret = fromBase32((await c.identity.factors.beginTotp(me.subjectId, me.phone)).secret);
    await c.identity.factors.confirmTotp(me.subjectId, totp(secret, Date.now()), randomUUID());
  });
  after(() => c.close());

  test('P7.3 20 wrong TOTP guesses over four sign-ins, then the right code waits, and the person is alerted', async () => {
    const wrongOf = (right: string) => (right === '000000' ? '111111' : '000000');
    const answer = (challenge: string, code: string) =>
      c.identity.secondStep.withCode(challenge, 'totp', code, randomUUID(), 'zh-CN');
    const answers: string[] = [];
    for (let signIn = 0; signIn < 4; signIn++) {
      const { challenge } = challengeOf(await login(me.phone, PASSWORD, `198.51.100.${60 + signIn}`));
      for (let i = 0; i < 5; i++)
        answers.push((await refusal(answer(challenge, wrongOf(totp(secret, Date.now()))))).code);
    }
    assert.deepEqual(answers.slice(0, 4), Array(4).fill('identity.code_invalid'));
    assert.ok(
      answers.slice(5).every((a) => a === 'identity.second_step_slowed'),
      `after five, every answer waits: ${answers.join(' ')}`,
    );

    const { challenge } = challengeOf(await login(me.phone, PASSWORD, '198.51.100.70'));
    const right = await refusal(answer(challenge, totp(secret, Date.now())));
    // A refusal opens no session: the right code is not accepted while the account waits.
    assert.equal(right.status, 429, 'the right code is not accepted while the account waits');
    assert.equal(right.code, 'identity.second_step_slowed');

    const alerts = await c.identity.loginAlerts(me.subjectId);
    assert.equal(alerts.filter((a) => a.reasons.includes('second-step-failures')).length, 1, 'alerted once');
    assert.equal(await textsTo(me.phone, 'sign-in-attempts'), 1, 'and told by SMS');
    // What the security page says of it: src/web/portal/security/alerts.test.ts.
  });
});

/**
 * Invariant (P7.3, P5.3.3): a message to a person is queued in the outbox in the
 * transaction of what it tells, and sent by the outbox's drain: a sign-in never waits for
 * the SMS gateway, whether it refuses or never answers; a login alert the gateway refused
 * is sent again from the outbox once the gateway is back, and the person's security page
 * says whether it went; the log names failure codes, never the number; a disclosure's
 * notice reaches the outbox, and the phone when no restriction holds it back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SmsUnavailable, type SmsMessage } from '../src/adapters/sms.ts';
import { type LocalSmsGateway } from '../src/dev/sms.ts';
import { client, cookieOf } from './support/citizen.ts';
import { startTestPlatform, type TestPlatform } from './support/platform.ts';
import { staffActor } from '../src/modules/vault/index.ts';

let p: TestPlatform;
let c: ReturnType<typeof client>;
/** What the gateway does with alerts and notices (codes always go: the test needs them). */
let gateway: 'up' | 'down' | 'hang' = 'up';

const textsTo = (phone: string, template: SmsMessage['template']) =>
  c.sms().sent.filter((m) => m.to === phone && m.template === template);

/** An SMS-code sign-in from a browser the account does not know: a session, and an alert. */
async function signInFromNewBrowser(phone: string) {
  assert.equal((await c.post('/api/identity/codes', { phone, purpose: 'login' })).status, 202);
  return c.post('/api/identity/login/code', { phone, code: c.sms().lastCode(phone) });
}

const outbox = async (subjectId: string, template: string) =>
  (
    await p.storage.db.query<{ id: string; state: string; last_error: string | null; waiting: boolean }>(
      `SELECT n.id, o.state, o.last_error, o.next_attempt_at > now() AS waiting
         FROM notify_outbox o JOIN notification n ON n.id = o.notification_id
        WHERE o.subject_id = $1 AND n.template = $2 AND o.channel = 'sms' ORDER BY o.created_at`,
      [subjectId, template],
    )
  ).rows;

const smsColumn = async (session: string) => {
  const page = await (
    await fetch(`${p.url}/me/security`, { headers: { cookie: session, 'accept-language': 'en' } })
  ).text();
  const table = /<table class="alerts">[\s\S]*?<\/table>/.exec(page)?.[0] ?? '';
  return [...table.matchAll(/<tr><td[^>]*>[\s\S]*?<\/tr>/g)].map(
    (r) => /<td[^>]*>([^<]*)<\/td><\/tr>$/.exec(r[0])?.[1],
  );
};

describe('messages to people go through the outbox', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    c = client(p);
    const local = p.sms as LocalSmsGateway;
    const send = local.send.bind(local);
    local.send = (m) => {
      if (m.template === 'verification-code' || gateway === 'up') return send(m);
      if (gateway === 'down') return Promise.reject(new SmsUnavailable('status 503'));
      return new Promise(() => undefined);
    };
  });
  after(() => p.stop());

  test('P7.3 a login alert whose SMS gateway is down is retried from the outbox and delivered when it is back', async () => {
    const me = await c.register('13800000701', 871);
    gateway = 'down';
    const res = await signInFromNewBrowser(me.phone);
    assert.equal(res.status, 200, await res.clone().text());
    const session = cookieOf(res, 'civitas_session')!;
    assert.ok(session, 'signed in although the gateway is down');

    assert.deepEqual(await p.notify.drainOutbox(), { claimed: 1, sent: 0, retrying: 1, failed: 0 });
    const [queued] = await outbox(me.subjectId, 'login-alert');
    assert.deepEqual(
      { state: queued!.state, error: queued!.last_error, waiting: queued!.waiting },
      { state: 'retrying', error: 'gateway-unavailable', waiting: true },
    );
    assert.equal(textsTo(me.phone, 'login-alert').length, 0);
    assert.deepEqual(await smsColumn(session), ['Not sent yet'], 'the person sees it has not gone yet');
    const logLine = p.logs.find((l) => l.includes('"code":"gateway-unavailable"'));
    assert.ok(logLine?.includes(queued!.id), 'the failure is logged with the message id');
    assert.equal(
      p.logs.some((l) => l.includes(me.phone)),
      false,
      'no phone number in the log',
    );

    gateway = 'up';
    // The back-off runs out (as time would).
    await p.storage.db.query('UPDATE notify_outbox SET next_attempt_at = now() WHERE notification_id = $1', [
      queued!.id,
    ]);
    assert.deepEqual(await p.notify.drainOutbox(), { claimed: 1, sent: 1, retrying: 0, failed: 0 });
    const [sent] = textsTo(me.phone, 'login-alert');
    assert.deepEqual(
      Object.keys(sent!.params).sort(),
      ['device', 'time'],
      'when and what kind of device, only',
    );
    assert.deepEqual(await smsColumn(session), ['Sent']);
    assert.equal(textsTo(me.phone, 'login-alert').length, 1, 'sent once');
    const reads = (await p.vault.accessLog(me.subjectId)).filter((a) => a.actorLabel === 'system:notify');
    assert.equal(reads.length, 2, 'the number was read through the vault at each attempt');
  });

  test(
    'P7.3 the sign-in completes while the SMS gateway hangs; the alert waits in the outbox',
    { timeout: 60_000 },
    async () => {
      const me = await c.register('13800000702', 872);
      gateway = 'hang';
      // A sign-in that waited for this gateway would never answer.
      const res = await signInFromNewBrowser(me.phone);
      assert.equal(res.status, 200);
      assert.ok(cookieOf(res, 'civitas_session'), 'a session');
      assert.deepEqual(
        (await outbox(me.subjectId, 'login-alert')).map((r) => r.state),
        ['pending'],
      );

      gateway = 'up';
      assert.equal((await p.notify.drainOutbox()).sent, 1);
      assert.equal(textsTo(me.phone, 'login-alert').length, 1);
    },
  );

  test('P5.3.3 a disclosure notice reaches the outbox, and the phone unless a restriction holds it back', async () => {
    const me = await c.register('13800000703', 873);
    const dpo = staffActor({ id: 'dpo-1', role: 'dpo' });
    await p.sharing.disclose({
      subjectId: me.subjectId,
      recipient: 'Tianhe District Court',
      fields: ['name'],
      order: { authority: 'tianhe-court', reference: '(2026)粤0106民初1号' },
      by: dpo,
      locale: 'en',
    });
    await p.sharing.disclose({
      subjectId: me.subjectId,
      recipient: 'City Public Security Bureau',
      fields: ['phone'],
      order: { authority: 'city-psb', reference: '穗公(2026)2号' },
      restrictedUntil: new Date(Date.now() + 3600_000),
      by: dpo,
    });
    const queued = await outbox(me.subjectId, 'disclosure-notice');
    assert.deepEqual(
      queued.map((r) => [r.state, r.waiting]),
      [
        ['pending', false],
        ['pending', true],
      ],
      'both queued; the restricted one not due before the restriction ends',
    );

    assert.equal((await p.notify.drainOutbox()).sent, 1);
    const notices = textsTo(me.phone, 'disclosure-notice');
    assert.equal(notices.length, 1, 'the restricted one waits');
    assert.deepEqual(
      { recipient: (notices[0]!.params as { recipient: string }).recipient, locale: notices[0]!.locale },
      { recipient: 'Tianhe District Court', locale: 'en' },
    );
    const stored = await p.storage.db.query<{ params: string }>(
      `SELECT params::text FROM notification WHERE subject_id = $1`,
      [me.subjectId],
    );
    assert.doesNotMatch(JSON.stringify(stored.rows), /粤0106|穗公|13800000703/, 'no reference, no number');
  });
});

/**
 * Invariant (P7.2i.notify, P7.3): a notification queued for a person who turned push on
 * reaches every browser they turned it on in, through a real push endpoint that verifies
 * the VAPID signature and decrypts the payload: the title and text in the person's
 * language, the inbox address and the notification's id, nothing more. A browser the push
 * service says is gone is removed (and with every browser gone the delivery fails for
 * good); a push service that is down is retried; a browser's subscription ends with the
 * session it was made in; push is not a channel for a person with no browser.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { compose, type Composed } from '../../../test/support/compose.ts';
import { startPushEndpoint, type PushEndpoint } from '../../../test/support/push-endpoint.ts';
import { loadVapidKeys } from '../../adapters/push.ts';

let c: Composed<'notify' | 'pushSubscriptions' | 'sessions' | 'vault' | 'audit'>;
let push: PushEndpoint;

before(async () => {
  push = await startPushEndpoint();
  c = await compose(['notify', 'pushSubscriptions', 'sessions', 'vault', 'audit']);
});
after(async () => {
  await c?.close();
  await push?.close();
});

/** A browser of the person, signed in (a session) and subscribed to push. */
async function browserOf(subjectId: string) {
  const token = await c.sessions.create(subjectId, undefined, 'Firefox · Linux');
  const sessionId = (await c.sessions.list(subjectId, token)).find((s) => s.current)!.id;
  const deviceHash = randomBytes(32);
  const sub = push.subscription();
  await c.pushSubscriptions.subscribe(
    { subjectId, deviceHash, sessionId, label: 'Firefox · Linux' },
    sub,
    'req-test',
  );
  return { token, sessionId, deviceHash, sub };
}

const alert = (subjectId: string, locale: string) =>
  c.db.tx((q) =>
    c.notify.enqueue(q, {
      subjectId,
      template: 'login-alert',
      params: { time: '2026-12-02 09:15', device: 'Chrome · Windows' },
      locale,
    }),
  );

const pushState = async (notificationId: string) =>
  (await c.notify.deliveriesOf([notificationId])).get(notificationId)?.find((d) => d.channel === 'push');

const drain = async () => {
  for (let i = 0; i < 5; i++) if ((await c.notify.drainOutbox({ limit: 50 })).claimed === 0) return;
};

describe('the push channel', () => {
  test('P7.2i.notify: a queued alert reaches both browsers, decrypted, in the person’s language, under a valid VAPID JWT', async () => {
    const person = await c.vault.createSubject('person');
    const one = await browserOf(person);
    const two = await browserOf(person);
    const id = await alert(person, 'cs');
    await drain();
    assert.equal((await pushState(id))?.state, 'sent');
    const got = push.received.filter((r) => [one.sub.endpoint, two.sub.endpoint].includes(r.endpoint));
    assert.equal(got.length, 2, 'one push per browser');
    assert.deepEqual(push.refused, []);
    const keys = loadVapidKeys(c.config);
    for (const r of got) {
      const body = JSON.parse(r.payload) as Record<string, string>;
      assert.deepEqual(Object.keys(body).sort(), ['body', 'tag', 'title', 'url']);
      assert.equal(body.title, 'Nové přihlášení k vašemu účtu');
      assert.match(body.body!, /2026-12-02 09:15 \(pekingského času\) ze zařízení Chrome · Windows/);
      assert.equal(body.url, '/me/inbox');
      assert.equal(body.tag, id);
      assert.equal(r.vapid.aud, push.url);
      assert.equal(r.vapid.publicKey, keys.publicKey);
      assert.equal(r.vapid.sub, c.config.vapidSubject);
      assert.equal(r.headers.urgency, 'high', 'a security alert is urgent');
      assert.equal(r.headers.topic, id.replace(/-/g, ''));
      assert.ok(Number(r.headers.ttl) > 0);
    }
    const subs = await c.pushSubscriptions.list(person);
    assert.ok(
      subs.every((s) => s.lastSuccessAt !== null),
      'each browser’s last success is recorded',
    );
  });

  test('a browser the push service says is gone (410) is removed; the other still gets it', async () => {
    const person = await c.vault.createSubject('person');
    const gone = await browserOf(person);
    const kept = await browserOf(person);
    push.answer(gone.sub.endpoint, 410);
    const id = await alert(person, 'en');
    await drain();
    assert.equal((await pushState(id))?.state, 'sent');
    assert.equal(await c.pushSubscriptions.ofDevice(person, gone.deviceHash), undefined);
    assert.ok(await c.pushSubscriptions.ofDevice(person, kept.deviceHash));
    const got = push.received.filter((r) => r.endpoint === kept.sub.endpoint);
    assert.equal((JSON.parse(got[0]!.payload) as { title: string }).title, 'New sign-in to your account');
  });

  test('every browser gone (404): the delivery fails for good, and push no longer reaches the person', async () => {
    const person = await c.vault.createSubject('person');
    const only = await browserOf(person);
    push.answer(only.sub.endpoint, 404);
    const id = await alert(person, 'zh-CN');
    await drain();
    const d = await pushState(id);
    assert.equal(d?.state, 'failed');
    assert.deepEqual(await c.pushSubscriptions.list(person), []);
    assert.deepEqual((await c.notify.preferences(person)).reachable, ['sms']);
    const next = await alert(person, 'zh-CN');
    assert.equal(
      await pushState(next),
      undefined,
      'no push delivery is written for a person without a browser',
    );
  });

  test('a push service that is down (503) is retried, and the failure is counted on the browser', async () => {
    const person = await c.vault.createSubject('person');
    const b = await browserOf(person);
    push.answer(b.sub.endpoint, 503);
    const id = await alert(person, 'en');
    await c.notify.drainOutbox({ limit: 50 });
    assert.equal((await pushState(id))?.state, 'retrying');
    assert.ok(await c.pushSubscriptions.ofDevice(person, b.deviceHash), 'kept: it may come back');
    const { rows } = await c.db.query<{ failures: number }>(
      'SELECT failures FROM push_subscription WHERE device_hash = $1',
      [b.deviceHash],
    );
    assert.equal(rows[0]?.failures, 1);
  });

  test('P7.3 signing out, or ending the session from another device, removes that browser’s subscription', async () => {
    const person = await c.vault.createSubject('person');
    const signedOut = await browserOf(person);
    const endedElsewhere = await browserOf(person);
    const stays = await browserOf(person);
    await c.sessions.revoke(signedOut.token);
    assert.equal(await c.sessions.revokeById(person, endedElsewhere.sessionId), true);
    assert.equal(await c.pushSubscriptions.ofDevice(person, signedOut.deviceHash), undefined);
    assert.equal(await c.pushSubscriptions.ofDevice(person, endedElsewhere.deviceHash), undefined);
    assert.ok(await c.pushSubscriptions.ofDevice(person, stays.deviceHash));
    await c.sessions.revokeOthers(person, undefined);
    assert.deepEqual(await c.pushSubscriptions.list(person), [], 'signing out everywhere removes them all');
  });

  test('turning push off in a browser removes it and is audited without the endpoint', async () => {
    const person = await c.vault.createSubject('person');
    const b = await browserOf(person);
    assert.equal(await c.pushSubscriptions.unsubscribe(person, b.deviceHash, 'req-off'), true);
    assert.equal(await c.pushSubscriptions.unsubscribe(person, b.deviceHash, 'req-off'), false);
    const { rows } = await c.db.query<{ action: string; detail: unknown }>(
      `SELECT action, detail FROM audit_entry WHERE action LIKE 'notify.push_%' AND subject_id = $1 ORDER BY id`,
      [person],
    );
    assert.deepEqual(
      rows.map((r) => r.action),
      ['notify.push_subscribed', 'notify.push_unsubscribed'],
    );
    assert.ok(!JSON.stringify(rows).includes(b.sub.endpoint), 'the endpoint never enters the audit chain');
  });

  test('a subscription to a host that is not a push service, or with keys that are not keys, is refused', async () => {
    const person = await c.vault.createSubject('person');
    const token = await c.sessions.create(person, undefined, 'Chrome · Linux');
    const sessionId = (await c.sessions.list(person, token)).find((s) => s.current)!.id;
    const browser = { subjectId: person, deviceHash: randomBytes(32), sessionId, label: 'Chrome · Linux' };
    const good = push.subscription();
    await assert.rejects(
      c.pushSubscriptions.subscribe(browser, { ...good, endpoint: 'https://internal.example/admin' }, 'r'),
      { code: 'notify.push_service_refused' },
    );
    await assert.rejects(
      c.pushSubscriptions.subscribe(browser, { ...good, keys: { ...good.keys, p256dh: 'AAAA' } }, 'r'),
      { code: 'notify.push_subscription_invalid' },
    );
    const offCurve = Buffer.alloc(65, 1);
    offCurve[0] = 4;
    await assert.rejects(
      c.pushSubscriptions.subscribe(
        browser,
        { ...good, keys: { ...good.keys, p256dh: offCurve.toString('base64url') } },
        'r',
      ),
      { code: 'notify.push_subscription_invalid' },
    );
    assert.deepEqual(await c.pushSubscriptions.list(person), []);
  });
});

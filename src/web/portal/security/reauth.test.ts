/**
 * Invariant (P7.3; ASVS 7.5.1): removing the authenticator app or a passkey, and making new
 * recovery codes, need fresh proof in this session (the password or an app code within the
 * last 5 minutes); without it nothing changes; with it the change is made and told to the
 * person (listed with their alerts and sent by SMS). Wrong proofs end the session at the 5th.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hotp, totpStep } from '../../../shared/totp.ts';
import { client, PASSWORD, type Citizen } from '../../../../test/support/citizen.ts';
import { startTestPlatform, type TestPlatform } from '../../../../test/support/platform.ts';
import { fromBase32 } from '../../../../test/support/staff.ts';

let p: TestPlatform;
let c: ReturnType<typeof client>;

const form = (path: string, body: Record<string, string>, cookie: string) =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'accept-language': 'en' },
    body: new URLSearchParams(body).toString(),
  });
/** Ten minutes have passed since this person last proved who they are. */
const stale = (me: Citizen) =>
  p.storage.db.query(
    `UPDATE citizen_session SET proved_at = now() - interval '10 minutes' WHERE subject_id = $1`,
    [me.subjectId],
  );
const totpState = async (me: Citizen) => (await p.identity.factors.overview(me.subjectId)).totp;
/** The changes texted to the person, once the outbox has sent what is due. */
const changes = async (me: Citizen) => {
  await p.notify.drainOutbox();
  return c
    .sms()
    .sent.filter((m) => m.template === 'security-change' && m.to === me.phone)
    .map((m) => (m.params as { change: string }).change);
};

/** Sets up the app through the pages; returns its key. */
async function enrol(me: Citizen): Promise<Buffer> {
  const page = await (await form('/me/security/totp', {}, me.session)).text();
  const key = fromBase32(/data-totp-secret[^>]*>([A-Z2-7]{32})</.exec(page)![1]!);
  const res = await form('/me/security/totp/confirm', { code: hotp(key, totpStep(Date.now())) }, me.session);
  assert.equal(res.status, 200);
  return key;
}

describe('fresh proof before weakening protection', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    c = client(p);
  });
  after(() => p.stop());

  test('P7.3 removing the authenticator app asks for the password again, then alerts the person', async () => {
    const me = await c.register('13900000041', 741);
    await enrol(me);
    await stale(me);

    const asked = await form('/me/security/totp/remove', { confirm: '1' }, me.session);
    assert.equal(asked.status, 200);
    const page = await asked.text();
    assert.match(page, /<h1>Confirm it is you<\/h1>/);
    assert.match(page, /<form method="post" action="\/me\/security\/totp\/remove"/);
    assert.equal(await totpState(me), 'active', 'nothing changed yet');

    const wrong = await form(
      '/me/security/totp/remove',
      { confirm: '1', reauth: '1', password: 'not my password' },
      me.session,
    );
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /<a href="#reauth-password">That password or code is not correct<\/a>/);
    assert.equal(await totpState(me), 'active');

    const ok = await form(
      '/me/security/totp/remove',
      { confirm: '1', reauth: '1', password: PASSWORD },
      me.session,
    );
    assert.equal(ok.status, 303);
    assert.equal(await totpState(me), null, 'removed once the password was given again');
    assert.deepEqual(await changes(me), ['totp-removed'], 'the person is told by SMS');
    const alerts = await p.identity.loginAlerts(me.subjectId);
    assert.equal(alerts[0]!.method, 'security-change');
    assert.deepEqual(alerts[0]!.reasons, ['totp-removed']);
    const security = await (
      await fetch(`${p.url}/me/security`, { headers: { cookie: me.session, 'accept-language': 'en' } })
    ).text();
    assert.match(security, /the authenticator app was removed/, 'and sees it with their alerts');
  });

  test('P7.3 new recovery codes need fresh proof; an app code is one; a passkey removal too', async () => {
    const me = await c.register('13900000042', 742);
    const key = await enrol(me);
    await stale(me);
    const asked = await form('/me/security/recovery-codes', {}, me.session);
    assert.match(await asked.text(), /<h1>Confirm it is you<\/h1>/);
    const code = hotp(key, totpStep(Date.now()) + 1);
    const ok = await form('/me/security/recovery-codes', { reauth: '1', code }, me.session);
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /<pre class="codes"/, 'the new codes are shown');
    assert.deepEqual(await changes(me), ['recovery-codes-regenerated']);

    // Within 5 minutes of that proof, the next change needs none.
    const { rows } = await p.storage.db.query<{ id: string }>(
      `INSERT INTO passkey (subject_id, credential_id, public_key, label) VALUES ($1, 'cred-742', '\\x00', 'Phone')
       RETURNING id`,
      [me.subjectId],
    );
    const removed = await form(`/me/security/passkeys/${rows[0]!.id}/remove`, { confirm: '1' }, me.session);
    assert.equal(removed.status, 303);
    assert.deepEqual(await changes(me), ['recovery-codes-regenerated', 'passkey-removed']);

    const { rows: again } = await p.storage.db.query<{ id: string }>(
      `INSERT INTO passkey (subject_id, credential_id, public_key, label) VALUES ($1, 'cred-742b', '\\x00', 'Key')
       RETURNING id`,
      [me.subjectId],
    );
    await stale(me);
    const refused = await form(`/me/security/passkeys/${again[0]!.id}/remove`, { confirm: '1' }, me.session);
    assert.match(await refused.text(), /<h1>Confirm it is you<\/h1>/);
    const { rows: left } = await p.storage.db.query('SELECT 1 FROM passkey WHERE id = $1', [again[0]!.id]);
    assert.equal(left.length, 1, 'the passkey stays until the person proves it is them');
  });

  test('P7.3 five wrong proofs end the session', async () => {
    const me = await c.register('13900000043', 743);
    await enrol(me);
    await stale(me);
    for (let i = 0; i < 4; i++) {
      const r = await form(
        '/me/security/totp/remove',
        { confirm: '1', reauth: '1', password: `guess ${i}` },
        me.session,
      );
      assert.equal(r.status, 400);
    }
    const last = await form(
      '/me/security/totp/remove',
      { confirm: '1', reauth: '1', password: 'guess 4' },
      me.session,
    );
    assert.equal(last.status, 303);
    assert.equal(last.headers.get('location'), '/login');
    const after = await fetch(`${p.url}/me/security`, {
      redirect: 'manual',
      headers: { cookie: me.session },
    });
    assert.equal(after.status, 303, 'the session has ended');
    assert.equal(await totpState(me), 'active');
  });
});

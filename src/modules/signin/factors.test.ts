/**
 * Invariant (P7.3): second factors protect risky sign-ins. TOTP is RFC 6238 (SHA-1, 6
 * digits, 30 s, ±1 step), active only after a first code, its secret sealed at rest, and a
 * code is never accepted twice; recovery codes are shown once, stored hashed, and each
 * works once; with a strong factor the SMS code is no longer a second step; removing the
 * last factor is audited and says what changes.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { client, cookieOf, type Citizen, type SecondStepAnswer } from '../../../test/support/citizen.ts';
import { base32, hotp, totp } from '../../shared/totp.ts';

let p: TestPlatform;
let c: ReturnType<typeof client>;
let me: Citizen;
let secret: Buffer;
let recovery: string[] = [];

/** An authenticator app, written here from RFC 6238 independently of totp.ts. */
function app(key: Buffer, atMs = Date.now()): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const o = mac[19]! & 0xf;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}
const fromBase32 = (s: string) => {
  let bits = '';
  for (const ch of s) bits += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(ch).toString(2).padStart(5, '0');
  return Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
};
const form = (path: string, body: Record<string, string>, cookie: string) =>
  fetch(`${p.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'accept-language': 'en' },
    body: new URLSearchParams(body).toString(),
    redirect: 'manual',
  });
const securityPage = async () =>
  (await fetch(`${p.url}/me/security`, { headers: { cookie: me.session, 'accept-language': 'en' } })).text();
/** A sign-in from a browser never seen: a challenge. */
const challenge = async () => ((await (await c.login(me.phone)).json()) as SecondStepAnswer).secondStep;
const step = (ch: string, method: string, code: string) =>
  c.post('/api/identity/second-step/code', { challenge: ch, method, code });

describe('second factors', () => {
  before(async () => {
    p = await startTestPlatform({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1000' });
    c = client(p);
    me = await c.register('13600000101', 101);
  });
  after(() => p.stop());

  test('P7.3 TOTP follows the RFC 6238 test vectors (SHA-1)', () => {
    const key = Buffer.from('12345678901234567890');
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [t, want] of vectors) assert.equal(totp(key, t * 1000, 8), want, `T=${t}`);
    assert.equal(hotp(key, 1), '287082', 'RFC 4226 appendix D, counter 1');
    assert.equal(base32(key), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    assert.equal(totp(key, 59_000), app(key, 59_000), 'the test’s own authenticator agrees');
  });

  test('P7.3 an authenticator app is set up with a first code, then asked for instead of an SMS code at a risky sign-in', async () => {
    const start = await form('/me/security/totp', {}, me.session);
    const page = await start.text();
    const shown = /data-totp-secret[^>]*>([A-Z2-7]{32})</.exec(page)?.[1];
    assert.ok(shown, 'the base32 key is shown');
    assert.match(
      page,
      new RegExp(`otpauth://totp/Civitas%3ACivitas%20account\\?secret=${shown}&amp;issuer=Civitas`),
    );
    assert.match(
      page,
      /<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="QR code for your authenticator app"/,
    );
    secret = fromBase32(shown);

    const { rows } = await p.storage.db.query<{ secret_sealed: Buffer }>(
      'SELECT secret_sealed FROM totp_factor WHERE subject_id = $1',
      [me.subjectId],
    );
    assert.equal(rows[0]!.secret_sealed.includes(secret), false, 'the secret is sealed at rest');
    assert.equal(((await challenge()).methods as string[]).join(), 'sms', 'not active before its first code');

    const wrong = await form(
      '/me/security/totp/confirm',
      { code: app(secret, Date.now() + 300_000) },
      me.session,
    );
    assert.equal(wrong.status, 400);
    const again = await wrong.text();
    assert.match(again, /<a href="#totp-code">The code is wrong or has expired<\/a>/);
    assert.match(again, new RegExp(`>${shown}<`), 'the same key is shown again');

    const ok = await form('/me/security/totp/confirm', { code: app(secret) }, me.session);
    const codesPage = await ok.text();
    // One <pre> block, a code a line (selecting it copies them all).
    const block = /<pre class="codes"[^>]*>([^<]*)<\/pre>/.exec(codesPage)?.[1] ?? '';
    recovery = block.split('\n').filter((c) => /^[A-Z2-7]{5}-[A-Z2-7]{5}$/.test(c));
    assert.equal(recovery.length, 10, 'ten recovery codes, shown once');
    assert.match(codesPage, /Authenticator app turned on\./);
    const overview = await securityPage();
    assert.match(overview, /<h3>Authenticator app<\/h3><p>On<\/p>/);
    assert.match(overview, /Unused recovery codes: <strong data-recovery-left="true">10<\/strong>/);

    const ch = await challenge();
    assert.deepEqual(ch.methods, ['totp', 'recovery-code'], 'with a strong factor, no SMS code');
    assert.equal(
      ((await (await step(ch.challenge, 'sms', '123456')).json()) as { code: string }).code,
      'identity.second_step_method',
    );
    // Wait for a fresh step: the confirmation used the current one.
    const code = app(secret, Date.now() + 30_000);
    const done = await step(ch.challenge, 'totp', code);
    assert.equal(done.status, 200, await done.clone().text());
    assert.ok(cookieOf(done, 'civitas_session'));
    const { rows: audit } = await p.storage.db.query<{ action: string; detail: { secondStep?: string } }>(
      `SELECT action, detail FROM audit_entry WHERE subject_id = $1 AND action IN ('identity.factor_added', 'identity.login') ORDER BY id DESC LIMIT 2`,
      [me.subjectId],
    );
    assert.deepEqual(
      audit.map((a) => [a.action, a.detail.secondStep]),
      [
        ['identity.login', 'totp'],
        ['identity.factor_added', undefined],
      ],
    );

    const replay = await challenge();
    const refused = await step(replay.challenge, 'totp', code);
    assert.equal(
      ((await refused.json()) as { code: string }).code,
      'identity.code_invalid',
      'a used code is refused',
    );
  });

  test('P7.3 a recovery code works once, and the count left is shown', async () => {
    const first = await challenge();
    assert.equal((await step(first.challenge, 'recovery-code', recovery[0]!.toLowerCase())).status, 200);
    const second = await challenge();
    const reused = await step(second.challenge, 'recovery-code', recovery[0]!);
    assert.equal(((await reused.json()) as { code: string }).code, 'identity.code_invalid');
    assert.equal((await step(second.challenge, 'recovery-code', recovery[1]!)).status, 200);
    assert.match(
      await securityPage(),
      /Unused recovery codes: <strong data-recovery-left="true">8<\/strong>/,
    );
    const { rows } = await p.storage.db.query<{ code_hash: Buffer }>(
      'SELECT code_hash FROM recovery_code WHERE subject_id = $1',
      [me.subjectId],
    );
    assert.ok(
      rows.every((r) => !r.code_hash.toString('latin1').includes(recovery[2]!.slice(0, 5))),
      'stored hashed',
    );

    const regenerated = await (await form('/me/security/recovery-codes', {}, me.session)).text();
    assert.equal(
      [...regenerated.matchAll(/<input type="hidden" name="code" value="[A-Z2-7-]{11}"/g)].length,
      10,
    );
    const third = await challenge();
    assert.equal(
      ((await (await step(third.challenge, 'recovery-code', recovery[2]!)).json()) as { code: string }).code,
      'identity.code_invalid',
      'new codes replace the old ones',
    );
  });

  test('P7.3 removing the last second factor is audited and says the second step is an SMS code again', async () => {
    const removed = await form('/me/security/totp/remove', { confirm: '1' }, me.session);
    assert.equal(removed.headers.get('location'), '/me/security?notice=removed-last');
    const page = await (
      await fetch(`${p.url}/me/security?notice=removed-last`, {
        headers: { cookie: me.session, 'accept-language': 'en' },
      })
    ).text();
    assert.match(
      page,
      /unusual sign-ins are confirmed by an SMS code to your phone, and your recovery codes were deleted/,
    );
    assert.deepEqual((await challenge()).methods, ['sms']);
    const { rows } = await p.storage.db.query<{ detail: { factor: string; last: boolean } }>(
      `SELECT detail FROM audit_entry WHERE subject_id = $1 AND action = 'identity.factor_removed'`,
      [me.subjectId],
    );
    assert.deepEqual(
      rows.map((r) => r.detail),
      [{ factor: 'totp', last: true }],
    );
  });
});

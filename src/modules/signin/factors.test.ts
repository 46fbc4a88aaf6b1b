/**
 * Invariant (P7.3): second factors protect risky sign-ins. TOTP is RFC 6238 (SHA-1, 6
 * digits, 30 s, ±1 step), active only after a first code, its secret sealed at rest, and a
 * code is never accepted twice; recovery codes are shown once, stored hashed, and each
 * works once; with a strong factor the SMS code is no longer a second step; removing the
 * last factor is audited and says what changes.
 *
 * The identity service composed without HTTP; the security page that sets these up and
 * shows them is src/web/portal/security/security.test.ts.
 */
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { compose, type Composed } from '../../../test/support/compose.ts';
import {
  challengeOf,
  from,
  refusal,
  registerFrom,
  type InProcessCitizen,
} from '../../../test/support/sign-in.ts';
import { fromBase32 } from '../../../test/support/staff.ts';
import { PASSWORD } from '../../../test/support/citizen.ts';
import { base32, hotp, totp } from '../../shared/totp.ts';

let c: Composed<'identity' | 'sms'>;
let me: InProcessCitizen;
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
/** A sign-in from a browser never seen: a challenge. */
const challenge = async () =>
  challengeOf(await c.identity.loginWithPassword(me.phone, PASSWORD, from('192.0.2.40')));
const step = (ch: string, method: 'totp' | 'recovery-code' | 'sms', code: string) =>
  c.identity.secondStep.withCode(ch, method, code, randomUUID(), 'en');
const factors = () => c.identity.factors;

describe('second factors', () => {
  before(async () => {
    c = await compose(['identity', 'sms']);
    me = await registerFrom(c, '13600000101', 101);
  });
  after(() => c.close());

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
    const started = await factors().beginTotp(me.subjectId, 'Civitas account');
    assert.match(started.secret, /^[A-Z2-7]{32}$/, 'a base32 key to show');
    assert.match(
      started.uri,
      new RegExp(`^otpauth://totp/Civitas%3ACivitas%20account\\?secret=${started.secret}&issuer=Civitas`),
    );
    secret = fromBase32(started.secret);

    const { rows } = await c.db.query<{ secret_sealed: Buffer }>(
      'SELECT secret_sealed FROM totp_factor WHERE subject_id = $1',
      [me.subjectId],
    );
    assert.equal(rows[0]!.secret_sealed.includes(secret), false, 'the secret is sealed at rest');
    assert.equal((await challenge()).methods.join(), 'sms', 'not active before its first code');

    const wrong = await refusal(
      factors().confirmTotp(me.subjectId, app(secret, Date.now() + 300_000), randomUUID()),
    );
    assert.deepEqual([wrong.code, wrong.status], ['identity.code_invalid', 400]);
    assert.equal(
      (await factors().pendingTotp(me.subjectId, 'Civitas account'))?.secret,
      started.secret,
      'the same key again',
    );

    recovery = (await factors().confirmTotp(me.subjectId, app(secret), randomUUID()))!;
    assert.equal(recovery.length, 10, 'ten recovery codes, shown once');
    assert.ok(recovery.every((r) => /^[A-Z2-7]{5}-[A-Z2-7]{5}$/.test(r)));
    const overview = await factors().overview(me.subjectId);
    assert.deepEqual([overview.totp, overview.recoveryCodesLeft], ['active', 10]);

    const ch = await challenge();
    assert.deepEqual(ch.methods, ['totp', 'recovery-code'], 'with a strong factor, no SMS code');
    assert.equal((await refusal(step(ch.challenge, 'sms', '123456'))).code, 'identity.second_step_method');
    // Wait for a fresh step: the confirmation used the current one.
    const code = app(secret, Date.now() + 30_000);
    const done = await step(ch.challenge, 'totp', code);
    assert.equal(done.kind, 'session');
    const { rows: audit } = await c.db.query<{ action: string; detail: { secondStep?: string } }>(
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
    const refused = await refusal(step(replay.challenge, 'totp', code));
    assert.equal(refused.code, 'identity.code_invalid', 'a used code is refused');
  });

  test('P7.3 a recovery code works once, and the count left is shown', async () => {
    const first = await challenge();
    assert.equal((await step(first.challenge, 'recovery-code', recovery[0]!.toLowerCase())).kind, 'session');
    const second = await challenge();
    assert.equal(
      (await refusal(step(second.challenge, 'recovery-code', recovery[0]!))).code,
      'identity.code_invalid',
    );
    assert.equal((await step(second.challenge, 'recovery-code', recovery[1]!)).kind, 'session');
    assert.equal((await factors().overview(me.subjectId)).recoveryCodesLeft, 8);
    const { rows } = await c.db.query<{ code_hash: Buffer }>(
      'SELECT code_hash FROM recovery_code WHERE subject_id = $1',
      [me.subjectId],
    );
    assert.ok(
      rows.every((r) => !r.code_hash.toString('latin1').includes(recovery[2]!.slice(0, 5))),
      'stored hashed',
    );

    assert.equal((await factors().regenerateRecoveryCodes(me.subjectId, randomUUID())).length, 10);
    const third = await challenge();
    assert.equal(
      (await refusal(step(third.challenge, 'recovery-code', recovery[2]!))).code,
      'identity.code_invalid',
      'new codes replace the old ones',
    );
  });

  test('P7.3 removing the last second factor is audited and says the second step is an SMS code again', async () => {
    assert.deepEqual(await factors().removeTotp(me.subjectId, randomUUID()), { removed: true, last: true });
    assert.deepEqual((await challenge()).methods, ['sms']);
    assert.equal(
      (await factors().overview(me.subjectId)).recoveryCodesLeft,
      0,
      'the recovery codes went too',
    );
    const { rows } = await c.db.query<{ detail: { factor: string; last: boolean } }>(
      `SELECT detail FROM audit_entry WHERE subject_id = $1 AND action = 'identity.factor_removed'`,
      [me.subjectId],
    );
    assert.deepEqual(
      rows.map((r) => r.detail),
      [{ factor: 'totp', last: true }],
    );
  });
});

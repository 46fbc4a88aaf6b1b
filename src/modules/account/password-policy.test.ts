/**
 * Invariant (P7.3, ASVS 6.2.4): registration and password reset refuse a common or breached
 * password, with its own code (identity.common_password, a 400 with a reason in the person's
 * language), before anything is stored.
 *
 * The identity service composed without HTTP; what the registration page shows of the refusal
 * is src/web/portal/auth/register.test.ts, the API's problem+json src/web/api/identity.api.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LocalSmsGateway } from '../../dev/sms.ts';
import { errorSpec } from '../../kernel/errors.ts';
import { idNumberFor } from '../../../test/support/citizen.ts';
import { compose, type Composed } from '../../../test/support/compose.ts';
import { from, refusal, registerFrom } from '../../../test/support/sign-in.ts';

let c: Composed<'identity' | 'sms' | 'vault'>;
const codeFor = async (phone: string, purpose: 'register' | 'reset') => {
  await c.identity.sendCode(phone, purpose, from('192.0.2.10'));
  return (c.sms as LocalSmsGateway).lastCode(phone)!;
};

describe('common passwords', () => {
  before(async () => {
    c = await compose(['identity', 'sms', 'vault']);
  });
  after(() => c.close());

  test('P7.3 registration refuses "password" with its code, and no account is opened', async () => {
    const phone = '13900000001';
    const refused = await refusal(
      c.identity.register(
        {
          phone,
          code: await codeFor(phone, 'register'),
          password: 'password',
          name: '王芳',
          idNumber: idNumberFor(701),
        },
        from('192.0.2.10'),
      ),
    );
    assert.deepEqual([refused.code, refused.status], ['identity.common_password', 400]);
    assert.equal(
      errorSpec(refused.code).title.en,
      'This password is on a list of common or breached passwords; choose another',
    );
    assert.deepEqual(await c.vault.findSubject('phone', phone), [], 'nothing is stored');
  });

  test('P7.3 a password reset to a common password is refused with its code', async () => {
    const me = await registerFrom(c, '13900000021', 721);
    const refused = await refusal(
      c.identity.resetPassword(me.phone, await codeFor(me.phone, 'reset'), 'Password1', from('192.0.2.10')),
    );
    assert.deepEqual([refused.code, refused.status], ['identity.common_password', 400]);
  });
});

/**
 * Invariant (P7.2 confidentiality): personal data given in a request — in the path, the
 * query, the body or a header — never reaches the log, not even when the request fails.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { redactText } from '../src/kernel/log/redact.ts';
import { startTestPlatform, type TestPlatform } from './support/platform.ts';

const PHONE = '13812345678';
const ID_NUMBER = '11010519491231002X';
const EMAIL = 'wang.fang@example.cn';

let p: TestPlatform;

describe('logs without personal data', () => {
  before(async () => {
    p = await startTestPlatform({ LOG_LEVEL: 'trace' });
  });
  after(() => p.stop());

  test('P7.2 a phone number or ID number in a request never reaches the log', async () => {
    await fetch(`${p.url}/api/lookup/${PHONE}?id=${ID_NUMBER}&email=${EMAIL}`, {
      headers: { 'x-phone': PHONE },
    });
    await fetch(`${p.url}/api/catalogue?phone=${PHONE}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `civitas_staff=${ID_NUMBER}` },
      body: JSON.stringify({ phone: PHONE, idNumber: ID_NUMBER }),
    });
    await fetch(`${p.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `email=${EMAIL}&password=${PHONE}`,
    });
    p.logger.info(`a careless message about ${PHONE} and ${ID_NUMBER}`);
    p.logger.error({ err: new Error(`duplicate key (phone)=(${PHONE})`) }, 'careless error');
    await new Promise((r) => setTimeout(r, 100));
    const log = p.logs.join('');
    assert.ok(log.includes('"statusCode":404'), 'the requests were logged');
    assert.ok(log.includes('[redacted]'), 'the careless lines were logged, redacted');
    for (const secret of [PHONE, ID_NUMBER, EMAIL, '138 1234 5678']) {
      assert.ok(!log.includes(secret), `${secret} must not be in the log`);
    }
  });

  test('the redactor keeps ordinary identifiers readable', () => {
    const uuid = '3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60';
    assert.equal(redactText(`staff ${uuid} status 404 took 12 ms`), `staff ${uuid} status 404 took 12 ms`);
    assert.equal(redactText('call +86 138 1234 5678 now'), 'call [redacted] now');
    assert.equal(redactText('id 11010519491231002x'), 'id [redacted]');
  });
});

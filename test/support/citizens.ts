/** Registers people through the real API (SMS code from the local gateway) and returns their session cookie. */
import assert from 'node:assert/strict';
import type { LocalSmsGateway } from '../../src/dev/sms.ts';
import type { TestPlatform } from './platform.ts';

export interface Citizen {
  subjectId: string;
  cookie: string;
  phone: string;
}

export async function registerCitizen(
  p: TestPlatform,
  phone: string,
  idNumber: string,
  opts: { level?: number; name?: string; password?: string } = {},
): Promise<Citizen> {
  const post = (path: string, body: unknown) =>
    fetch(`${p.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  assert.equal((await post('/api/identity/codes', { phone, purpose: 'register' })).status, 202);
  const code = (p.sms as LocalSmsGateway).lastCode(phone)!;
  const res = await post('/api/identity/register', {
    phone,
    code,
    password: opts.password ?? 'a test password',
    name: opts.name ?? '测试',
    idNumber,
  });
  assert.equal(res.status, 201, await res.clone().text());
  const { subjectId } = (await res.json()) as { subjectId: string };
  if (opts.level) {
    // Tests that only need a level set it here; the verification flow has its own tests.
    await p.storage.db.query('UPDATE citizen_account SET assurance_level = $2 WHERE subject_id = $1', [
      subjectId,
      opts.level,
    ]);
  }
  return {
    subjectId,
    phone,
    cookie: res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
  };
}

/** Registers citizens through the API of a running test platform, returning their session cookie. */
import assert from 'node:assert/strict';
import type { LocalSmsGateway } from '../../src/adapters/sms.ts';
import type { TestPlatform } from './platform.ts';

export interface Citizen {
  subjectId: string;
  cookie: string;
  phone: string;
}

export async function registerCitizen(
  p: TestPlatform,
  r: { phone: string; name: string; idNumber: string; password?: string },
): Promise<Citizen> {
  const post = (path: string, body: unknown) =>
    fetch(`${p.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const sent = await post('/api/identity/codes', { phone: r.phone, purpose: 'register' });
  assert.equal(sent.status, 202, await sent.clone().text());
  const code = (p.sms as LocalSmsGateway).lastCode(r.phone)!;
  const res = await post('/api/identity/register', {
    phone: r.phone,
    code,
    password: r.password ?? 'a test password',
    name: r.name,
    idNumber: r.idNumber,
  });
  assert.equal(res.status, 201, await res.clone().text());
  const { subjectId } = (await res.json()) as { subjectId: string };
  return { subjectId, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!, phone: r.phone };
}

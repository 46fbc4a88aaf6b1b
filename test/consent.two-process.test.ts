/**
 * Invariant (P8.5): a withdrawn consent stops reads at once on every server process, not
 * only on the one that recorded the withdrawal: two real `civitas serve` processes share
 * one PostgreSQL, one reads with a warm consent cache, the other records the withdrawal.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { createStaffService } from '../src/modules/staff/index.ts';
import { startPrivacyEngine, type PrivacyEngine } from './support/privacy.ts';
import { signInStaff } from './support/staff.ts';
import { testShown } from './support/policy.ts';

const EMAIL = 'support@civitas.example';
const ADMIN = 'admin@civitas.example';
const PASSWORD = 'two processes, one database';
let e: PrivacyEngine;
const servers: { child: ChildProcess; url: string; cookie: string }[] = [];
/** Every process started, up or not: `after` ends them all, so a failed start leaves none running. */
const children: ChildProcess[] = [];

async function serve(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['bin/civitas.js', 'serve'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Portal:\s+(http:\/\/\S+?)\/\s/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}${err}`)));
  });
  return { child, url };
}

const login = (url: string, email = EMAIL): Promise<string> => signInStaff(url, email, PASSWORD);

describe('consent withdrawal across processes', () => {
  before(async () => {
    e = await startPrivacyEngine();
    const staff = createStaffService({ db: e.t.db, audit: e.audit, keys: e.keys });
    await staff.create(
      { email: EMAIL, displayName: 'Support', role: 'support', password: PASSWORD },
      { type: 'system', id: 'test' },
    );
    await staff.create(
      { email: ADMIN, displayName: 'Admin', role: 'administrator', password: PASSWORD },
      { type: 'system', id: 'test' },
    );
    const env = {
      CIVITAS_MODE: 'test',
      DATABASE_URL: e.t.url,
      CIVITAS_DATA_DIR: e.dataDir,
      PORT: '0',
      LOG_LEVEL: 'warn',
    };
    const started = await Promise.all([serve(env), serve(env)]);
    for (const s of started) servers.push({ ...s, cookie: await login(s.url) });
  });
  after(async () => {
    for (const child of children) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await e.close();
  });

  test('P8.5.withdraw a consent withdrawn through one process is refused by the next read on the other', async () => {
    const person = await e.vault.createSubject('person');
    await e.vault.write(
      person,
      { phone: '13800000003' },
      { source: 'user', purpose: 'survey', actor: { type: 'self', id: person, label: 'self' } },
    );
    const consent = await e.consent.give(
      {
        subjectId: person,
        kind: 'use',
        purpose: 'customer-support',
        categories: ['contact'],
        channel: 'portal',
        shown: await testShown(e.t.db, 'call me back about my request'),
      },
      { type: 'self', id: person },
    );
    const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
    const read = () =>
      fetch(`${a.url}/api/staff/vault/read`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: a.cookie },
        body: JSON.stringify({
          subjectId: person,
          purpose: 'customer-support',
          basis: { type: 'consent', consentId: consent.id },
          fields: ['phone'],
        }),
      });

    const first = await read(); // warms process A's consent cache
    assert.equal(first.status, 200);
    assert.deepEqual(await first.json(), { values: { phone: '13800000003' }, withheld: [] });

    const withdrawn = await fetch(`${b.url}/api/staff/consents/${consent.id}/withdraw`, {
      method: 'POST',
      headers: { cookie: b.cookie },
    });
    assert.equal(withdrawn.status, 200);

    const next = await read();
    assert.equal(next.status, 403);
    const problem = (await next.json()) as { code: string; clause: string };
    assert.equal(problem.code, 'vault.consent_withdrawn');
    assert.equal(problem.clause, 'P8.5');
  });

  test('P7.2.roles an administrator may not read personal data at all (least privilege)', async () => {
    const read = (cookie?: string) =>
      fetch(`${servers[0]!.url}/api/staff/vault/read`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify({
          subjectId: '00000000-0000-4000-8000-000000000000',
          purpose: 'customer-support',
          basis: { type: 'necessity', service: 'x' },
          fields: ['phone'],
        }),
      });
    assert.equal((await read()).status, 401, 'no session, no data');
    // Signed in, the vault itself refuses the role, before it even looks for the person.
    const refused = await read(await login(servers[0]!.url, ADMIN));
    assert.equal(refused.status, 403);
    const problem = (await refused.json()) as { code: string; clause: string };
    assert.deepEqual([problem.code, problem.clause], ['vault.role_excludes_purpose', 'P7.2.roles']);
  });
});

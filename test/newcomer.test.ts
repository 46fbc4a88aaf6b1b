/**
 * Invariant: a newcomer who has only the repository can find their way and try every
 * journey with the demo data: the command-line help answers without a database, a
 * development first start prints console accounts for every staff journey (looking up an
 * account, recording an in-person check), and a demo representative known to the local
 * partners reaches L3 through the real verification flow and binds a company online.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';
import { seededCompanies } from '../src/dev/company-registry.ts';
import { seedCapture, seededPeople } from '../src/dev/partner-seed.ts';
import { mayUseFor } from '../src/modules/staff/index.ts';
import { registerCitizen } from './support/citizens.ts';
import { startTestPlatform } from './support/platform.ts';

const civitas = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['bin/civitas.js', ...args], {
    // No configuration, no database: help must not need them.
    env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
  });

describe('the newcomer’s path', () => {
  test('civitas --help, civitas help and civitas staff create --help print usage and the staff roles', async () => {
    for (const args of [['--help'], ['help'], ['-h']]) {
      const { stdout } = await civitas(...args);
      assert.match(stdout, /^Usage: civitas <command>/m, args.join(' '));
      assert.match(stdout, /civitas staff create --email E --name N \[--role administrator\|support\|/);
      assert.match(stdout, /civitas audit verify/);
    }
    const { stdout } = await civitas('staff', 'create', '--help');
    assert.match(stdout, /civitas staff create/);
    assert.doesNotMatch(stdout, /civitas audit verify/, 'only the command asked about');
    for (const role of ['administrator', 'support', 'dpo', 'auditor', 'service_hall', 'security_officer'])
      assert.match(stdout, new RegExp(`^  ${role} +\\S`, 'm'), role);
  });

  test('P7.2.roles a development first start prints console accounts that can look up accounts and record in-person checks', async () => {
    const p = await startTestPlatform({ CIVITAS_MODE: 'development' });
    try {
      const printed = p.demoStaff ?? [];
      assert.ok(printed.some((a) => a.role === 'administrator'));
      assert.ok(
        printed.some((a) => mayUseFor(a.role, 'customer-support')),
        'an account that looks up accounts',
      );
      assert.ok(
        printed.some((a) => mayUseFor(a.role, 'real-name-verification')),
        'an account that records in-person checks',
      );
      assert.ok(printed.every((a) => a.password.length >= 12));
      const { rows } = await p.storage.db.query<{ email: string; role: string }>(
        'SELECT email, role FROM staff_account ORDER BY email',
      );
      assert.deepEqual(
        rows.map((r) => `${r.email} ${r.role}`),
        printed.map((a) => `${a.email} ${a.role}`).sort(),
      );
    } finally {
      await p.stop();
    }
  });

  test('P2.1 the demo representative reaches L3 with the registry and the local face check, then binds the company online', async () => {
    const p = await startTestPlatform();
    try {
      const company = seededCompanies.find((c) =>
        seededPeople.some((x) => x.idNumber === c.representative.idNumber && c.status === 'active'),
      );
      assert.ok(company, 'an active demo company whose representative the local partners know');
      const person = seededPeople.find((x) => x.idNumber === company.representative.idNumber)!;
      const me = await registerCitizen(p, '13600000971', person.idNumber, { name: person.name });
      const call = (path: string, body: unknown) =>
        fetch(`${p.url}${path}`, {
          method: 'POST',
          headers: { cookie: me.cookie, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const l2 = await call('/api/me/verification/registry', {});
      assert.equal(l2.status, 200, await l2.clone().text());
      // The capture docs/verification.md tells a newcomer to make.
      const l3 = await call('/api/me/verification/face', { image: seedCapture(person).toString('base64') });
      assert.equal(l3.status, 200, await l3.clone().text());
      const bound = await call('/api/companies', { creditCode: company.creditCode });
      assert.equal(bound.status, 201, await bound.clone().text());
      assert.equal(((await bound.json()) as { name: string }).name, company.name);
    } finally {
      await p.stop();
    }
  });
});

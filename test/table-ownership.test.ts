/**
 * Invariant: each table is read and written only by the module that owns it; above all,
 * nothing outside the vault touches the personal-data tables, so no code can read a
 * person's data without the vault's purpose and basis check. Tests are exempt: they play
 * auditors and attackers.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const owners: Record<string, string> = {
  vault_subject: 'src/modules/vault/',
  vault_field: 'src/modules/vault/',
  vault_access: 'src/modules/vault/',
  consent: 'src/modules/consent/',
  partner: 'src/modules/sharing/',
  audit_entry: 'src/modules/audit/',
  audit_lane: 'src/modules/audit/',
  audit_checkpoint: 'src/modules/audit/',
  staff_account: 'src/modules/staff/',
  staff_session: 'src/modules/staff/',
  staff_totp: 'src/modules/staff/',
  department: 'src/modules/catalogue/',
  service: 'src/modules/catalogue/',
  schema_migration: 'src/db/',
  citizen_session: 'src/modules/identity/',
  citizen_account: 'src/modules/identity/',
  one_time_code: 'src/modules/identity/',
  relying_party: 'src/modules/catalogue/',
  oidc_model: 'src/oidc/',
  oidc_signing_key: 'src/oidc/',
  company: 'src/modules/company/',
  company_agent: 'src/modules/company/',
  company_acting: 'src/modules/company/',
  linked_account: 'src/modules/linked/',
  linked_flow: 'src/modules/linked/',
  verification_attempt: 'src/modules/verification/',
  known_device: 'src/modules/identity/',
  sign_in_challenge: 'src/modules/identity/',
  login_alert: 'src/modules/identity/',
  totp_factor: 'src/modules/identity/',
  recovery_code: 'src/modules/identity/',
  passkey: 'src/modules/identity/',
  passkey_ceremony: 'src/modules/identity/',
  delivery_request: 'src/modules/delivery/',
  oidc_acting: 'src/oidc/',
  oidc_declined_field: 'src/oidc/',
  rate_limit: 'src/shared/limits.ts',
  notify_outbox: 'src/modules/notify/',
};

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

const SQL_TABLE = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+([a-z_]+)\b/g;

export function violations(files: { path: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { path, text } of files) {
    for (const m of text.matchAll(SQL_TABLE)) {
      const owner = owners[m[1]!];
      if (owner && !path.startsWith(owner)) found.push(`${path}: uses ${m[1]} (owned by ${owner})`);
    }
  }
  return found;
}

test('P4 nothing outside the vault reads personal-data tables; no module reads another module’s tables', () => {
  const files = sources('src').map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  assert.ok(files.length > 20, 'the scan sees the source tree');
  assert.deepEqual(violations(files), []);
});

test('the ownership scan catches a query from outside the vault', () => {
  const bad = [
    {
      path: 'src/modules/identity/x.ts',
      text: "q.query('SELECT ciphertext FROM vault_field WHERE subject_id = $1')",
    },
  ];
  assert.deepEqual(violations(bad), [
    'src/modules/identity/x.ts: uses vault_field (owned by src/modules/vault/)',
  ]);
});

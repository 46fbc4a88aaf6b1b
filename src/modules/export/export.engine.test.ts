/**
 * Invariant (P8.1.export): every table the subject-data contract declares as exported has a
 * way into a person's archive: a generic read by its person column, or its owner's exporter
 * (the vault's tables always through the vault). A declared exported table the engine cannot
 * export fails here, naming it; a table about no person (staff, organisations) is listed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { declareSubjectData, labels, subjectId } from '../../kernel/subject-data.ts';
import type { Database } from '../../kernel/db/database.ts';
import { subjectData } from '../inventory/index.ts';
import type { PolicyService } from '../policy/index.ts';
import type { VaultService } from '../vault/index.ts';
import { oidcExporters } from '../../oidc/export.ts';
import { builtInExporters, planExport } from './index.ts';

const exporters = {
  ...builtInExporters({} as VaultService, {} as PolicyService),
  ...oidcExporters({} as Database),
};

test('P8.1.export every exported table of the inventory has a way into the archive', () => {
  const plan = planExport(subjectData, exporters);
  assert.deepEqual(plan.problems, []);
  const tables = plan.sections.map((s) => s.table);
  // The list: profile, verification, consents, access log, sessions and devices,
  // deliveries, companies and agents, notifications.
  for (const t of [
    'vault_field',
    'citizen_account',
    'verification_attempt',
    'consent',
    'vault_access',
    'citizen_session',
    'known_device',
    'delivery_request',
    'company',
    'company_agent',
    'notification',
    'export_job',
  ])
    assert.ok(tables.includes(t), `${t} is a section`);
  // Only labelled columns: a secret is never a column of a section.
  const session = plan.sections.find((s) => s.table === 'citizen_session')!;
  assert.ok(!session.columns.some((c) => c.name === 'token_hash' || c.name === 'id'));
  assert.ok(
    plan.notAboutAPerson.includes('staff_account'),
    'a staff member’s table is not in a person’s archive',
  );
});

test('an exported table the engine cannot search, or a vault table without the vault, fails the plan', () => {
  const bad = declareSubjectData(new URL('../probe/probe.data.ts', import.meta.url).href, {
    probe_hashed: {
      what: 'a probe',
      retention: { days: 1, after: 'given', at: 'at' },
      erase: { delete: 'rows' },
      export: labels('探', 'Probe', 'Sonda'),
      columns: {
        key: { category: 'technical', subject: 'person', holds: 'keyed-hash' },
        at: { category: 'usage', label: labels('时间', 'When', 'Kdy') },
      },
    },
  });
  const vault = subjectData.filter((d) => d.owner === 'src/modules/vault/');
  const plan = planExport([bad, ...vault], {});
  assert.deepEqual(plan.problems.sort(), [
    'probe_hashed: its person column is a keyed hash, so only an exporter could find the rows',
    "vault_access: the vault's table needs the vault's exporter",
    "vault_field: the vault's table needs the vault's exporter",
    "vault_subject: the vault's table needs the vault's exporter",
  ]);
  // A plain person column is enough for the generic read.
  const plain = declareSubjectData(new URL('../probe/probe.data.ts', import.meta.url).href, {
    probe_plain: {
      what: 'a probe',
      retention: { days: 1, after: 'given', at: 'at' },
      erase: { delete: 'rows' },
      export: labels('探', 'Probe', 'Sonda'),
      columns: {
        subject_id: subjectId('person'),
        at: { category: 'usage', label: labels('时间', 'When', 'Kdy') },
      },
    },
  });
  assert.deepEqual(planExport([plain], {}).problems, []);
});

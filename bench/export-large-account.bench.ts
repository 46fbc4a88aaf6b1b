/**
 * "Download my data" for a large account (P8.1.export): one person with
 * BENCH_EXPORT_ACCESS (default 100,000) access entries and BENCH_EXPORT_AUDIT (default
 * 1,000) audit entries about them, besides a profile, a consent and other people's rows.
 * Access entries are inserted with one INSERT ... SELECT generate_series; the audit entries
 * go through `audit.append` (the chain's hashes are computed by the service, so a bulk
 * INSERT would not be a valid chain), then VACUUM ANALYZE.
 *
 * Timed: from asking (`exports.request`, what POST /me/export does) to the archive being
 * ready (`exports.prepare`, what the `export.prepare` job runs): every section read, both
 * copies written, compressed, encrypted and stored. For context: the sizes, the time of one
 * download (decrypt and decompress the JSON copy, with its audit and access entries).
 *
 * Env: BENCH_EXPORT_ACCESS, BENCH_EXPORT_AUDIT.
 */
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/kernel/db/database.ts';
import { createAuditService, loadSigningKey } from '../src/modules/audit/index.ts';
import { createConsentService } from '../src/modules/consent/index.ts';
import { createExportService } from '../src/modules/export/index.ts';
import { subjectData } from '../src/modules/inventory/index.ts';
import { createPolicyService } from '../src/modules/policy/index.ts';
import { createVaultService, loadLocalKeyManager } from '../src/modules/vault/index.ts';
import { oidcExporters } from '../src/oidc/export.ts';
import { testShown } from '../test/support/policy.ts';
import { context, fmt, report, withAppName, type BenchContext } from './lib.ts';

const ACCESS = Number(process.env.BENCH_EXPORT_ACCESS ?? 100_000);
const AUDIT = Number(process.env.BENCH_EXPORT_AUDIT ?? 1000);

export default async function exportLargeAccount(ctx: BenchContext): Promise<void> {
  const db = openDatabase(withAppName(ctx.url, 'civitas-bench-export'), 10);
  const cfg = {
    mode: 'test' as const,
    dataDir: ctx.tmpDir,
    keyringFile: undefined,
    auditSigningKeyFile: undefined,
  };
  const audit = createAuditService({ db, key: loadSigningKey(cfg) });
  const policy = createPolicyService({ db });
  const consent = await createConsentService({ db, audit, policy });
  const keys = loadLocalKeyManager(cfg);
  try {
    const vault = createVaultService({ db, audit, consent, keys });
    const exports = createExportService({
      db,
      audit,
      vault,
      policy,
      keys,
      owners: subjectData,
      exporters: oidcExporters(db),
      linkDays: 7,
    });
    const person = await vault.createSubject('person');
    const other = await vault.createSubject('person');
    const self = { type: 'self' as const, id: person, label: 'self' };
    await vault.write(
      person,
      { name: '王芳', phone: '13900000001', id_number: '110101199003070011' },
      { source: 'user', purpose: 'service-provision', actor: self },
    );
    await consent.give(
      {
        subjectId: person,
        kind: 'use',
        purpose: 'survey',
        categories: ['contact'],
        channel: 'portal',
        shown: await testShown(db, 'invite me to surveys'),
      },
      { type: 'self', id: person },
    );

    const t0 = performance.now();
    await ctx.db.query(
      `INSERT INTO vault_access (subject_id, occurred_at, operation, actor_type, actor_id, actor_label, purpose,
                                 basis, basis_ref, fields, categories)
       SELECT CASE WHEN g % 5 = 0 THEN $3::uuid ELSE $1::uuid END,
              now() - make_interval(secs => ($2::int - g) * 30),
              (ARRAY['read', 'read', 'read', 'share', 'disclose'])[1 + g % 5],
              (ARRAY['staff', 'department', 'system', 'partner'])[1 + g % 4],
              'actor-' || (g % 997),
              (ARRAY['role:support', 'department:tax', 'system:delivery', 'partner:face-id'])[1 + g % 4],
              (ARRAY['customer-support', 'service-provision', 'offline-delivery'])[1 + g % 3],
              'necessity', jsonb_build_object('service', 'svc-' || (g % 13)), '{name,phone}', '{identity,contact}'
         FROM generate_series(1, $2::int) g`,
      // A fifth more rows than the person's go to another person, interleaved.
      [person, Math.round(ACCESS * 1.25), other],
    );
    for (let i = 0; i < AUDIT; i++)
      await audit.append(db, {
        actor: { type: 'citizen', id: person },
        action: 'vault.fields_written',
        subject: { type: 'person', id: person },
        purpose: 'service-provision',
        clause: 'P3.1',
        detail: { fields: ['name'], source: 'user' },
      });
    await ctx.db.query('VACUUM ANALYZE vault_access');
    await ctx.db.query('VACUUM ANALYZE audit_entry');
    const { rows } = await ctx.db.query<{ access: number; audit: number }>(
      `SELECT (SELECT count(*)::int FROM vault_access WHERE subject_id = $1) AS access,
              (SELECT count(*)::int FROM audit_entry WHERE subject_id = $1::text OR actor_id = $1::text) AS audit`,
      [person],
    );
    context(
      `seeded ${rows[0]!.access} access entries and ${rows[0]!.audit} audit entries of the person in ${fmt((performance.now() - t0) / 1000)} s`,
    );

    const start = performance.now();
    const id = await exports.request(person, 'en');
    const prepared = await exports.prepare(id);
    const seconds = (performance.now() - start) / 1000;
    const [view] = await exports.list(person);
    if (view?.state !== 'ready') throw new Error(`the archive is ${view?.state}`);
    report('export-large-account', seconds, 's', '<=', 3);
    context(
      `${JSON.stringify(prepared)}; JSON ${fmt(view.jsonBytes! / 1e6)} MB, HTML ${fmt(view.htmlBytes! / 1e6)} MB (before compression)`,
    );
    const d0 = performance.now();
    const json = await exports.download(person, id, 'json');
    context(
      `one download (JSON, decrypt + decompress + audit + access entry): ${fmt(performance.now() - d0)} ms, ${json.body.length} bytes`,
    );
  } finally {
    await consent.close();
    await db.close();
  }
}

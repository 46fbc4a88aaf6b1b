/**
 * The incident fan-out (issue 13, P7.2i.notify): BENCH_FANOUT_PEOPLE (default 1,000,000)
 * people whose data was accessed in the incident's window, plus BENCH_FANOUT_OUTSIDE
 * (default 200,000) accessed only before it, seeded with INSERT … SELECT generate_series
 * (not through the vault API). Timed: computing the set (the count the officer sees),
 * freezing it on the incident, and the notice's fan-out over the frozen set in batches of
 * 20,000 (notifications and outbox rows), BENCH_FANOUT_WORKERS (default 2) batches at once.
 *
 * Env: BENCH_FANOUT_PEOPLE, BENCH_FANOUT_OUTSIDE, BENCH_FANOUT_WORKERS.
 */
import { performance } from 'node:perf_hooks';
import { createAuditService, loadSigningKey } from '../src/modules/audit/index.ts';
import { createConsentService } from '../src/modules/consent/index.ts';
import { createIncidentAudience } from '../src/modules/incident/index.ts';
import { createNotifyService } from '../src/modules/notify/index.ts';
import { createVaultService, loadLocalKeyManager } from '../src/modules/vault/index.ts';
import { context, cpuMeter, cpuLine, report, type BenchContext } from './lib.ts';

const PEOPLE = Number(process.env.BENCH_FANOUT_PEOPLE ?? 1_000_000);
const OUTSIDE = Number(process.env.BENCH_FANOUT_OUTSIDE ?? 200_000);
const WORKERS = Number(process.env.BENCH_FANOUT_WORKERS ?? 2);
const BATCH = 20_000;

export default async function incidentFanout(ctx: BenchContext): Promise<void> {
  const { db } = ctx;
  const cfg = {
    mode: 'test' as const,
    dataDir: ctx.tmpDir,
    keyringFile: undefined,
    auditSigningKeyFile: undefined,
  };
  const audit = createAuditService({ db, key: loadSigningKey(cfg) });
  const consent = await createConsentService({ db, audit });
  try {
    const vault = createVaultService({ db, audit, consent, keys: loadLocalKeyManager(cfg) });
    const audience = createIncidentAudience({ db, vault, audit });
    const notify = createNotifyService({ db });

    const t0 = performance.now();
    const total = PEOPLE + OUTSIDE;
    await db.query(
      `INSERT INTO vault_subject (id, kind, key_id, wrapped_key)
       SELECT gen_random_uuid(), 'person', 'bench', '\\x00'::bytea FROM generate_series(1, $1::int)`,
      [total],
    );
    // One entry per person: the first PEOPLE (in id order) within the last hour, the rest
    // two days ago; a quarter of them refused-free reads by a partner, the rest by support.
    await db.query(
      `INSERT INTO vault_access (subject_id, occurred_at, operation, actor_type, actor_id, actor_label, purpose,
                                 basis, fields, categories)
       SELECT id, CASE WHEN rn <= $1 THEN now() - interval '30 minutes' ELSE now() - interval '2 days' END,
              'read', 'staff', 'staff-' || (rn % 97), (ARRAY['role:support', 'partner:face-id'])[1 + rn % 2],
              'customer-support', 'necessity', ARRAY['name', 'phone'], ARRAY['identity', 'contact']
         FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM vault_subject) s`,
      [PEOPLE],
    );
    await db.query('VACUUM ANALYZE vault_subject');
    await db.query('VACUUM ANALYZE vault_access');
    context(
      `seeded ${total} people and their access entries in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const scope = { from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 60_000) };
    // The record the frozen set belongs to (incident_affected references it, migration 0028).
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO incident (title, summary, detected_at, opened_by, operator_type, state, report_due_at)
       VALUES ('bench', 'bench', now(), 'bench', 'other', 'detected', now() + interval '4 hours') RETURNING id`,
    );
    const incident = rows[0]!.id;
    const cpu = cpuMeter();
    const start = performance.now();
    const counted = await audience.count(scope);
    const computed = performance.now();
    const frozen = await audience.freeze(undefined, incident, scope);
    const froze = performance.now();
    if (counted !== PEOPLE || frozen !== PEOPLE)
      throw new Error(`counted ${counted}, frozen ${frozen}, expected ${PEOPLE}`);

    const notice = {
      key: `incident:${incident}`,
      template: 'disclosure-notice' as const,
      params: { time: '2026-12-02 09:00', recipient: 'Civitas' },
    };
    const it = audience.batches(incident, BATCH)[Symbol.asyncIterator]();
    let given = 0;
    let deliveries = 0;
    // The batches are read one after another (keyset), written by WORKERS transactions at once.
    let reading: Promise<IteratorResult<string[]>> | undefined;
    const nextBatch = () => (reading = (reading ?? Promise.resolve(undefined)).then(() => it.next()));
    const worker = async () => {
      for (;;) {
        const r = await nextBatch();
        if (r.done) return;
        const w = await db.tx((q) => notify.fanOut(q, notice, r.value));
        given += w.notifications;
        deliveries += Object.values(w.deliveries).reduce((a, b) => a + b, 0);
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    const end = performance.now();
    if (given !== PEOPLE) throw new Error(`fan-out gave ${given} notices, expected ${PEOPLE}`);
    const seconds = (end - start) / 1000;
    report('incident-fanout-1m', seconds, 's', '<=', 60);
    console.log(`compute: ${((computed - start) / 1000).toFixed(1)} s (${counted} people of ${total})`);
    console.log(`freeze: ${((froze - computed) / 1000).toFixed(1)} s`);
    console.log(
      `fan-out: ${((end - froze) / 1000).toFixed(1)} s (${given} notifications, ${deliveries} outbox rows, ${WORKERS} workers, batches of ${BATCH})`,
    );
    context(cpuLine('incident-fanout-1m', cpu.stop()));
    context(
      `load average before the end: ${(await import('node:os'))
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await consent.close();
  }
}

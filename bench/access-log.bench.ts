/**
 * "Who accessed my data": the first page (20 entries) of `vault.accessLog` for a subject
 * with BENCH_ACCESS_ENTRIES (default 100,000) access entries, interleaved with the entries
 * of 100 other subjects (BENCH_ACCESS_OTHERS_EACH, default 2,000 each) so the table is
 * several times larger than one subject's log and only an index finds the page. A few of
 * the subject's newest entries are under a legal restriction (hidden), as in real life.
 * Entries are inserted with one INSERT ... SELECT generate_series, then VACUUM ANALYZE.
 *
 * Timing: warm-up ~1 s, then BENCH_ACCESS_CALLS (default 200) sequential calls. For
 * context: a page deep in the log (keyset `before`), another subject's first page, and a
 * subject just as busy whose BENCH_ACCESS_OLD (default 100,000) entries all predate
 * everyone else's (a burst of reads last year); EXPLAIN (ANALYZE, BUFFERS) of both first
 * pages.
 *
 * Env: BENCH_WARMUP_MS (default 1000), BENCH_ACCESS_CALLS, BENCH_ACCESS_ENTRIES,
 * BENCH_ACCESS_OTHERS_EACH, BENCH_ACCESS_OLD.
 */
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/kernel/db/database.ts';
import { createAuditService, loadSigningKey } from '../src/modules/audit/index.ts';
import { createConsentService } from '../src/modules/consent/index.ts';
import { createVaultService, loadLocalKeyManager, type AccessView } from '../src/modules/vault/index.ts';
import { context, fmt, percentile, report, withAppName, type BenchContext } from './lib.ts';

const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1000);
const CALLS = Number(process.env.BENCH_ACCESS_CALLS ?? 200);
const ENTRIES = Number(process.env.BENCH_ACCESS_ENTRIES ?? 100_000);
const OTHERS = 100;
const OTHERS_EACH = Number(process.env.BENCH_ACCESS_OTHERS_EACH ?? 2000);
const OLD = Number(process.env.BENCH_ACCESS_OLD ?? 100_000);
/** The subject's newest entries under a legal restriction, spread over its latest 100. */
const HIDDEN = 5;
const PAGE = 20;

/** The query behind `accessLog` (vault.access.ts `accessPage`), for EXPLAIN only. */
// Keep in step with accessPage() in src/modules/vault/vault.access.ts (shown with EXPLAIN).
const PAGE_SQL = `SELECT id, occurred_at AS "occurredAt", operation, actor_type AS "actorType", actor_label AS "actorLabel",
        purpose, basis, categories
   FROM vault_access
  WHERE subject_id = ANY (ARRAY[$1::uuid]) AND ($2::bigint IS NULL OR id < $2)
    AND (visible_from IS NULL OR visible_from <= now())
  ORDER BY subject_id, id DESC LIMIT $3`;

export default async function accessLog(ctx: BenchContext): Promise<void> {
  const app = 'civitas-bench-access-log';
  const db = openDatabase(withAppName(ctx.url, app), 20);
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
    const subject = await vault.createSubject('person');
    const oldSubject = await vault.createSubject('person');
    const others: string[] = [];
    for (let i = 0; i < OTHERS; i++) others.push(await vault.createSubject('person'));

    // Fill, oldest first: rows 1..OLD belong to the old subject; after them, row OLD + h
    // belongs to the subject when h crosses a multiple of k (spreading its entries evenly
    // over the rest of the table), otherwise to one of the others in turn. Ids and times
    // follow the row number.
    const total = ENTRIES + OTHERS * OTHERS_EACH;
    const k = total / ENTRIES;
    const t0 = performance.now();
    await ctx.db.query(
      `INSERT INTO vault_access (subject_id, occurred_at, operation, actor_type, actor_id, actor_label, purpose,
                                 basis, basis_ref, fields, categories, visible_from)
       SELECT CASE WHEN g <= $5::int THEN $6::uuid
                   WHEN floor((g - $5::int) / $3::float8) <> floor((g - $5::int - 1) / $3::float8) THEN $1::uuid
                   ELSE ($2::uuid[])[1 + g % cardinality($2::uuid[])] END,
              now() - make_interval(secs => ($4::int + $5::int - g) * 30),
              (ARRAY['read', 'read', 'read', 'share', 'disclose'])[1 + g % 5],
              (ARRAY['staff', 'department', 'system', 'partner'])[1 + g % 4],
              'actor-' || (g % 997),
              (ARRAY['role:support', 'department:tax', 'system:delivery', 'partner:face-id'])[1 + g % 4],
              (ARRAY['customer-support', 'service-provision', 'offline-delivery'])[1 + g % 3],
              'necessity',
              jsonb_build_object('service', 'hotline-12345'),
              ARRAY['name', 'phone'],
              ARRAY['identity', 'contact'],
              NULL
         FROM generate_series(1, $4::int + $5::int) g`,
      [subject, others, k, total, OLD, oldSubject],
    );
    // A legal restriction hides a few of the subject's recent entries for now.
    await ctx.db.query(
      `UPDATE vault_access SET visible_from = now() + interval '30 days'
        WHERE id IN (SELECT id FROM vault_access WHERE subject_id = $1 ORDER BY id DESC LIMIT 100)
          AND id % $2 = 0`,
      [subject, Math.max(1, Math.floor(100 / HIDDEN))],
    );
    await ctx.db.query('VACUUM ANALYZE vault_access');
    const fillSeconds = (performance.now() - t0) / 1000;
    const counts = await ctx.db.query<{
      mine: number;
      old: number;
      all: number;
      hidden: number;
      size: string;
    }>(
      `SELECT count(*) FILTER (WHERE subject_id = $1)::int AS mine, count(*)::int AS all,
              count(*) FILTER (WHERE subject_id = $1 AND visible_from > now())::int AS hidden,
              count(*) FILTER (WHERE subject_id = $2)::int AS old,
              pg_size_pretty(pg_total_relation_size('vault_access')) AS size
         FROM vault_access`,
      [subject, oldSubject],
    );
    const c = counts.rows[0];
    if (!c || c.mine !== ENTRIES) throw new Error(`subject has ${c?.mine} entries, expected ${ENTRIES}`);
    context(
      `filled vault_access with ${c.all} entries (${c.mine} of the subject, ${c.hidden} of them hidden; ` +
        `${OTHERS} others x ${OTHERS_EACH}; ${c.old} older ones of the old subject) in ${fillSeconds.toFixed(1)} s ` +
        `incl. VACUUM ANALYZE, table + indexes ${c.size}`,
    );

    const check = (page: AccessView[], before: number | null) => {
      if (page.length !== PAGE) throw new Error(`page has ${page.length} entries, expected ${PAGE}`);
      for (let i = 0; i < page.length; i++) {
        const e = page[i]!;
        if (before !== null && e.id >= before) throw new Error(`entry ${e.id} is not before ${before}`);
        if (i > 0 && e.id >= page[i - 1]!.id) throw new Error('page is not newest first');
      }
    };
    const first = await vault.accessLog(subject, { limit: PAGE });
    check(first, null);
    const newest = await ctx.db.query<{ id: number }>(
      `SELECT id FROM vault_access WHERE subject_id = $1 AND (visible_from IS NULL OR visible_from <= now())
        ORDER BY id DESC LIMIT 1`,
      [subject],
    );
    if (first[0]?.id !== newest.rows[0]?.id)
      throw new Error('the first page does not start at the newest entry');
    const middle = await ctx.db.query<{ id: number }>(
      `SELECT id FROM vault_access WHERE subject_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1`,
      [subject, Math.floor(ENTRIES / 2)],
    );
    const deep = middle.rows[0]?.id ?? null;

    const time = async (label: string, fn: () => Promise<unknown>, calls = CALLS): Promise<number[]> => {
      const warmTo = performance.now() + WARMUP_MS;
      while (performance.now() < warmTo) await fn();
      const ms: number[] = [];
      for (let i = 0; i < calls; i++) {
        const s = performance.now();
        await fn();
        ms.push(performance.now() - s);
      }
      ms.sort((a, b) => a - b);
      context(
        `${label}: ${calls} calls, p50 ${fmt(percentile(ms, 50))} ms, p99 ${fmt(percentile(ms, 99))} ms, max ${fmt(ms[ms.length - 1]!)} ms`,
      );
      return ms;
    };

    const firstPage = await time('access-log-first-page', async () =>
      check(await vault.accessLog(subject, { limit: PAGE }), null),
    );
    report('access-log-first-page-p99', percentile(firstPage, 99), 'ms', '<=', 50);
    await time(`access-log-deep-page (before the ${Math.floor(ENTRIES / 2)}th newest)`, async () =>
      check(await vault.accessLog(subject, { limit: PAGE, before: deep ?? undefined }), deep),
    );
    await time(`access-log-first-page of another subject (${OTHERS_EACH} entries)`, async () =>
      check(await vault.accessLog(others[0]!, { limit: PAGE }), null),
    );

    await time(
      `access-log-first-page of the old subject (${OLD} entries, all older than the other ${total})`,
      async () => check(await vault.accessLog(oldSubject, { limit: PAGE }), null),
      Math.min(CALLS, 50),
    );

    const explain = async (subjectId: string): Promise<string> => {
      const { rows } = await ctx.db.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${PAGE_SQL}`,
        [subjectId, null, PAGE],
      );
      const lines = rows.map((r) => r['QUERY PLAN'].trim());
      const planning = lines.findIndex((l) => l.startsWith('Planning'));
      const execution = lines.filter((l) => l.startsWith('Execution Time'));
      return [...lines.slice(0, planning < 0 ? lines.length : planning), ...execution].join(' | ');
    };
    context(`first-page plan: ${await explain(subject)}`);
    context(`old subject's first-page plan: ${await explain(oldSubject)}`);
  } finally {
    await consent.close();
    await db.close();
  }
}

/**
 * Invariant (P1.1): what a single sign-on request costs the database does not grow with the
 * number of tokens stored. Every statement the provider's storage runs per request reaches
 * its rows by key (primary key, uid or grant index): no hash join, bitmap scan or sequential
 * scan over the token table, and a bounded number of pages read, whichever plan PostgreSQL
 * caches for the prepared statement (generic or custom).
 *
 * Counted in pages (EXPLAIN BUFFERS), not time. The table holds 12,000 live rows, the size
 * at which PostgreSQL 15 planned the session's grants as a hash join over every grant.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../test/support/db.ts';
import { fillTokens } from '../../test/support/oidc-tokens.ts';
import { perRequestStatements } from './adapter.ts';
import { findWithRelated } from './unit-of-work.ts';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

let t: TestDatabase;
let c: pg.Client;

/** EXPLAIN (ANALYZE, BUFFERS) of a prepared statement under both plan-cache modes; writes rolled back. */
async function plans(text: string, args: string[]): Promise<{ mode: string; root: PlanNode }[]> {
  const out: { mode: string; root: PlanNode }[] = [];
  for (const mode of ['force_generic_plan', 'force_custom_plan']) {
    await c.query('BEGIN');
    try {
      await c.query(`SET LOCAL plan_cache_mode = ${mode}`);
      await c.query(`PREPARE probe AS ${text}`);
      const params = args.map((a) => `'${a}'`).join(', ');
      const { rows } = await c.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE probe(${params})`,
      );
      out.push({ mode, root: rows[0]!['QUERY PLAN'][0]!.Plan });
    } finally {
      await c.query('ROLLBACK');
      await c.query('DEALLOCATE ALL'); // prepared statements outlive the transaction
    }
  }
  return out;
}

function assertByKey(what: string, plan: { mode: string; root: PlanNode }): void {
  const all = nodes(plan.root);
  // By key: the primary key with its id (not `kind` alone, which is every grant), the uid
  // or grant index; never the expiry index, a sequential scan, or a join over many rows.
  const wide = all.filter(
    (n) =>
      n['Node Type'] === 'Hash Join' ||
      n['Node Type'] === 'Merge Join' ||
      (n['Relation Name'] === 'oidc_model' && n['Node Type'] === 'Seq Scan') ||
      n['Index Name'] === 'oidc_model_expiry_idx' ||
      (n['Index Name'] === 'oidc_model_pkey' && !/\bid = /.test(n['Index Cond'] ?? '')),
  );
  assert.deepEqual(
    wide.map((n) => `${n['Node Type']} ${n['Index Name'] ?? n['Relation Name'] ?? ''}`.trim()),
    [],
    `${what} (${plan.mode}) reaches its rows by key`,
  );
  const pages = (plan.root['Shared Hit Blocks'] ?? 0) + (plan.root['Shared Read Blocks'] ?? 0);
  assert.ok(pages <= 40, `${what} (${plan.mode}) read ${pages} pages`);
}

describe('provider storage plans with many tokens', () => {
  before(async () => {
    t = await createTestDatabase();
    // As the owner: only a table's owner may ANALYZE it, and the plans need its statistics.
    await fillTokens(t.owner, 12_000);
    c = new pg.Client({ connectionString: t.url });
    await c.connect();
  });
  after(async () => {
    await c?.end();
    await t.drop();
  });

  test('P1.1 a session’s find with its grants, and a token’s find with its grant and session, read by key', async () => {
    for (const plan of await plans(findWithRelated.text, ['Session', 'fill-9']))
      assertByKey('session with its grants', plan);
    for (const plan of await plans(findWithRelated.text, ['AccessToken', 'fill-10']))
      assertByKey('access token with grant and session', plan);
  });

  test('P1.1 the adapter’s other per-request statements read by key', async () => {
    const s = perRequestStatements;
    const cases: [string, string, string[]][] = [
      ['find', s.find.text, ['Grant', 'fill-7']],
      ['find by uid', s.findByUid.text, ['Session', 'fill-uid-0']],
      ['consume', s.consume.text, ['RefreshToken', 'fill-5']],
      ['destroy', s.destroy.text, ['Session', 'fill-9']],
      ['revoke by grant', s.revokeGrant.text, ['fill-7']],
    ];
    for (const [what, text, args] of cases)
      for (const plan of await plans(text, args)) assertByKey(what, plan);
  });
});

/**
 * Who an incident affected (P7.2i.notify, ADR 0030): the people of a scope, computed from
 * the records of the modules that own them, counted before anything is sent, and frozen on
 * the incident so that the notice goes to exactly that set.
 *
 * Rules:
 * - The set is the union of: people whose data someone else accessed in [from, to) (the
 *   vault's access log), people whose data someone else wrote in it (the audit chain:
 *   what the access log does not hold), both narrowed by the data categories and actors
 *   given; and the accounts named explicitly. Each comes through its owner's index.ts.
 * - Unknown accounts and unknown categories refuse the scope, listing what was unknown:
 *   nothing the officer named is dropped silently. A window ending before it starts too.
 * - No step holds the set in memory or a transaction open on the sources: the doors yield
 *   batches (keyset on the subject id), merged here in id order.
 * - Freezing is once per incident: a second freeze finds the set and returns its count
 *   (nothing is written twice); the set is written in one transaction, so it exists whole
 *   or not at all.
 * - Only this file touches `incident_affected` (incident.data.ts).
 */
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import { existingAccounts } from '../account/index.ts';
import type { AuditService } from '../audit/index.ts';
import { categories as inventoryCategories, fields as inventoryFields } from '../inventory/index.ts';
import type { VaultService } from '../vault/index.ts';
import { incidentAudienceErrors } from './incident.audience.errors.ts';

/** What the officer scopes an incident by. */
export interface Scope {
  from: Date;
  to: Date;
  categories?: string[];
  actors?: string[];
  accounts?: string[];
}

export interface IncidentAudience {
  /** How many people the scope affects (nothing is written). */
  count(scope: Scope): Promise<number>;
  /** Freezes the scope's people on the incident (once); returns how many there are. */
  freeze(q: Queryable | undefined, incidentId: string, scope: Scope): Promise<number>;
  /** The frozen set, in batches of at most `size`, ascending by id. */
  batches(incidentId: string, size: number): AsyncIterable<string[]>;
  /** How many people are frozen on the incident (0: not frozen). */
  frozen(incidentId: string, q?: Queryable): Promise<number>;
}

/** The audit actions that record personal data others put into the vault. */
const WRITES = ['vault.fields_written'] as const;
const BATCH = 20_000;

export function createIncidentAudience(deps: {
  db: Database;
  vault: Pick<VaultService, 'accessedSubjects'>;
  audit: Pick<AuditService, 'subjectsInWindow'>;
  /** Which of these ids are accounts (the account module's, unless a test brings one). */
  accounts?: (q: Queryable, ids: readonly string[]) => Promise<string[]>;
  batch?: number;
}): IncidentAudience {
  const { db } = deps;
  const knownAccounts = deps.accounts ?? existingAccounts;
  const batch = deps.batch ?? BATCH;

  /** The scope checked, with the named accounts as the account module spells them. */
  async function checked(scope: Scope): Promise<{ scope: Scope; accounts: string[] }> {
    if (!(scope.from.getTime() <= scope.to.getTime()))
      throw new AppError(incidentAudienceErrors.scope_window);
    const unknownCategories = (scope.categories ?? []).filter((c) => !Object.hasOwn(inventoryCategories, c));
    if (unknownCategories.length > 0)
      throw new AppError(incidentAudienceErrors.scope_unknown_categories, unknownCategories.join(', '));
    const named = [...new Set((scope.accounts ?? []).map((a) => a.trim().toLowerCase()))];
    const accounts = named.length > 0 ? await knownAccounts(db, named) : [];
    const found = new Set(accounts);
    const unknown = named.filter((a) => !found.has(a));
    // Account ids are pseudonymous ids the officer typed: they go back to the officer.
    if (unknown.length > 0)
      throw new AppError(incidentAudienceErrors.scope_unknown_accounts, unknown.join(', '));
    return { scope, accounts };
  }

  function people(scope: Scope, accounts: string[]): AsyncIterable<string[]> {
    const narrowed = {
      from: scope.from,
      to: scope.to,
      categories: scope.categories?.length ? scope.categories : undefined,
      actors: scope.actors?.length ? scope.actors : undefined,
    };
    const fields = narrowed.categories
      ? Object.entries(inventoryFields)
          .filter(([, spec]) => narrowed.categories!.includes(spec.category))
          .map(([name]) => name)
      : undefined;
    return union(
      [
        deps.vault.accessedSubjects(narrowed, { batch }),
        deps.audit.subjectsInWindow({ ...narrowed, fields, actions: WRITES, othersOnly: true }, { batch }),
        fromArray(accounts, batch),
      ],
      batch,
    );
  }

  const frozen = async (incidentId: string, q: Queryable = db) =>
    (
      await q.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM incident_affected WHERE incident_id = $1',
        [incidentId],
      )
    ).rows[0]!.n;

  return {
    async count(scope) {
      const c = await checked(scope);
      let n = 0;
      for await (const ids of people(c.scope, c.accounts)) n += ids.length;
      return n;
    },

    async freeze(q, incidentId, scope) {
      const c = await checked(scope);
      const run = async (tx: Queryable) => {
        // Two officers freezing at once: the second waits, then finds the first one's set.
        await tx.query(`SELECT pg_advisory_xact_lock(hashtext('incident_affected:' || $1))`, [incidentId]);
        const already = await frozen(incidentId, tx);
        if (already > 0) return already;
        let n = 0;
        for await (const ids of people(c.scope, c.accounts)) {
          const { rowCount } = await tx.query(
            `INSERT INTO incident_affected (incident_id, subject_id)
             SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
            [incidentId, ids],
          );
          n += rowCount ?? 0;
        }
        return n;
      };
      return q ? run(q) : db.tx(run);
    },

    async *batches(incidentId, size) {
      let after: string | null = null;
      for (;;) {
        const { rows }: { rows: { id: string }[] } = await db.query<{ id: string }>(
          `SELECT subject_id AS id FROM incident_affected
            WHERE incident_id = $1 AND ($2::uuid IS NULL OR subject_id > $2::uuid)
            ORDER BY subject_id LIMIT $3`,
          [incidentId, after, size],
        );
        if (rows.length > 0) yield rows.map((r) => r.id);
        if (rows.length < size) return;
        after = rows[rows.length - 1]!.id;
      }
    },

    frozen,
  };
}

async function* fromArray(ids: readonly string[], size: number): AsyncGenerator<string[]> {
  for (let i = 0; i < ids.length; i += size) yield ids.slice(i, i + size);
}

/**
 * The union of ascending streams of ids, ascending and without repeats, re-cut into
 * batches of `size`. Ids are canonical UUIDs (lower-case, as PostgreSQL prints them), whose
 * string order is their order as uuid.
 */
export async function* union(sources: AsyncIterable<string[]>[], size: number): AsyncGenerator<string[]> {
  const heads = sources.map((s) => ({
    it: s[Symbol.asyncIterator](),
    buf: [] as string[],
    i: 0,
    done: false,
  }));
  const fill = async (h: (typeof heads)[number]) => {
    while (!h.done && h.i >= h.buf.length) {
      const r = await h.it.next();
      if (r.done) h.done = true;
      else {
        h.buf = r.value;
        h.i = 0;
      }
    }
  };
  await Promise.all(heads.map(fill));
  let out: string[] = [];
  let last: string | undefined;
  for (;;) {
    let min: (typeof heads)[number] | undefined;
    for (const h of heads) if (h.i < h.buf.length && (!min || h.buf[h.i]! < min.buf[min.i]!)) min = h;
    if (!min) break;
    const id = min.buf[min.i++]!;
    if (id !== last) {
      out.push(id);
      last = id;
      if (out.length === size) {
        yield out;
        out = [];
      }
    }
    if (min.i >= min.buf.length) await fill(min);
  }
  if (out.length > 0) yield out;
}

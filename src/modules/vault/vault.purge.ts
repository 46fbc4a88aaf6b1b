/**
 * The vault's part of the retention purge (P6.2.purge; ADR 0040): only the vault touches its
 * tables, so the retention module asks it, with who is held and until when it may work.
 *
 * Rules:
 * - A value goes by its field's rule (inventory `retentionRules`): `given` and `decided`
 *   count from when the value was last written; `account-closed` once the person's key was
 *   shredded that long ago (nothing can read the value any more); `withdrawn` once the
 *   separate consent it rests on no longer stands (the caller's consent check). `closed`
 *   follows a case the vault does not see (delivery contacts: the delivery module's purge).
 * - Access entries go three years after they were written (vault.data.ts): a whole month
 *   partition at once when no held person appears in it (ADR 0044), the rest row by row;
 *   a person's key row goes when its grace period passed and nothing of the vault names it.
 * - A held person's rows stay (their ids come from the caller); a category held for
 *   everyone is skipped whole. Batches are small statements that skip locked rows.
 */
import type { Database } from '../../kernel/db/database.ts';
import { dropPartition, monthPartitions } from '../../kernel/db/index.ts';
import { categoryOf, fields, retentionRules, type Field } from '../inventory/index.ts';
import * as repo from './vault.repository.ts';

const ACCESS_DAYS = 1095;
const SUBJECT_DAYS = 30;

export interface VaultPurgeOptions {
  now: Date;
  limit: number;
  dryRun: boolean;
  /** Ids of people a hold keeps these categories for. */
  heldFor(categories: readonly string[]): readonly string[];
  /** Whether a category is held for everyone (a category hold). */
  heldForEveryone(category: string): boolean;
  /** Of these people, those whose consent to keep this category still stands. */
  consented(subjects: readonly string[], category: string): Promise<ReadonlySet<string>>;
  /** Stop starting batches after this instant (the run's time budget). */
  until: number;
  /** Runs one batch at the run's pace (a pause after it); none: back to back. */
  paced?: <T>(batch: () => Promise<T>) => Promise<T>;
}

export interface VaultPurgeResult {
  /** Rows per table or field (`vault_field.<field>`). */
  counts: Record<string, number>;
  /** Categories skipped for everyone by a hold. */
  held: string[];
  /** Rules the vault cannot apply itself, and why. */
  unenforced: { field: string; reason: string }[];
}

export function createVaultPurge(db: Database) {
  async function batches(run: () => Promise<number>, o: VaultPurgeOptions): Promise<number> {
    let total = 0;
    for (;;) {
      const n = o.paced ? await o.paced(run) : await run();
      total += n;
      if (n < o.limit || Date.now() > o.until) return total;
    }
  }

  return async function purge(o: VaultPurgeOptions): Promise<VaultPurgeResult> {
    const result: VaultPurgeResult = { counts: {}, held: [], unenforced: [] };
    const add = (key: string, n: number) => {
      if (n > 0) result.counts[key] = (result.counts[key] ?? 0) + n;
    };
    for (const field of Object.keys(fields) as Field[]) {
      const rule = retentionRules[fields[field].retention];
      const category = categoryOf(field);
      if (o.heldForEveryone(category)) {
        if (!result.held.includes(category)) result.held.push(category);
        continue;
      }
      const held = o.heldFor([category]);
      const p = { field, days: rule.days, now: o.now, held, limit: o.limit };
      const key = `vault_field.${field}`;
      if (rule.after === 'given' || rule.after === 'decided') {
        add(
          key,
          o.dryRun
            ? await repo.countFieldsOlderThan(db, p)
            : await batches(() => repo.purgeFieldsOlderThan(db, p), o),
        );
      } else if (rule.after === 'account-closed') {
        if (!o.dryRun)
          add(key, await batches(() => repo.purgeFieldsOfShredded(db, { ...p, fields: [field] }), o));
      } else if (rule.after === 'withdrawn') {
        add(key, await withoutConsent(field, category, held, o));
      } else {
        result.unenforced.push({
          field,
          reason:
            field === 'delivery_contact'
              ? 'follows its delivery case: the delivery purge erases it'
              : `${rule.days} days after its case is closed: no case records it yet`,
        });
      }
    }
    if (o.heldForEveryone('access_record')) result.held.push('access_record');
    else {
      const p = { days: ACCESS_DAYS, now: o.now, held: o.heldFor(['access_record']), limit: o.limit };
      add('vault_access', await dropMonths(p, o.dryRun));
      add(
        'vault_access',
        o.dryRun
          ? await repo.countAccessOlderThan(db, p)
          : await batches(() => repo.purgeAccessOlderThan(db, p), o),
      );
    }
    if (!o.dryRun) {
      const held = o.heldFor(['identity']);
      add(
        'vault_subject',
        await batches(async () => {
          const due = await repo.shreddedSubjectsDue(db, {
            days: SUBJECT_DAYS,
            now: o.now,
            held,
            limit: o.limit,
          });
          return due.length === 0 ? 0 : deleteReferencedAside(due);
        }, o),
      );
    }
    return result;
  };

  /**
   * Whole months of the access log past its time, dropped (or counted, on a dry run). A month
   * naming a held person, or one the database refuses to drop yet (it ended less than 180
   * days ago by the database's clock), is left to the row-by-row purge.
   */
  async function dropMonths(p: { days: number; now: Date; held: readonly string[] }, dryRun: boolean) {
    const cutoff = p.now.getTime() - p.days * 86_400_000;
    let total = 0;
    for (const month of await monthPartitions(db, 'vault_access')) {
      if (month.to.getTime() > cutoff) break;
      const inside = await repo.accessInMonth(db, { from: month.from, to: month.to, held: p.held });
      if (inside.held) continue;
      if (dryRun) {
        total += inside.rows;
        continue;
      }
      try {
        total += await db.tx((q) => dropPartition(q, 'vault_access', month.name));
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code !== 'P0001' && code !== '55P03') throw err;
      }
    }
    return total;
  }

  /** Values kept on a consent that no longer stands (a kept face image), page by page. */
  async function withoutConsent(
    field: Field,
    category: string,
    held: readonly string[],
    o: VaultPurgeOptions,
  ): Promise<number> {
    let after: string | null = null;
    let total = 0;
    const heldSet = new Set(held);
    for (;;) {
      const page = await repo.holdersOf(db, field, after, o.limit);
      if (page.length === 0) return total;
      after = page.at(-1)!;
      const live = await o.consented(page, category);
      const doomed = page.filter((s) => !live.has(s) && !heldSet.has(s));
      if (doomed.length > 0) total += o.dryRun ? doomed.length : await repo.deleteFieldOf(db, field, doomed);
      if (page.length < o.limit || Date.now() > o.until) return total;
    }
  }

  /**
   * Deletes key rows; one another owner still references (kept consent evidence) stays:
   * each tried under a savepoint so one reference does not keep the rest.
   */
  async function deleteOneByOne(ids: readonly string[]): Promise<number> {
    return db.tx(async (q) => {
      let n = 0;
      for (const id of ids) {
        await q.query('SAVEPOINT one');
        try {
          n += await repo.deleteSubjects(q, [id]);
          await q.query('RELEASE SAVEPOINT one');
        } catch (err) {
          if ((err as { code?: string }).code !== '23503') throw err;
          await q.query('ROLLBACK TO SAVEPOINT one');
        }
      }
      return n;
    });
  }

  async function deleteReferencedAside(ids: readonly string[]): Promise<number> {
    try {
      return await repo.deleteSubjects(db, ids);
    } catch (err) {
      if ((err as { code?: string }).code !== '23503') throw err;
      return deleteOneByOne(ids);
    }
  }
}

export type VaultPurge = ReturnType<typeof createVaultPurge>;

/**
 * The erasure plan: what closing an account does to every declared table, derived from the
 * subject-data contract (every owner's `*.data.ts`, gathered by the inventory). No second
 * list of tables is kept here; a new table is erased as its owner declares, or the test
 * `closure.test.ts` fails naming it.
 *
 * Rules (P8.1.delete, P8.5.cancel, P8.4; ADR 0039):
 * - `delete: rows`: the rows where a column naming a person (or, with `by`, one of those
 *   columns) holds them, as a plain id or under a JSON key, are deleted.
 * - `blank`: the same rows stay with the named columns emptied (a reference that must hold:
 *   the fulfilled closure itself, a decided rights request).
 * - `keep`: kept under its legal basis (audit chain, access record, consent evidence): shown
 *   to the person beforehand as what stays and why (rights.exemptions).
 * - `lapse`, or a person held only as a keyed hash: not findable by person; goes at its
 *   retention (minutes for codes and counters).
 * - The vault's key is destroyed by the vault (`vault.shred`): every value in every copy is
 *   unreadable from then on; the value rows are then deleted like any other.
 * - Deletes run children first, in the order of the schema's foreign keys (read from the
 *   database once), so no statement trips a reference another table still holds.
 */
import { holdsSubjectData, type LegalBasis, type SubjectData } from '../../kernel/subject-data.ts';
import type { SubjectMatch } from './closure.repository.ts';
export { childrenFirst as orderSteps } from '../../kernel/db/foreign-keys.ts';

export interface EraseStep {
  table: string;
  owner: string;
  /** Delete the rows, or blank these columns. */
  action: { delete: true } | { blank: readonly string[] };
  matches: readonly SubjectMatch[];
  /** The data categories the table holds: a legal hold on one keeps the table (P6.2.hold). */
  categories: readonly string[];
}

export interface ErasurePlan {
  steps: EraseStep[];
  kept: { table: string; basis: LegalBasis }[];
  /** Declared for erasure but not findable by person: they go at their retention. */
  lapsing: string[];
}

/** Tables whose owner erases them itself before the plan runs. */
const byOwner = new Set(['vault_subject']);

const namesPerson = (s: string | readonly string[] | undefined) =>
  s === 'person' || (Array.isArray(s) && s.includes('person'));

export function erasurePlan(data: readonly SubjectData[]): ErasurePlan {
  const plan: ErasurePlan = { steps: [], kept: [], lapsing: [] };
  for (const owner of data)
    for (const [table, decl] of Object.entries(owner.tables)) {
      if (!holdsSubjectData(decl)) continue;
      const personColumns = Object.entries(decl.columns).filter(([, c]) => namesPerson(c.subject));
      if (personColumns.length === 0 || byOwner.has(table)) continue;
      const e = decl.erase;
      if ('keep' in e) {
        plan.kept.push({ table, basis: e.keep });
        continue;
      }
      const by = 'delete' in e ? e.by : undefined;
      const matches: SubjectMatch[] = personColumns
        .filter(([name, c]) => c.holds !== 'keyed-hash' && (!by || by.includes(name)))
        .map(([name, c]) =>
          c.holds && typeof c.holds === 'object' ? { column: name, json: c.holds.json } : { column: name },
        );
      if ('lapse' in e || matches.length === 0) {
        plan.lapsing.push(table);
        continue;
      }
      plan.steps.push({
        table,
        owner: owner.owner,
        action: 'delete' in e ? { delete: true } : { blank: e.blank },
        matches,
        categories: [
          ...new Set(
            Object.values(decl.columns)
              .map((c) => c.category)
              .filter((c) => c !== 'technical' && c !== 'per-field'),
          ),
        ],
      });
    }
  return plan;
}

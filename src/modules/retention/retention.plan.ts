/**
 * The retention plan: what the purge deletes, derived from the subject-data declarations
 * (every owner's `*.data.ts`, gathered by the inventory). No second list of tables or
 * periods is kept here; a new table is purged as its owner declares, or the plan test
 * fails naming it.
 *
 * Rules (P6.2.schedule, P6.2.purge; ADR 0040):
 * - A row trigger (`days` after an event recorded in a column) deletes the rows whose column
 *   is older than that; several triggers: whichever falls due first.
 * - A subject trigger (`account-closed`) deletes the rows of subjects whose account closed
 *   that long ago; when the account closed is told by the owner of that kind's accounts
 *   (`SubjectEvents`, given by the wiring). A kind nobody tells of is listed as unenforced,
 *   with the reason, and the plan test holds that list.
 * - `keep` retention: never purged.
 * - Tables whose owner purges them itself (the vault's, whose values and keys only the vault
 *   touches; delivery contacts, whose lifecycle records the erasure) are listed by owner.
 * - What a row is about (its categories) and whom (its person columns) decides whether a
 *   legal hold keeps it.
 */
import {
  holdsSubjectData,
  type LegalBasis,
  type RetentionTrigger,
  type SubjectData,
  type SubjectKind,
} from '../../kernel/subject-data.ts';

/** A column that names a subject, as a plain id or under a JSON key. */
export type SubjectColumn = { column: string; json?: string };

export interface PurgeStep {
  table: string;
  owner: string;
  /** Rows older than these go (a column and its days). */
  rowTriggers: { column: string; days: number; after: string }[];
  /** Rows of subjects whose account closed this long ago go. */
  subjectTriggers: { kind: SubjectKind; column: SubjectColumn; days: number }[];
  /** Columns naming a person: a hold on that person keeps the row. */
  personColumns: SubjectColumn[];
  /** The data categories the table holds (a category hold keeps the whole table). */
  categories: string[];
}

export interface RetentionPlan {
  steps: PurgeStep[];
  /** Purged by their owner's own purge (the vault, delivery). */
  byOwner: { table: string; owner: string }[];
  kept: { table: string; basis: LegalBasis }[];
  /** Declared triggers the engine cannot enforce yet, and why. */
  unenforced: { table: string; reason: string }[];
}

/** Tables whose owner's purge runs instead of the generic one (and why, in the ADR). */
export const ownerPurged: Readonly<Record<string, string>> = {
  vault_field: 'vault',
  vault_access: 'vault',
  vault_subject: 'vault',
  // Append-only: its months are dropped whole after the chain verifies (audit.archive.ts).
  audit_entry: 'audit',
  delivery_request: 'delivery',
  // Its expiry is epoch milliseconds, and Redis expires its own keys: housekeeping's sweep.
  rate_limit: 'shared/limits',
};

const kindsOf = (s: SubjectKind | readonly SubjectKind[] | undefined): readonly SubjectKind[] =>
  s === undefined ? [] : typeof s === 'string' ? [s] : s;

const triggersOf = (r: RetentionTrigger | readonly RetentionTrigger[]): readonly RetentionTrigger[] =>
  Array.isArray(r) ? r : [r as RetentionTrigger];

export function retentionPlan(
  data: readonly SubjectData[],
  eventsKnown: ReadonlySet<SubjectKind>,
): RetentionPlan {
  const plan: RetentionPlan = { steps: [], byOwner: [], kept: [], unenforced: [] };
  for (const owner of data)
    for (const [table, decl] of Object.entries(owner.tables)) {
      if (!holdsSubjectData(decl)) continue;
      const r = decl.retention;
      if ('keep' in r) {
        plan.kept.push({ table, basis: r.keep });
        continue;
      }
      if (Object.hasOwn(ownerPurged, table) || 'byField' in r) {
        plan.byOwner.push({ table, owner: ownerPurged[table] ?? owner.owner });
        continue;
      }
      const columns = Object.entries(decl.columns);
      const subjectColumns = (kind: SubjectKind): SubjectColumn[] =>
        columns
          .filter(([, c]) => kindsOf(c.subject).includes(kind) && c.holds !== 'keyed-hash')
          .map(([name, c]) =>
            c.holds && typeof c.holds === 'object' ? { column: name, json: c.holds.json } : { column: name },
          );
      const step: PurgeStep = {
        table,
        owner: owner.owner,
        rowTriggers: [],
        subjectTriggers: [],
        personColumns: subjectColumns('person'),
        categories: [
          ...new Set(
            columns
              .map(([, c]) => c.category)
              .filter((c) => c !== 'technical' && c !== 'per-field')
              .sort(),
          ),
        ],
      };
      for (const t of triggersOf(r)) {
        if (t.at) {
          step.rowTriggers.push({ column: t.at, days: t.days, after: t.after });
          continue;
        }
        // A subject event happens to the table's own subject (its `subject_id`, else every
        // subject column): a company's row follows the company, not its representative.
        const own = decl.columns['subject_id'];
        const kinds = own?.subject
          ? [...kindsOf(own.subject)]
          : [...new Set(columns.flatMap(([, c]) => kindsOf(c.subject)))];
        const told = kinds.filter((k) => eventsKnown.has(k));
        for (const kind of told)
          for (const column of subjectColumns(kind))
            step.subjectTriggers.push({ kind, column, days: t.days });
        if (told.length === 0)
          plan.unenforced.push({
            table,
            reason: `${t.days} days after ${t.after}: nothing records when a ${kinds.join('/')} account closes`,
          });
      }
      if (step.rowTriggers.length + step.subjectTriggers.length > 0) plan.steps.push(step);
    }
  return plan;
}

/**
 * The export engine: which sections an archive of a person's data has, and where each
 * section's rows come from, derived from the subject-data contract (every owner's
 * `*.data.ts`, gathered by the inventory). No second list of tables is kept here.
 *
 * Rules (P8.1.export; ADR 0036):
 * - Every declared table with an `export` label is a section, labelled in the person's
 *   language, with only the columns that carry a label (a column without one is never
 *   exported: secrets, hashes, technical values).
 * - A section's rows are the person's: those whose declared subject column (`subject`
 *   naming `person`) holds their id, as a plain id or under a JSON key.
 * - Where a generic read is not right, the owner's exporter gives the rows: the vault's
 *   tables (values decrypted by the vault), consents (with the exact text shown), the
 *   provider's rows (only what is not a credential).
 * - Unknown must fail: an exported table with a person column that cannot be searched
 *   (a keyed hash) and no exporter is a planning problem (`planProblems`), and the test
 *   `export.engine.test.ts` fails naming it. A table none of whose columns names a person
 *   (a staff member's, a company's own) is not part of a person's archive.
 */
import {
  holdsSubjectData,
  type Labels,
  type SubjectData,
  type SubjectTable,
} from '../../kernel/subject-data.ts';
import type { Locale } from '../../kernel/locale.ts';
import type { SubjectMatch } from './export.repository.ts';

export type Row = Record<string, unknown>;

export interface SectionColumn {
  name: string;
  label: Labels;
}

/**
 * A batch of rows already written as JSON by the database: the rows' objects joined by
 * commas (no brackets), keyed by the section's column names.
 */
export interface JsonRows {
  json: string;
  count: number;
}

/** The rows of one section for one person, in batches (a big table is paged, never held whole by its reader). */
export type Rows = AsyncIterable<readonly Row[] | JsonRows>;

/**
 * An owner's way to export a table: its rows for the person, given the generic read (which
 * it may enrich or ignore), and the columns if they differ from the labelled ones.
 */
export interface TableExporter {
  rows(subjectId: string, generic: () => Rows): Rows;
  columns?: (declared: readonly SectionColumn[]) => readonly SectionColumn[];
  /**
   * How the readable copy shows a column's codes (a field name, a purpose, categories):
   * their labels in the person's language. The JSON copy keeps the codes.
   */
  display?: Readonly<Record<string, (code: string, locale: Locale) => string>>;
}

export interface SectionPlan {
  table: string;
  owner: string;
  label: Labels;
  columns: readonly SectionColumn[];
  /** The labelled columns as declared: what the generic read selects. */
  declared: readonly SectionColumn[];
  /** The generic read's subject conditions (empty when the exporter alone knows the rows). */
  matches: readonly SubjectMatch[];
  exporter: TableExporter | undefined;
}

export interface Plan {
  sections: SectionPlan[];
  /** Exported tables that are about no person (staff, organisations): not in a person's archive. */
  notAboutAPerson: string[];
  /** Exported tables this plan has no way to export: must be empty. */
  problems: string[];
}

const VAULT = 'src/modules/vault/';

const namesPerson = (s: SubjectTable['columns'][string]['subject']) =>
  s !== undefined && (s === 'person' || (Array.isArray(s) && s.includes('person')));

export function planExport(
  owners: readonly SubjectData[],
  exporters: Readonly<Record<string, TableExporter>>,
): Plan {
  const plan: Plan = { sections: [], notAboutAPerson: [], problems: [] };
  const known = new Set<string>();
  for (const owner of owners) {
    for (const [table, decl] of Object.entries(owner.tables)) {
      known.add(table);
      if (!holdsSubjectData(decl) || 'none' in decl.export) continue;
      const personColumns = Object.entries(decl.columns).filter(([, c]) => namesPerson(c.subject));
      const exporter = exporters[table];
      if (personColumns.length === 0) {
        if (exporter) plan.problems.push(`${table}: an exporter is given for a table about no person`);
        else plan.notAboutAPerson.push(table);
        continue;
      }
      const matches: SubjectMatch[] = [];
      let searchable = true;
      for (const [column, c] of personColumns) {
        if (c.holds === 'keyed-hash') searchable = false;
        else if (c.holds) matches.push({ column, json: c.holds.json });
        else matches.push({ column });
      }
      // Personal data is read through the vault, never by a SELECT of ours.
      if (owner.owner === VAULT && !exporter) {
        plan.problems.push(`${table}: the vault's table needs the vault's exporter`);
        continue;
      }
      if (!searchable && !exporter) {
        plan.problems.push(
          `${table}: its person column is a keyed hash, so only an exporter could find the rows`,
        );
        continue;
      }
      const declared = Object.entries(decl.columns).flatMap(([name, c]) =>
        c.label ? [{ name, label: c.label }] : [],
      );
      if (declared.length === 0) {
        plan.problems.push(`${table}: exported, but no column carries a label`);
        continue;
      }
      plan.sections.push({
        table,
        owner: owner.owner,
        label: decl.export,
        columns: exporter?.columns ? exporter.columns(declared) : declared,
        declared,
        matches,
        exporter,
      });
    }
  }
  for (const table of Object.keys(exporters))
    if (!known.has(table)) plan.problems.push(`${table}: an exporter is given for a table nobody declares`);
  return plan;
}

/**
 * The subject-data contract: how an owner of tables (a module, or the provider, the
 * database layer, the shared limiter) declares what it holds about a subject, in its own
 * `<owner>.data.ts`. The data inventory (modules/inventory) gathers every declaration into
 * one list; export, retention, erasure and docs/data-inventory.md read that list, and
 * test/subject-data.test.ts holds it against the schema snapshot.
 *
 * Rules (policy: P6.2, P8.1, P8.4; ADR 0014):
 * - Every table of the schema is declared by exactly one owner, either as holding subject
 *   data or as holding none (with the reason). Every column of a subject table is declared.
 * - A column that holds a subject's id (or a keyed hash of it, or JSON carrying it) says
 *   so with `subject`; its table has a retention.
 * - Retention is machine-readable: days after a named event (`retentionEvents`), from the
 *   column that records when it happened; several triggers mean "whichever falls due
 *   first". What the law makes us keep names its legal basis instead (`legalBases`).
 * - Erasure says what a person's erasure does to the table: delete their rows, blank named
 *   columns (the row stays for a reference that must hold), keep under a named legal
 *   basis, or let the rows lapse at their retention (they cannot be found by subject).
 * - Export is by label: the table's label and each exported column's label, in zh-CN, en
 *   and cs. A column without a label is not exported (secrets, hashes, technical values).
 *
 * This file imports nothing: `*.data.ts` files import only it (lint-enforced), so the
 * inventory can gather them without an import cycle through the modules' services.
 */

/** Texts in the platform's three languages (same keys as kernel/locale.ts). */
export type Labels = Readonly<{ 'zh-CN': string; en: string; cs: string }>;

export const labels = (zh: string, en: string, cs: string): Labels => ({ 'zh-CN': zh, en, cs });

/** Whose data: a natural person, an organisation (a bound company), a staff member. */
export type SubjectKind = 'person' | 'organisation' | 'staff';

/**
 * The events a retention counts from. `row` events happen to the row itself and name the
 * column that records when (`at`); `subject` events happen to the subject's account.
 */
export const retentionEvents = {
  given: { on: 'row', means: 'the data was given, or the record written' },
  'last-used': { on: 'row', means: 'the record was last used' },
  expired: { on: 'row', means: 'the record’s own expiry time passed' },
  consumed: { on: 'row', means: 'the single-use record was used' },
  ended: { on: 'row', means: 'the session, factor or authorisation was ended or revoked' },
  withdrawn: { on: 'row', means: 'the consent was withdrawn' },
  decided: { on: 'row', means: 'the case the record serves was decided' },
  closed: { on: 'row', means: 'the case the record serves was closed' },
  'account-closed': {
    on: 'subject',
    means:
      'the subject’s account was closed (a person’s account, a company’s binding, a staff account disabled)',
  },
} as const satisfies Record<string, { on: 'row' | 'subject'; means: string }>;

export type RetentionEvent = keyof typeof retentionEvents;

/** Grounds on which data outlives a person's erasure request (P8.4: exemptions are explicit). */
export const legalBases = {
  'audit-chain': {
    means:
      'The tamper-evident audit chain (P7.2) cannot lose an entry without breaking; entries hold pseudonymous ids and codes only, and stop pointing at anyone once the person’s vault key is shredded.',
    label: labels(
      '防篡改审计记录（仅含标识符和代码）',
      'Tamper-evident audit record (identifiers and codes only)',
      'Záznam auditu chráněný proti změnám (jen identifikátory a kódy)',
    ),
  },
  'access-record': {
    means:
      'The record of who read, shared or disclosed the person’s data, under which basis (P5.1.2, P5.3.3): the proof that each use was lawful.',
    label: labels(
      '个人信息访问与提供记录',
      'Record of access to and disclosure of personal data',
      'Záznam o přístupu k osobním údajům a jejich poskytnutí',
    ),
  },
  'consent-evidence': {
    means:
      'The proof that a consent was given, for what, under which text, and when it ended: the platform must be able to show it (P5.1.1), so it is kept for its retention after it ends.',
    label: labels('同意的证明', 'Proof of consent', 'Doklad o souhlasu'),
  },
  'legal-hold': {
    means:
      'A legal hold (P6.2) is the record of why a person’s data was kept past its time: it outlives their account for as long as the hold and its own retention last.',
    label: labels('依法保全记录', 'Record of a legal hold', 'Záznam o zákonném uchování'),
  },
  'staff-accountability': {
    means:
      'A staff account stays (without credentials) while audit entries and decisions name it, so every staff action remains attributable (P7.2).',
    label: labels(
      '工作人员操作的可追溯性',
      'Accountability for staff actions',
      'Dohledatelnost úkonů pracovníků',
    ),
  },
} as const satisfies Record<string, { means: string; label: Labels }>;

export type LegalBasis = keyof typeof legalBases;

export interface RetentionTrigger {
  days: number;
  after: RetentionEvent;
  /** For a row event: the column recording when it happened. Absent for subject events. */
  at?: string;
}

export type Retention =
  | RetentionTrigger
  /** Whichever falls due first. */
  | readonly RetentionTrigger[]
  /** Each row follows the inventory field named in this column (the vault's values). */
  | { readonly byField: string }
  | { readonly keep: LegalBasis };

export type Erasure =
  /**
   * The subject's rows go: those where a column naming the subject's kind holds them, or
   * only where one of the `by` columns does (a row that merely mentions them, such as the
   * person who granted an authorisation to someone else, stays).
   */
  | { readonly delete: 'rows'; readonly by?: readonly string[] }
  | { readonly blank: readonly string[] }
  | { readonly keep: LegalBasis }
  /** Not findable by subject (keyed hashes of a source address…): goes at its retention. */
  | { readonly lapse: true };

/** Why a subject table is not in the person's export. */
export const notExported = {
  credential: 'credential material (hashes, sealed secrets): never handed out, not even to the person',
  transient: 'lives minutes (a ceremony, a code, a counter) and is gone before an export could show it',
  'shown-elsewhere': 'the same facts are exported from another table of the same owner',
  'legal-restriction':
    'the record of a legal hold (its authority, document and case) may not be disclosed while the hold lasts; the person is told that data is held and on which basis',
} as const;

export type NotExported = keyof typeof notExported;

/** What a column is: a data category (the inventory's), or one of the structural kinds. */
export interface ColumnSpec<C extends string = string> {
  /**
   * `technical`: tells nothing about the subject beyond the row's existence (row ids,
   * versions). `per-field`: the category of the inventory field named by the row.
   */
  category: C | 'technical' | 'per-field';
  /** Holds the id of a subject of this kind (or a keyed hash of it, or JSON carrying it). */
  subject?: SubjectKind | readonly SubjectKind[];
  /** How the id is held when not as the plain id: inside JSON under a key, or as a keyed hash. */
  holds?: { json: string } | 'keyed-hash';
  /** Exported under this label; none: not exported. */
  label?: Labels;
}

export interface SubjectTable<C extends string = string> {
  /** One line for docs/data-inventory.md: what a row is. */
  what: string;
  retention: Retention;
  erase: Erasure;
  export: Labels | { readonly none: NotExported };
  columns: Readonly<Record<string, ColumnSpec<C>>>;
}

/** A table that holds no subject data (catalogue, keys, migrations), and why. */
export interface NoSubjectTable {
  none: string;
}

export type TableDeclaration<C extends string = string> = SubjectTable<C> | NoSubjectTable;

export interface SubjectData<C extends string = string> {
  /** The owner's path from the repository root: its folder (`src/modules/vault/`) or one file. */
  owner: string;
  tables: Readonly<Record<string, TableDeclaration<C>>>;
}

export const holdsSubjectData = <C extends string>(t: TableDeclaration<C>): t is SubjectTable<C> =>
  'columns' in t;

/** Column shorthands for the common cases. */
export const technical = { category: 'technical' } as const;
export const subjectId = <const K extends SubjectKind | readonly SubjectKind[]>(kind: K) =>
  ({ category: 'technical', subject: kind }) as const;

const SRC = new URL('../', import.meta.url);

/**
 * Declares an owner's tables. `from` is the declaring file's `import.meta.url`: the owner
 * is its folder, or `only` (a file in that folder) when one file alone may touch them.
 */
export function declareSubjectData<const T extends Readonly<Record<string, TableDeclaration>>>(
  from: string,
  tables: T,
  opts: { only?: string } = {},
): { owner: string; tables: T } {
  const file = new URL(from);
  if (!file.href.startsWith(SRC.href)) throw new Error(`subject data declared outside src/: ${from}`);
  const folder = `src/${new URL('./', file).href.slice(SRC.href.length)}`;
  return { owner: opts.only ? `${folder}${opts.only}` : folder, tables };
}

/**
 * What cannot be deleted or changed, and why (P8.4): read from the subject-data
 * declarations, never written twice. A table that a person's erasure keeps names its legal
 * basis (`erase: { keep }`); the person sees each basis with the data it covers before they
 * ask, and every refusal on an exemption cites one of these bases by its code.
 */
import { holdsSubjectData, legalBases, type Labels, type LegalBasis } from '../../kernel/subject-data.ts';
import { subjectData } from '../inventory/index.ts';

export interface Exemption {
  basis: LegalBasis;
  /** The basis as the person reads it. */
  label: Labels;
  /** The data it keeps: the export labels of the tables it covers. */
  covers: Labels[];
}

const aboutPeople = (columns: Record<string, { subject?: string | readonly string[] }>) =>
  Object.values(columns).some(
    (c) => c.subject === 'person' || (Array.isArray(c.subject) && c.subject.includes('person')),
  );

let cached: Exemption[] | undefined;

/** Every basis on which a person's data outlives their erasure, with what it keeps. */
export function exemptions(): Exemption[] {
  if (cached) return cached;
  const byBasis = new Map<LegalBasis, Labels[]>();
  for (const owner of subjectData)
    for (const table of Object.values(owner.tables)) {
      if (!holdsSubjectData(table) || !('keep' in table.erase) || !aboutPeople(table.columns)) continue;
      const list = byBasis.get(table.erase.keep) ?? [];
      if ('zh-CN' in table.export) list.push(table.export);
      byBasis.set(table.erase.keep, list);
    }
  cached = [...byBasis].map(([basis, covers]) => ({ basis, label: legalBases[basis].label, covers }));
  return cached;
}

export const isExemption = (code: string): code is LegalBasis => exemptions().some((e) => e.basis === code);

/**
 * The privacy policy's sections, one per top-level clause of policy/clauses.md (§1–§10).
 * A clause ID (P2.1, P8.1.export, P4.x) belongs to the section of its number; the page
 * gives each section the anchor `#P<n>`, so a refusal links to where its rule is explained.
 */
import type { MessageKey } from '../../i18n/index.ts';

export const SECTIONS = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9', 'P10'] as const;
export type Section = (typeof SECTIONS)[number];

export function sectionOf(clause: string | undefined): Section | undefined {
  const n = /^P(\d+)(?:\.|$)/.exec(clause ?? '')?.[1];
  return SECTIONS.find((s) => s === `P${n}`);
}

export const sectionTitle = (s: Section): MessageKey => `privacy.${s}.title`;
export const sectionBody = (s: Section): MessageKey => `privacy.${s}.body`;

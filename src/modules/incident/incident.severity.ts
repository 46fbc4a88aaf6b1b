/**
 * The severity class an incident's numbers suggest, and its report clock (P7.2i.report;
 * ADR 0031). Pure functions: the service passes the configured thresholds and hours.
 *
 * Rules:
 * - Class from the people affected: more than the class I threshold → I, more than II → II,
 *   more than III → III, more than IV → IV; at or below the IV threshold no class is
 *   suggested (the officer judges: the plan names no lower bound for 一般).
 * - Sensitive personal information (PIPL Art. 28: biometric, id documents, minors, …) in the
 *   incident's categories raises the suggestion by one class (IV → III …, I stays I); with
 *   fewer people than the IV threshold but at least one, it suggests IV. Only a suggestion:
 *   the officer confirms the class.
 * - The report is due at detection + the hours configured for the operator type.
 */
import { categories as categorySpecs } from '../inventory/index.ts';
import type { IncidentClock, OperatorType, Severity } from './incident.types.ts';

export interface SeverityThresholds {
  I: number;
  II: number;
  III: number;
  IV: number;
}

export type ReportHours = Readonly<Record<OperatorType, number>>;

const ORDER: readonly Severity[] = ['IV', 'III', 'II', 'I'];

export function suggestSeverity(
  affected: number,
  categories: readonly string[],
  t: SeverityThresholds,
): Severity | null {
  let level = affected > t.I ? 4 : affected > t.II ? 3 : affected > t.III ? 2 : affected > t.IV ? 1 : 0;
  const sensitive = categories.some(
    (c) => Object.hasOwn(categorySpecs, c) && categorySpecs[c as keyof typeof categorySpecs].sensitive,
  );
  if (sensitive && affected > 0) level = Math.min(4, level + 1);
  return level === 0 ? null : ORDER[level - 1]!;
}

export function reportDueAt(detectedAt: Date, operator: OperatorType, hours: ReportHours): Date {
  return new Date(detectedAt.getTime() + hours[operator] * 3_600_000);
}

export function clockOf(due: Date, reportedAt: Date | null, now: Date): IncidentClock {
  // Once reported the clock stops: what remains is what remained at the report.
  const at = reportedAt ?? now;
  const remainingMs = due.getTime() - at.getTime();
  return { dueAt: due, remainingMs, overdue: remainingMs < 0 };
}

/**
 * The retention purge (P6.2.purge; ADR 0040): deletes what is past its declared time, in
 * bounded batches, everywhere it is held, except what a legal hold keeps.
 *
 * Rules:
 * - Holds past their end date are ended first (audited), so what they kept goes in this run.
 * - Tables are worked children first (foreign keys); each batch is one short statement that
 *   skips rows another transaction holds, so no run holds a lock for long or waits on one.
 *   A step a reference still blocks is reported and retried at the next run.
 * - The vault purges its own tables (vault.purge.ts); its counts join the report.
 * - A run that deleted anything appends one audit entry: counts per table and per category,
 *   never a value or an id of a person. A dry run deletes nothing and audits nothing.
 * - Each run stops starting batches after its time budget; the next run continues.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../../kernel/db/database.ts';
import { clock } from '../../kernel/clock.ts';
import { childrenFirst, foreignKeys } from '../../kernel/db/foreign-keys.ts';
import type { SubjectData, SubjectKind } from '../../kernel/subject-data.ts';
import type { AuditArchive, AuditService } from '../audit/index.ts';
import { ensureCurrentPartitions } from '../../kernel/db/index.ts';
import { categoryOf, isField } from '../inventory/index.ts';
import type { VaultPurge } from '../vault/index.ts';
import { heldForEveryone, heldPeople, type Holds } from './retention.holds.ts';
import { retentionPlan, type PurgeStep, type RetentionPlan } from './retention.plan.ts';
import * as repo from './retention.repository.ts';

export interface RunReport {
  dryRun: boolean;
  at: Date;
  /** Rows deleted (or, in a dry run, that would be) per table, or vault field. */
  tables: Record<string, number>;
  /** The same rows per data category. */
  categories: Record<string, number>;
  /** Tables or categories a hold kept whole in this run. */
  heldBack: string[];
  /** Steps a foreign key still blocked (retried next run). */
  blocked: string[];
  /** Declared rules the run cannot apply yet, and why. */
  unenforced: { table: string; reason: string }[];
  holdsEnded: number;
  total: number;
  /** Months dropped whole from the partitioned logs, and what kept the oldest due month. */
  months: { table: string; partition: string; rows: number }[];
  monthKept?: { table: string; partition: string; reason: string };
  /** Month partitions made ahead of time in this run. */
  partitionsMade: number;
}

export interface RetentionDeps {
  db: Database;
  audit: AuditService;
  holds: Holds;
  /** Every owner's declarations (the inventory's `subjectData`). */
  data: readonly SubjectData[];
  /** When accounts of each kind closed (closure for people, staff for staff accounts). */
  events: repo.SubjectEvents;
  /** The tables those events are read from: purged last in a run. */
  eventTables?: readonly string[];
  vaultPurge: VaultPurge;
  /** Drops the audit chain's months past its time (audit.archive.ts); none: they stay. */
  auditArchive?: AuditArchive;
  /** Of these people, those whose consent covering the category still stands (consent). */
  consented(subjects: readonly string[], category: string): Promise<ReadonlySet<string>>;
  batch: number;
  budgetSeconds: number;
  /**
   * The share of a run's time spent deleting (1–100 %): after each batch it waits in
   * proportion, so the requests people make meanwhile keep most of the database.
   */
  dutyPercent?: number;
}

const SYSTEM = { type: 'system' as const, id: 'retention.purge' };

/**
 * The order of a run: children before the rows they reference, and the tables that record
 * when accounts closed last, so a row due at the same time as its account's closing record
 * (a consent three years after the closure) still finds the event that makes it due.
 */
export function runOrder(
  steps: readonly PurgeStep[],
  references: ReadonlyMap<string, readonly string[]>,
  eventTables: readonly string[],
): PurgeStep[] {
  const ordered = childrenFirst(steps, references);
  return [
    ...ordered.filter((s) => !eventTables.includes(s.table)),
    ...ordered.filter((s) => eventTables.includes(s.table)),
  ];
}

export function createRetentionService(deps: RetentionDeps) {
  const { db } = deps;
  const plan: RetentionPlan = retentionPlan(deps.data, new Set(Object.keys(deps.events) as SubjectKind[]));
  let ordered: PurgeStep[] | undefined;
  const steps = async () => (ordered ??= runOrder(plan.steps, await foreignKeys(db), deps.eventTables ?? []));
  const where = new Map(plan.steps.map((s) => [s.table, repo.pastTime(s, deps.events)]));
  const auditDays = declaredDays(deps.data, 'audit_entry');

  return {
    plan,

    async run(opts: { dryRun?: boolean; now?: Date } = {}): Promise<RunReport> {
      const dryRun = opts.dryRun ?? false;
      const now = opts.now ?? clock.date();
      const until = Date.now() + deps.budgetSeconds * 1000;
      const report: RunReport = {
        dryRun,
        at: now,
        tables: {},
        categories: {},
        heldBack: [],
        blocked: [],
        unenforced: [...plan.unenforced],
        holdsEnded: dryRun ? 0 : await deps.holds.endDue(now),
        total: 0,
        months: [],
        partitionsMade: dryRun ? 0 : (await ensureCurrentPartitions(db, now)).length,
      };
      const coverage = await deps.holds.coverage(now);
      const duty = Math.min(Math.max(deps.dutyPercent ?? 100, 1), 100) / 100;
      /** One batch, then the pause its own duration calls for. */
      const paced = async <T>(batch: () => Promise<T>): Promise<T> => {
        const t0 = performance.now();
        const out = await batch();
        if (duty < 1) await sleep(((performance.now() - t0) * (1 - duty)) / duty);
        return out;
      };
      const count = (table: string, cats: readonly string[], n: number) => {
        if (n <= 0) return;
        report.tables[table] = (report.tables[table] ?? 0) + n;
        for (const c of cats) report.categories[c] = (report.categories[c] ?? 0) + n;
        report.total += n;
      };

      for (const step of await steps()) {
        if (heldForEveryone(coverage, step.categories)) {
          report.heldBack.push(step.table);
          continue;
        }
        const p = { now, held: heldPeople(coverage, step.categories), limit: deps.batch };
        const w = where.get(step.table)!;
        if (dryRun) {
          count(step.table, step.categories, await repo.countPastTime(db, step, w, p));
          continue;
        }
        try {
          for (;;) {
            const n = await paced(() => repo.purgeBatch(db, step, w, p));
            count(step.table, step.categories, n);
            if (n < deps.batch || Date.now() > until) break;
          }
        } catch (err) {
          if ((err as { code?: string }).code !== '23503') throw err;
          report.blocked.push(step.table);
        }
      }

      const vault = await deps.vaultPurge({
        now,
        limit: deps.batch,
        dryRun,
        until,
        heldFor: (cats) => heldPeople(coverage, cats),
        heldForEveryone: (cat) => heldForEveryone(coverage, [cat]),
        consented: deps.consented,
        paced,
      });
      for (const [key, n] of Object.entries(vault.counts)) {
        const field = key.startsWith('vault_field.') ? key.slice('vault_field.'.length) : '';
        count(key, isField(field) ? [categoryOf(field)] : key === 'vault_access' ? ['access_record'] : [], n);
      }
      report.heldBack.push(...vault.held.map((c) => `vault:${c}`));

      if (deps.auditArchive && auditDays !== undefined) {
        const held = heldForEveryone(coverage, ['access_record']);
        const a = held
          ? {
              dropped: [],
              kept: { partition: 'audit_entry', reason: 'a legal hold keeps the access records of everyone' },
            }
          : await deps.auditArchive({
              now,
              days: auditDays,
              dryRun,
              held: heldPeople(coverage, ['access_record']),
            });
        for (const d of a.dropped) {
          count('audit_entry', ['access_record'], d.entries);
          report.months.push({ table: 'audit_entry', partition: d.partition, rows: d.entries });
        }
        if (a.kept) report.monthKept = { table: 'audit_entry', ...a.kept };
      }
      report.unenforced.push(
        ...vault.unenforced.map((u) => ({ table: `vault_field.${u.field}`, reason: u.reason })),
      );

      if (!dryRun && report.total > 0)
        await db.tx((q) =>
          deps.audit.append(q, {
            actor: SYSTEM,
            action: 'retention.purged',
            clause: 'P6.2.purge',
            detail: {
              total: report.total,
              tables: report.tables,
              categories: report.categories,
              heldBack: report.heldBack,
            },
          }),
        );
      return report;
    },
  };
}

export type RetentionService = ReturnType<typeof createRetentionService>;

/** A table's declared retention in days (one row trigger), as its owner wrote it. */
function declaredDays(data: readonly SubjectData[], table: string): number | undefined {
  for (const owner of data) {
    const decl = owner.tables[table];
    if (decl && 'retention' in decl && 'days' in decl.retention) return decl.retention.days;
  }
  return undefined;
}

/** The report as an operator reads it (`civitas retention run`): counts only, never values. */
export function formatRetentionReport(r: RunReport): string {
  const rows = Object.entries(r.tables).sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(10, ...rows.map(([t]) => t.length));
  return [
    `${r.dryRun ? 'would delete' : 'deleted'} ${r.total} rows past their retention (${r.at.toISOString()})`,
    ...rows.map(([t, n]) => `  ${t.padEnd(width)} ${n}`),
    ...(Object.keys(r.categories).length > 0
      ? ['by category:', ...Object.entries(r.categories).map(([c, n]) => `  ${c.padEnd(width)} ${n}`)]
      : []),
    ...(r.months.length > 0
      ? ['whole months dropped:', ...r.months.map((m) => `  ${m.partition.padEnd(width)} ${m.rows}`)]
      : []),
    ...(r.monthKept ? [`oldest month kept: ${r.monthKept.partition}: ${r.monthKept.reason}`] : []),
    ...(r.heldBack.length > 0 ? [`kept whole by a legal hold: ${r.heldBack.join(', ')}`] : []),
    ...(r.blocked.length > 0 ? [`still referenced, retried next run: ${r.blocked.join(', ')}`] : []),
    ...(r.holdsEnded > 0 ? [`legal holds ended at their end date: ${r.holdsEnded}`] : []),
    ...(r.unenforced.length > 0
      ? ['not applied yet:', ...r.unenforced.map((u) => `  ${u.table}: ${u.reason}`)]
      : []),
  ].join('\n');
}

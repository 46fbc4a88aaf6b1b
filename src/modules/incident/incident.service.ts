/**
 * The incident record (P7.2i.record, P7.2i.report; ADR 0031): a security officer opens an
 * incident, moves it along its lifecycle table, scopes and freezes who it affected,
 * confirms its severity class, reports it to the cyberspace authority by its clock and
 * tells the affected people.
 *
 * Rules:
 * - Only the security officer changes an incident (`mayRunIncidents`); the DPO may read
 *   incidents (`mayReadIncidents`, checked by the routes). A refusal names its reason.
 * - Every step is one transaction: the change, its timeline entry (author: the staff id, or
 *   none for the platform's clock job) and its audit entry, so the timeline and the chain
 *   never disagree with the record.
 * - Steps go through the lifecycle table (incident.lifecycle.ts); an illegal step is
 *   refused 409 `incident.transition_refused` (`incident.closed` from closed) and audited.
 *   `reported` is reached only by recording the report's submission, `people_told` only by
 *   sending the notice; closing a reported incident whose frozen audience was not told is
 *   refused.
 * - The audience is frozen once (`incident.already_scoped` after); freezing sets the count
 *   and the suggested class (incident.severity.ts); the officer confirms the class.
 * - The notice (`incident-notice`, key `incident:<id>`) goes once per person however often
 *   it is sent (fanOut skips those who have it); a drill counts the audience and writes no
 *   notification, no delivery and no announcement, and its timeline says so.
 * - The report clock runs from detection by the operator type's hours; the clock job writes
 *   `reminded` once when half the time is gone and `escalated` once when it is overdue, for
 *   an incident not yet reported.
 */
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { clock } from '../../kernel/clock.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Locale } from '../../kernel/locale.ts';
import type { AuditService } from '../audit/index.ts';
import { categories as categorySpecs } from '../inventory/index.ts';
import type { Localised, NotifyService } from '../notify/index.ts';
import type { IncidentAudience } from './incident.audience.ts';
import { incidentErrors } from './incident.errors.ts';
import { eventTo, incidentLifecycle } from './incident.lifecycle.ts';
import { reportFields, reportText } from './incident.report.ts';
import * as repo from './incident.repository.ts';
import {
  clockOf,
  reportDueAt,
  suggestSeverity,
  type ReportHours,
  type SeverityThresholds,
} from './incident.severity.ts';
import {
  operatorTypes,
  severities,
  type AnnouncePort,
  type Incident,
  type IncidentService,
  type IncidentState,
  type StaffActor,
  type TimelineKind,
  type UpdatableFields,
} from './incident.types.ts';

/** Only the security officer runs incidents (P7.2 least privilege; docs/operations.md). */
export const mayRunIncidents = (role: string): boolean => role === 'security_officer';
/** The DPO reads them too: the notice and the report concern people's information. */
export const mayReadIncidents = (role: string): boolean => role === 'security_officer' || role === 'dpo';

const BATCH = 20_000;
const DAY = 86_400_000;
const noticeKeyOf = (id: string) => `incident:${id}`;
const listJoin: Record<Locale, string> = { 'zh-CN': '、', en: ', ', cs: ', ' };

/** What the notice says for a part the officer has not written (never an empty line). */
const notYetKnown: Localised = { 'zh-CN': '待查明', en: 'Not yet known', cs: 'Zatím nezjištěno' };
/** What a person can do, when the officer wrote nothing more specific (issue 13 part 7). */
const defaultAdvice: Localised = {
  'zh-CN': '请重置您的密码，在 Civitas 查看“谁访问了我的数据”，并在“账号安全”中退出所有设备。',
  en: 'Reset your password, check Who accessed my data on Civitas, and sign out everywhere under Account security.',
  cs: 'Obnovte si heslo, podívejte se v Civitas do části Kdo přistupoval k mým údajům a v Zabezpečení účtu se odhlaste ze všech zařízení.',
};

const categoryTexts = (cats: readonly string[]): Localised => {
  const of = (l: Locale) =>
    cats.map((c) => categorySpecs[c as keyof typeof categorySpecs]?.label[l] ?? c).join(listJoin[l]);
  return cats.length === 0 ? notYetKnown : { 'zh-CN': of('zh-CN'), en: of('en'), cs: of('cs') };
};

const written = (v: string | null): Localised => (v ? { 'zh-CN': v } : notYetKnown);

export interface IncidentDeps {
  db: Database;
  audit: AuditService;
  audience: IncidentAudience;
  notify: Pick<NotifyService, 'fanOut' | 'noticeProgress'>;
  /** INCIDENT_CLASS_*_PEOPLE. */
  thresholds: SeverityThresholds;
  /** INCIDENT_REPORT_HOURS_*. */
  reportHours: ReportHours;
  /** The staff module's display names, for the timeline and the report's contact person. */
  staffNames?: (ids: readonly string[]) => Promise<Map<string, string>>;
  /** The home-page announcement (the announcements module; wired when merged). */
  announce?: AnnouncePort;
  /** The operator's name on the report (报告单位). */
  reportingUnit?: string;
  /** How long the home-page announcement stays up. */
  announceDays?: number;
  batchSize?: number;
}

export function createIncidentService(deps: IncidentDeps): IncidentService {
  const { db, audit } = deps;
  const batchSize = deps.batchSize ?? BATCH;
  const t = deps.thresholds;
  // A misordered configuration would suggest a lower class for more people: refuse to start.
  if (!(t.I > t.II && t.II > t.III && t.III > t.IV && t.IV >= 1))
    throw new Error('INCIDENT_CLASS_*_PEOPLE must decrease from class I to class IV');
  const names = deps.staffNames ?? (async () => new Map<string, string>());

  const mustRun = (by: StaffActor) => {
    if (!mayRunIncidents(by.role)) throw new AppError(incidentErrors.not_allowed, by.role);
  };
  const invalid = (detail: string): never => {
    throw new AppError(incidentErrors.invalid, detail);
  };
  const found = async (q: Queryable, id: string, lock = false) => {
    const i = await repo.find(q, id, lock);
    if (!i) throw new AppError(incidentErrors.unknown);
    return i;
  };
  const notClosed = (i: Incident) => {
    if (i.state === 'closed') throw new AppError(incidentErrors.closed);
  };

  /** The timeline entry and the audit entry of one step, in the step's transaction. */
  async function record(
    q: Queryable,
    i: Incident,
    step: {
      kind: TimelineKind;
      action: Parameters<AuditService['append']>[1]['action'];
      by: StaffActor | null;
      state?: IncidentState | null;
      note?: string | null;
      detail?: Record<string, unknown>;
    },
  ) {
    await repo.appendTimeline(q, i.id, {
      at: clock.date(),
      kind: step.kind,
      state: step.state ?? null,
      authorId: step.by?.id ?? null,
      note: step.note ?? null,
    });
    await audit.append(q, {
      actor: step.by ? { type: 'staff', id: step.by.id } : { type: 'system', id: 'incident.clock' },
      action: step.action,
      subject: { type: 'incident', id: i.id },
      clause: 'P7.2i',
      detail: { drill: i.drill, ...step.detail },
    } as Parameters<AuditService['append']>[1]);
  }

  const text = (v: unknown, field: string, max: number, required = false): string | null => {
    if (v === null || v === undefined) return required ? invalid(field) : null;
    if (typeof v !== 'string') return invalid(field);
    const t = v.trim();
    if (t.length === 0) return required ? invalid(field) : null;
    if (t.length > max) invalid(field);
    return t;
  };
  const list = (v: unknown, field: string, known?: (x: string) => boolean): string[] => {
    if (!Array.isArray(v)) return invalid(field);
    const out = [...new Set(v.map((x) => (typeof x === 'string' ? x.trim() : invalid(field))))].filter(
      Boolean,
    );
    if (out.length > 50 || out.some((x) => x.length > 120 || (known && !known(x)))) invalid(field);
    return out;
  };
  const knownCategory = (c: string) => Object.hasOwn(categorySpecs, c);

  /** A refused step is in the chain too: who tried what, and why it was refused. */
  async function refused<T>(by: StaffActor, id: string, attempt: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof AppError && err.status === 409 && (await repo.find(db, id)))
        await audit.append(db, {
          actor: { type: 'staff', id: by.id },
          action: 'incident.step_refused',
          subject: { type: 'incident', id },
          clause: err.clause ?? null,
          detail: { code: err.code, attempt },
        });
      throw err;
    }
  }

  async function people(i: Incident): Promise<number> {
    return deps.audience.frozen(i.id);
  }

  const service: IncidentService = {
    async open(by, input) {
      mustRun(by);
      const title = text(input.title, 'title', 200, true)!;
      const summary = text(input.summary, 'summary', 4000, true)!;
      if (!(input.detectedAt instanceof Date) || Number.isNaN(input.detectedAt.getTime()))
        invalid('detectedAt');
      // Detection cannot lie ahead: the report clock would start in the future.
      if (input.detectedAt.getTime() > clock.now() + 60_000) invalid('detectedAt');
      if (!operatorTypes.includes(input.operatorType)) invalid('operatorType');
      const systems = list(input.systems, 'systems');
      const categories = list(input.categories, 'categories', knownCategory);
      const cause = text(input.cause, 'cause', 4000);
      return db.tx(async (q) => {
        const i = await repo.insert(q, {
          title,
          summary,
          detectedAt: input.detectedAt,
          openedAt: clock.date(),
          systems,
          categories,
          cause,
          operatorType: input.operatorType,
          drill: input.drill === true,
          reportDueAt: reportDueAt(input.detectedAt, input.operatorType, deps.reportHours),
          openedBy: by.id,
        });
        await record(q, i, {
          kind: 'opened',
          action: 'incident.opened',
          by,
          state: 'detected',
          note: i.drill ? 'drill' : null,
          detail: { operatorType: i.operatorType, categories, systems: systems.length },
        });
        return i;
      });
    },

    list: (filter) => repo.list(db, filter?.open),

    async get(id) {
      const incident = await repo.find(db, id);
      if (!incident) return null;
      const rows = await repo.timeline(db, id);
      const ids = [...new Set(rows.flatMap((r) => (r.authorId ? [r.authorId] : [])))];
      const shown = ids.length > 0 ? await names(ids) : new Map<string, string>();
      return {
        incident,
        timeline: rows.map((r) => ({
          at: r.at,
          kind: r.kind,
          state: r.state,
          author: r.authorId ? { id: r.authorId, name: shown.get(r.authorId) ?? r.authorId } : null,
          note: r.note,
        })),
      };
    },

    async advance(by, id, to, note) {
      mustRun(by);
      const why = text(note, 'note', 2000);
      return refused(by, id, `advance:${to}`, () =>
        db.tx(async (q) => {
          const i = await found(q, id, true);
          const event = Object.hasOwn(eventTo, to) ? eventTo[to] : undefined;
          if (!event) throw new AppError(incidentErrors.transition_refused, `${i.state} → ${to}`);
          // These two are reached by doing the step, never by saying it was done.
          if (event === 'report' || event === 'tell') {
            if (i.state === 'closed') throw new AppError(incidentErrors.closed);
            throw new AppError(
              event === 'report' ? incidentErrors.not_reported : incidentErrors.transition_refused,
              event === 'report' ? 'record the report’s submission' : 'send the notice',
            );
          }
          const next = incidentLifecycle.next(i.state, event);
          if (event === 'close' && i.state === 'reported' && (await people(i)) > 0)
            throw new AppError(incidentErrors.transition_refused, 'the affected people were not told');
          const moved = await repo.setState(q, id, next);
          await record(q, moved, {
            kind: 'state',
            action: 'incident.state_changed',
            by,
            state: next,
            note: why,
            detail: { from: i.state, to: next },
          });
          return moved;
        }),
      );
    },

    async reopen(by, id, note) {
      mustRun(by);
      const why = text(note, 'note', 2000, true);
      return refused(by, id, 'reopen', () =>
        db.tx(async (q) => {
          const i = await found(q, id, true);
          const next = incidentLifecycle.next(i.state, 'reopen');
          const moved = await repo.setState(q, id, next);
          await record(q, moved, {
            kind: 'reopened',
            action: 'incident.reopened',
            by,
            state: next,
            note: why,
            detail: { from: i.state },
          });
          return moved;
        }),
      );
    },

    async update(by, id, fields) {
      mustRun(by);
      const changes: Partial<Record<keyof UpdatableFields, unknown>> = {};
      for (const k of ['cause', 'harm', 'measures', 'advice', 'contact'] as const)
        if (fields[k] !== undefined) changes[k] = text(fields[k], k, 4000);
      if (fields.summary !== undefined) changes.summary = text(fields.summary, 'summary', 4000, true);
      if (fields.systems !== undefined) changes.systems = list(fields.systems, 'systems');
      if (fields.categories !== undefined)
        changes.categories = list(fields.categories, 'categories', knownCategory);
      const names = Object.keys(changes);
      if (names.length === 0) invalid('nothing to change');
      return db.tx(async (q) => {
        const i = await found(q, id, true);
        notClosed(i);
        const done = await repo.setFields(q, id, changes);
        // The timeline names what changed; the record holds the text.
        await record(q, done, {
          kind: 'updated',
          action: 'incident.updated',
          by,
          note: names.join(', '),
          detail: { fields: names },
        });
        return done;
      });
    },

    async confirmSeverity(by, id, severity) {
      mustRun(by);
      if (!severities.includes(severity)) invalid('severity');
      return db.tx(async (q) => {
        const i = await found(q, id, true);
        notClosed(i);
        const done = await repo.setSeverity(q, id, severity);
        await record(q, done, {
          kind: 'severity',
          action: 'incident.severity_confirmed',
          by,
          note: severity,
          detail: { severity, suggested: i.suggestedSeverity, previous: i.severity },
        });
        return done;
      });
    },

    async previewAudience(by, id, scope) {
      mustRun(by);
      await found(db, id);
      return deps.audience.count(scope);
    },

    async freezeAudience(by, id, scope) {
      mustRun(by);
      return db.tx(async (q) => {
        const i = await found(q, id, true);
        notClosed(i);
        if (i.scope !== null) throw new AppError(incidentErrors.already_scoped, String(i.affectedCount));
        const n = await deps.audience.freeze(q, id, scope);
        const cats = [...new Set([...i.categories, ...(scope.categories ?? [])])];
        const suggested = suggestSeverity(n, cats, deps.thresholds);
        const done = await repo.setScope(q, id, scope, n, suggested);
        await record(q, done, {
          kind: 'scoped',
          action: 'incident.scoped',
          by,
          note: String(n),
          detail: {
            people: n,
            suggested,
            from: scope.from.toISOString(),
            to: scope.to.toISOString(),
            categories: scope.categories ?? [],
            actors: scope.actors ?? [],
            accounts: scope.accounts?.length ?? 0,
          },
        });
        return n;
      });
    },

    clock: (i, now = clock.date()) => clockOf(i.reportDueAt, i.reportedAt, now),

    async report(id) {
      const i = await found(db, id);
      const opener = (await repo.timeline(db, id)).find((t) => t.kind === 'opened')?.authorId ?? null;
      const contactPerson = opener ? ((await names([opener])).get(opener) ?? null) : null;
      const fields = reportFields(i, { unit: deps.reportingUnit ?? 'Civitas 平台运营单位', contactPerson });
      return { text: reportText(i, fields), fields };
    },

    async submitReport(by, id, input) {
      mustRun(by);
      const channel = text(input.channel, 'channel', 100, true)!;
      const reference = text(input.reference, 'reference', 200);
      return refused(by, id, 'submitReport', () =>
        db.tx(async (q) => {
          const i = await found(q, id, true);
          const next = incidentLifecycle.next(i.state, 'report');
          const at = clock.date();
          await repo.insertReport(q, {
            incidentId: id,
            channel,
            reference,
            submittedBy: by.id,
            submittedAt: at,
          });
          const done = await repo.setReported(q, id, at, next);
          const c = clockOf(i.reportDueAt, null, at);
          await record(q, done, {
            kind: 'reported',
            action: 'incident.report_submitted',
            by,
            state: next,
            note: reference ? `${channel} · ${reference}` : channel,
            detail: { channel, reference, overdue: c.overdue, remainingMs: c.remainingMs },
          });
          return done;
        }),
      );
    },

    async send(by, id) {
      mustRun(by);
      const key = noticeKeyOf(id);
      return refused(by, id, 'send', async () => {
        const i = await found(db, id);
        if (i.scope === null) throw new AppError(incidentErrors.not_scoped);
        // Sending again completes a half-sent notice (nobody gets it twice) but moves nothing.
        if (i.state !== 'people_told') incidentLifecycle.next(i.state, 'tell');
        else if (i.drill) return { noticeKey: key, queued: 0 };
        const missing = (['harm', 'measures', 'contact'] as const).filter((k) => !i[k]);
        if (missing.length > 0)
          throw new AppError(incidentErrors.invalid, `notice needs ${missing.join(', ')}`);
        const params = {
          what: { 'zh-CN': i.summary },
          data: categoryTexts(i.categories),
          cause: written(i.cause),
          harm: written(i.harm),
          measures: written(i.measures),
          advice: i.advice ? { 'zh-CN': i.advice } : defaultAdvice,
          contact: written(i.contact),
        };
        const notice = { key, template: 'incident-notice' as const, params, drill: i.drill };
        let queued = 0;
        for await (const ids of deps.audience.batches(id, batchSize))
          queued += (await db.tx((q) => deps.notify.fanOut(q, notice, ids))).notifications;
        if (i.state === 'people_told') return { noticeKey: key, queued };
        await db.tx(async (q) => {
          const now = await found(q, id, true);
          // Two officers sending at once: the second finds it told and moves nothing.
          if (now.state === 'people_told') return;
          const next = incidentLifecycle.next(now.state, 'tell');
          const done = await repo.setNotice(q, id, key, next);
          if (deps.announce && !i.drill)
            await deps.announce.publish(q, {
              key,
              kind: 'incident',
              template: 'incident-notice',
              params,
              expiresAt: new Date(clock.now() + (deps.announceDays ?? 30) * DAY),
              drill: i.drill,
              by,
            });
          await record(q, done, {
            kind: 'sent',
            action: 'incident.notice_sent',
            by,
            state: next,
            // A drill says so where the officer reads it: nobody was reached.
            note: i.drill ? `drill: ${queued}` : String(queued),
            detail: { people: queued },
          });
        });
        return { noticeKey: key, queued };
      });
    },

    progress: (id) => deps.notify.noticeProgress(noticeKeyOf(id)),

    async runClock(now = clock.date()) {
      const pass = (kind: 'reminded' | 'escalated') =>
        db.tx(async (q) => {
          const due = await repo.clockDue(q, kind, now);
          for (const i of due)
            await record(q, i, {
              kind,
              action: kind === 'reminded' ? 'incident.report_reminded' : 'incident.report_escalated',
              by: null,
              note: i.reportDueAt.toISOString(),
              detail: { dueAt: i.reportDueAt.toISOString(), operatorType: i.operatorType },
            });
          return due.length;
        });
      const reminded = await pass('reminded');
      const escalated = await pass('escalated');
      return { reminded, escalated };
    },
  };
  return service;
}

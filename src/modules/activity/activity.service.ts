/**
 * The activity history and "this wasn't me" (issue 14 item 3; ADR 0038).
 *
 * Rules:
 * - P8.1.view the history is the audit chain's entries about the person whose actions the
 *   kinds table lists (activity.kinds.ts: sign-ins, security changes, consents, requests),
 *   merged with the access log's releases to outside actors (the vault), newest first.
 *   Read through their owners' doors; nothing here reads their tables. Only codes leave
 *   the audit detail the history shows: the sign-in method, the device's kind, whether a
 *   place was shared, whether it succeeded.
 * - Filtered by kind and paged by keyset on (time, log, id) in both directions: no OFFSET,
 *   an entry arriving meanwhile shifts no page, a page deep in the past costs what the
 *   first does. The cursor is opaque to the page (`<µs>.<log>.<id>`), and a malformed one
 *   is the first page.
 * - P7.3 "this wasn't me" on a sign-in or a security change of the person's own (another's
 *   entry or one of another kind is `activity.unknown_entry`, 404) does, in one transaction:
 *   opens a `suspicious_report` (open; the same entry reported again is the same case),
 *   ends every portal session, every provider session and every grant with its tokens,
 *   requires a new password before any sign-in completes (the account flag checked by the
 *   sign-in path; a password reset clears it), and records `activity.reported_not_me`.
 *   Services are told by back-channel logout once it committed.
 * - Support (role `support`) lists open cases oldest first and closes one with a note
 *   (open → closed, activity.lifecycle.ts; `activity.report_closed`); other roles are refused.
 */
import type { Database } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Locale } from '../../kernel/locale.ts';
import { requirePasswordRenewal } from '../account/index.ts';
import type { AuditService, HistoryCursor, PersonEntry } from '../audit/index.ts';
import type { CitizenSessions, ProviderSessions } from '../session/index.ts';
import type { VaultService } from '../vault/index.ts';
import { activityErrors } from './activity.errors.ts';
import { kindActions, kindOf, reportable, unsuccessful, type ActivityKind } from './activity.kinds.ts';
import { reportLifecycle } from './activity.lifecycle.ts';
import * as repo from './activity.repository.ts';

export type Report = repo.ReportRow;

/** One entry as the history shows it: codes only, the page words them. */
export interface ActivityEntry {
  /** The entry's place in the history (a page link starts after or before it). */
  cursor: string;
  /** The audit entry's id (what "this wasn't me" names); null for a release. */
  entryId: number | null;
  kind: ActivityKind;
  /** The audit action, or `release`. */
  action: string;
  occurredAt: Date;
  succeeded: boolean;
  /** Sign-ins: how, on which kind of device, whether a place was shared. */
  method?: string;
  deviceKind?: string;
  placeShared?: boolean;
  /** Done by staff (an unlock, a phone bound at a service hall). */
  byStaff: boolean;
  /** Releases and consents: to whom (an actor code, `department:tax`), which categories. */
  to?: string;
  actorType?: string;
  categories?: string[];
  reportable: boolean;
  /** Already reported and still open. */
  reported: boolean;
}

export interface ActivityPage {
  entries: ActivityEntry[];
  newer: boolean;
  older: boolean;
}

export interface ActivityService {
  history(
    personId: string,
    q: { kind?: ActivityKind; before?: string; after?: string; limit: number },
  ): Promise<ActivityPage>;
  /**
   * "This wasn't me": ends every session and grant, requires a new password, opens a case.
   * Returns the case (the same one when the entry was reported before and is still open).
   */
  reportNotMe(personId: string, entryId: number, o: { locale: Locale; requestId?: string }): Promise<Report>;
  /** The entry "this wasn't me" would be about, or `activity.unknown_entry`. */
  reportableEntry(
    personId: string,
    entryId: number,
  ): Promise<{ id: number; action: string; occurredAt: Date }>;
  /** Support's desk: open cases, oldest first. */
  openCases(staff: { id: string; role: string }): Promise<Report[]>;
  close(
    staff: { id: string; role: string },
    reportId: string,
    note: string,
    requestId?: string,
  ): Promise<Report>;
}

export const mayHandleReports = (role: string): boolean => role === 'support';

const AUDIT = 0;
const VAULT = 1;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const encode = (c: HistoryCursor) => `${c.at}.${c.rank}.${c.id}`;
function decode(s: string | undefined): HistoryCursor | null {
  const m = /^(\d{1,19})\.([01])\.(\d{1,19})$/.exec(s ?? '');
  if (!m) return null;
  const id = Number(m[3]);
  return Number.isSafeInteger(id) ? { at: m[1]!, rank: Number(m[2]), id } : null;
}

/** Descending order of (time, log, id), as the history shows it. */
const newestFirst = (a: HistoryCursor, b: HistoryCursor) => {
  const ta = BigInt(a.at);
  const tb = BigInt(b.at);
  if (ta !== tb) return ta > tb ? -1 : 1;
  return b.rank - a.rank || b.id - a.id;
};

export function createActivityService(deps: {
  db: Database;
  audit: AuditService;
  vault: VaultService;
  sessions: CitizenSessions;
  providerSessions: ProviderSessions;
}): ActivityService {
  const { db, audit, vault } = deps;
  const auditActions = (kind?: ActivityKind): string[] =>
    kind === 'release'
      ? []
      : kind
        ? [...kindActions[kind]]
        : Object.values(kindActions).flatMap((a) => [...a]);

  const fromAudit = (e: PersonEntry, open: ReadonlySet<number>): ActivityEntry => {
    const d = e.detail;
    const kind = kindOf(e.action)!;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    // A consent names the service it was given to (the client id), and its categories.
    const recipient = kind === 'consent' ? (str(d.recipient) ?? str(d.clientId)) : undefined;
    const categories = Array.isArray(d.categories)
      ? d.categories.filter((c): c is string => typeof c === 'string')
      : undefined;
    return {
      cursor: encode({ at: e.at, rank: AUDIT, id: e.id }),
      entryId: e.id,
      kind,
      action: e.action,
      occurredAt: e.occurredAt,
      succeeded: !unsuccessful.includes(e.action),
      ...(kind === 'signin' ? { method: str(d.method) ?? 'password' } : {}),
      ...(str(d.deviceKind) ? { deviceKind: str(d.deviceKind)! } : {}),
      ...(d.place === 'shared' ? { placeShared: true } : {}),
      byStaff: e.actorType === 'staff',
      ...(recipient ? { to: `department:${recipient}`, actorType: 'department' } : {}),
      ...(kind === 'consent' && categories ? { categories } : {}),
      reportable: reportable.includes(e.action),
      reported: open.has(e.id),
    };
  };

  return {
    // policy: P8.1.view — sign-ins, security changes, consents, requests, releases; keyset pages.
    async history(personId, q) {
      const limit = Math.min(Math.max(q.limit, 1), 100);
      const towardsNewer = q.after !== undefined && q.before === undefined;
      const cursor = decode(towardsNewer ? q.after : q.before);
      const direction = towardsNewer ? ('newer' as const) : ('older' as const);
      const actions = auditActions(q.kind);
      const [entries, releases, reports] = await Promise.all([
        actions.length > 0
          ? audit.aboutPerson(personId, { actions, rank: AUDIT, cursor, direction, limit: limit + 1 })
          : Promise.resolve([]),
        q.kind === undefined || q.kind === 'release'
          ? vault.releases(personId, { rank: VAULT, cursor, direction, limit: limit + 1 })
          : Promise.resolve([]),
        repo.reportsOf(db, personId),
      ]);
      const open = new Set(reports.filter((r) => r.state === 'open').map((r) => r.entryId));
      const merged: { key: HistoryCursor; entry: ActivityEntry }[] = [
        ...entries.map((e) => ({ key: { at: e.at, rank: AUDIT, id: e.id }, entry: fromAudit(e, open) })),
        ...releases.map((r) => ({
          key: { at: r.at, rank: VAULT, id: r.id },
          entry: {
            cursor: encode({ at: r.at, rank: VAULT, id: r.id }),
            entryId: null,
            kind: 'release' as const,
            action: 'release',
            occurredAt: r.occurredAt,
            succeeded: true,
            byStaff: false,
            to: r.actorLabel,
            actorType: r.actorType,
            categories: r.categories,
            reportable: false,
            reported: false,
          },
        })),
      ];
      merged.sort((a, b) => (towardsNewer ? -newestFirst(a.key, b.key) : newestFirst(a.key, b.key)));
      const more = merged.length > limit;
      const page = merged.slice(0, limit).map((m) => m.entry);
      if (towardsNewer) page.reverse();
      // Coming from a cursor, there is always something on its other side: the cursor's entry.
      return towardsNewer
        ? { entries: page, newer: more, older: cursor !== null }
        : { entries: page, newer: cursor !== null, older: more };
    },

    async reportableEntry(personId, entryId) {
      const entry = await audit.entryAbout(personId, entryId, reportable);
      if (!entry) throw new AppError(activityErrors.unknown_entry);
      return { id: entry.id, action: entry.action, occurredAt: entry.occurredAt };
    },

    // policy: P7.3 — every session and grant ended, a new password required, a case opened.
    async reportNotMe(personId, entryId, o) {
      const entry = await audit.entryAbout(personId, entryId, reportable);
      if (!entry) throw new AppError(activityErrors.unknown_entry);
      const sessionsBefore = (await deps.sessions.list(personId, undefined)).length;
      const { report, tell } = await db.tx(async (q) => {
        const { row, created } = await repo.openReport(q, {
          subjectId: personId,
          entryId: entry.id,
          entryAction: entry.action,
          entryAt: entry.occurredAt,
          locale: o.locale,
          sessionsEnded: sessionsBefore,
        });
        await deps.sessions.revokeAll(q, personId);
        await requirePasswordRenewal(q, personId);
        await audit.append(q, {
          actor: { type: 'citizen', id: personId },
          action: 'activity.reported_not_me',
          subject: { type: 'person', id: personId },
          purpose: 'account-security',
          clause: 'P7.3',
          detail: { report: row.id, entry: entry.id, entryAction: entry.action, again: !created },
          requestId: o.requestId ?? null,
        });
        const tell = await deps.providerSessions.end(q, {
          subjectId: personId,
          revokeGrants: true,
          reason: 'reported-not-me',
        });
        return { report: row, tell };
      });
      await tell();
      return report;
    },

    async openCases(staff) {
      if (!mayHandleReports(staff.role)) throw new AppError(activityErrors.forbidden);
      return repo.openReports(db, 200);
    },

    async close(staff, reportId, note, requestId) {
      if (!mayHandleReports(staff.role)) throw new AppError(activityErrors.forbidden);
      if (!UUID.test(reportId)) throw new AppError(activityErrors.unknown_report);
      const text = note.trim();
      if (text === '' || text.length > 2000) throw new AppError(activityErrors.note_required);
      return db.tx(async (q) => {
        const found = await repo.findReport(q, reportId, { forUpdate: true });
        if (!found) throw new AppError(activityErrors.unknown_report);
        const to = reportLifecycle.next(found.state, 'close'); // activity.closed
        const row = await repo.closeReport(q, reportId, found.state, to, staff.id, text);
        if (!row) throw new AppError(activityErrors.closed);
        await audit.append(q, {
          actor: { type: 'staff', id: staff.id },
          action: 'activity.report_closed',
          subject: { type: 'person', id: row.subjectId },
          purpose: 'customer-support',
          clause: 'P7.3',
          detail: { report: row.id },
          requestId: requestId ?? null,
        });
        return row;
      });
    },
  };
}

/**
 * Closing an account (P8.5.cancel): the person first sees what happens, asks (after a
 * fresh proof), may undo it during a cooling-off period, and then the platform closes it.
 *
 * Rules:
 * - The preview shows the services that will lose the person (connected services), what is
 *   erased, what is kept and why (the exemptions, P8.4), the cooling-off end and the
 *   deadline, and what blocks closing: a company on Civitas whose legal representative the
 *   person is (the company would be left with nobody to answer for it) must be handed over
 *   first. `request` refuses while anything blocks, naming it.
 * - The deadline is counted in Chinese working days (RIGHTS_CANCELLATION_WORKING_DAYS, 15
 *   by GB/T 35273-2020 §8.5); the cooling-off period (CLOSURE_COOLING_OFF_DAYS) ends no
 *   later than the deadline. Until it ends the account works as before and the person can
 *   undo the closure; they are told on asking and on undoing, in the language they asked in.
 * - Support records a closure for a person after checking who they are in person, with the
 *   ticket; the rest is the same.
 * - Closing runs in one transaction per account, on one node (SKIP LOCKED): the account
 *   state goes to `closed`, every portal and provider session ends and every grant with its
 *   tokens is revoked, a RISC `account-purged` event is owed to every connected service
 *   that registered a push endpoint (enqueued as jobs: the outbox), the vault key is
 *   destroyed, and every owner's declared erasure runs (closure.erasure.ts). After commit,
 *   each service of an ended session gets its back-channel logout (retried by its job).
 * - What stays: the closure row (identifiers and dates), the audit chain (pseudonymous ids
 *   and codes; it still verifies), the access record and the consent evidence (their legal
 *   bases). The phone number and ID number find nobody and can register again.
 */
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import { isLocale } from '../../kernel/locale.ts';
import { clock } from '../../kernel/clock.ts';
import type { Labels, SubjectData } from '../../kernel/subject-data.ts';
import { holdsSubjectData } from '../../kernel/subject-data.ts';
import { chinaDayBefore, type WorkingDays } from '../../shared/working-days.ts';
import { accountState, changeAccountState } from '../account/index.ts';
import type { AuditService } from '../audit/index.ts';
import type { Outbox } from '../notify/index.ts';
import type { ProviderSessions } from '../session/index.ts';
import { mayHandleRights, rightsErrors, type Exemption } from '../rights/index.ts';
import { categoryOf, fields as vaultFields, type Field } from '../inventory/index.ts';
import { closureErrors } from './closure.errors.ts';
import { erasurePlan, orderSteps, type EraseStep } from './closure.erasure.ts';
import * as repo from './closure.repository.ts';

/** A service that will lose the person (from connected services). */
export interface AffectedService {
  clientId: string;
  name: Labels | Record<string, string>;
  policyUrl: string | null;
}

/** A legal hold as closing needs it: what it keeps (null: every category), and on which basis. */
export interface HeldBy {
  basis: string;
  categories: readonly string[] | null;
  endsAt: Date | null;
  reviewAt: Date | null;
}

/** An event owed to a service, enqueued in the closing transaction. */
export interface OwedEvent {
  clientId: string;
}

export interface ClosureDeps {
  db: Database;
  audit: AuditService;
  outbox: Pick<Outbox, 'enqueue'>;
  calendar: WorkingDays;
  cancellationWorkingDays: number;
  coolingOffDays: number;
  /** Every owner's declarations (the inventory's `subjectData`). */
  data: readonly SubjectData[];
  exemptions: () => Exemption[];
  services: (subjectId: string) => Promise<AffectedService[]>;
  /** Companies on Civitas whose legal representative the person is (still bound). */
  representing: (subjectId: string) => Promise<{ id: string; name: string }[]>;
  sessions: { revokeAll(q: Queryable, subjectId: string): Promise<void> };
  provider: ProviderSessions;
  vault: {
    shred(
      subjectId: string,
      by: { type: 'system'; id: string; label: string },
      reason: 'account-closed',
      within?: Queryable,
    ): Promise<void>;
    erase(
      subjectId: string,
      fields: readonly Field[],
      meta: {
        actor: { type: 'system'; id: string; label: string };
        reason: 'account-closed';
        clause: 'P8.1.delete';
      },
      within?: Queryable,
    ): Promise<unknown>;
  };
  /** P6.2.hold the legal holds in force on a person (retention's holds). */
  holds?: { onPerson(subjectId: string, q?: Queryable): Promise<HeldBy[]> };
  securityEvents: {
    owed(subjectId: string, clientIds: readonly string[], at: Date): Promise<OwedEvent[]>;
  };
  log: (msg: string, detail: Record<string, unknown>) => void;
}

export interface ClosurePreview {
  services: AffectedService[];
  /** What is erased: the export labels of the data erased. */
  erased: Labels[];
  kept: Exemption[];
  /** P6.2.hold legal holds in force on the person: what they keep stays after closing. */
  held: HeldBy[];
  blockers: { companies: { id: string; name: string }[] };
  /** If the person closed their account now: when the cooling-off would end, and the deadline. */
  closesDay: string;
  dueDay: string;
  /** A closure already waiting. */
  waiting: ClosureView | undefined;
}

export interface ClosureView extends repo.ClosureRow {
  closesDay: string;
  dueDay: string;
}

export interface ClosureService {
  preview(subjectId: string): Promise<ClosurePreview>;
  /** The person asks, after a fresh proof (the caller checked it). */
  request(subjectId: string, c: { locale: string; requestId?: string }): Promise<ClosureView>;
  /** Support records it after the in-person identity check, with the ticket. */
  recordForPerson(
    staff: { id: string; role: string },
    subjectId: string,
    c: { ticketRef: string; locale: string; requestId?: string },
  ): Promise<ClosureView>;
  /**
   * The DPO fulfils a cancellation rights request (identity confirmed there): the closure
   * starts as if support recorded it, the request as its ticket. A closure already waiting
   * is the answer (a repeated fulfilment starts nothing new).
   */
  recordForRightsRequest(
    staff: { id: string; role: string },
    subjectId: string,
    c: { rightsRequest: string; locale: string; requestId?: string | undefined },
  ): Promise<ClosureView>;
  undo(subjectId: string, c: { requestId?: string }): Promise<ClosureView>;
  waiting(subjectId: string): Promise<ClosureView | undefined>;
  /** The closing job: every closure whose cooling-off period has passed, one transaction each. */
  runDue(opts?: {
    limit?: number;
    now?: Date;
  }): Promise<{ closed: number; servicesTold: number; completed: number }>;
  /**
   * Binds where owed events go, in the closing transaction (the job `oidc.security-event`;
   * the job runner is made after the services). Closing refuses to run unbound.
   */
  useQueue(enqueue: (q: Queryable, owed: OwedEvent) => Promise<unknown>): void;
  /** P7.2.backup closed closures from `after` on, oldest first (the erasure ledger's source). */
  closedSince(
    after: Date | undefined,
    limit?: number,
  ): Promise<{ closureId: string; subjectId: string; closedAt: Date }[]>;
  /**
   * P7.2.backup P8.1.delete after a restore: erases again a person whose closure the restored
   * database does not hold as closed (it was closed after the backup). Idempotent: a closure
   * already closed here, or a person already gone, changes nothing. The services were told
   * at the first closing; they are not told again.
   */
  reapply(closureId: string, subjectId: string): Promise<{ reapplied: boolean; rows: number }>;
}

const DAY = 86_400_000;
const SYSTEM = { type: 'system' as const, id: 'account-closure', label: 'system:account-closure' };

/** Only support records a closure for a person (P7.2 least privilege). */
export const mayRecordClosure = (role: string): boolean => role === 'support';

export function createClosureService(deps: ClosureDeps): ClosureService {
  const { db, audit } = deps;
  let enqueueEvent: ((q: Queryable, owed: OwedEvent) => Promise<unknown>) | undefined;
  const plan = erasurePlan(deps.data);
  let statement: string | undefined;
  let ordered: EraseStep[] | undefined;
  const orderedSteps = async () => (ordered ??= orderSteps(plan.steps, await repo.foreignKeys(db)));
  const erasure = async () =>
    (statement ??= repo.erasureStatement(await orderedSteps(), await repo.columnTypes(db)));

  /**
   * P6.2.hold what a hold keeps stays: the tables of a held category, and the vault's values
   * of one (then the key stays too: it is what keeps them readable). Null: nothing held.
   */
  const heldOf = (holds: readonly HeldBy[]): string[] | null =>
    holds.length === 0
      ? null
      : holds.some((h) => !h.categories)
        ? ['all']
        : [...new Set(holds.flatMap((h) => h.categories!))].sort();
  const keeps = (held: readonly string[], categories: readonly string[]) =>
    held.includes('all') || categories.some((c) => held.includes(c));
  const heldFields = (held: readonly string[]) =>
    (Object.keys(vaultFields) as Field[]).filter((f) => keeps(held, [categoryOf(f)]));

  /** The erasure with what is held left out; returns the rows erased. */
  async function eraseAround(q: Queryable, subjectId: string, held: readonly string[]): Promise<number> {
    const fieldsHeld = heldFields(held);
    const steps = (await orderedSteps()).filter(
      (s) => !keeps(held, s.categories) && (s.table !== 'vault_field' || fieldsHeld.length === 0),
    );
    if (fieldsHeld.length === 0) await deps.vault.shred(subjectId, SYSTEM, 'account-closed', q);
    else
      await deps.vault.erase(
        subjectId,
        (Object.keys(vaultFields) as Field[]).filter((f) => !fieldsHeld.includes(f)),
        { actor: SYSTEM, reason: 'account-closed', clause: 'P8.1.delete' },
        q,
      );
    return steps.length === 0
      ? 0
      : repo.erase(q, repo.erasureStatement(steps, await repo.columnTypes(db)), subjectId);
  }

  const erasedLabels = (() => {
    const tables = new Set(plan.steps.filter((s) => 'delete' in s.action).map((s) => s.table));
    const out: Labels[] = [];
    for (const owner of deps.data)
      for (const [table, decl] of Object.entries(owner.tables))
        if (tables.has(table) && holdsSubjectData(decl) && 'zh-CN' in decl.export) out.push(decl.export);
    return out;
  })();

  const view = (r: repo.ClosureRow): ClosureView => ({
    ...r,
    closesDay: chinaDayBefore(new Date(r.closesAt.getTime() + 1)),
    dueDay: chinaDayBefore(r.dueAt),
  });

  const timesFrom = (now: Date) => {
    const due = deps.calendar.dueDate(now, { days: deps.cancellationWorkingDays, unit: 'working' }).due;
    const cooling = new Date(Math.min(now.getTime() + deps.coolingOffDays * DAY, due.getTime() - 1));
    return { due, closesAt: cooling };
  };

  const tell = (q: Queryable, r: repo.ClosureRow, step: 'requested' | 'undone') =>
    deps.outbox.enqueue(q, {
      subjectId: r.subjectId,
      locale: r.locale,
      template: 'account-closure',
      params: { step, date: view(r).closesDay },
    });

  async function open(
    subjectId: string,
    how: { channel: 'self-service' | 'support'; staff: string | null; ticketRef: string | null },
    c: { locale: string; requestId?: string | undefined },
  ): Promise<ClosureView> {
    const companies = await deps.representing(subjectId);
    if (companies.length > 0)
      throw new AppError(closureErrors.company_representative, companies.map((x) => x.name).join(', '));
    const now = clock.date();
    const { due, closesAt } = timesFrom(now);
    const row = await db.tx(async (q) => {
      const r = await repo.insertClosure(q, {
        subjectId,
        channel: how.channel,
        recordedBy: how.staff,
        ticketRef: how.ticketRef,
        locale: isLocale(c.locale) ? c.locale : 'zh-CN',
        requestedAt: now,
        closesAt,
        dueAt: due,
      });
      if (!r) throw new AppError(closureErrors.already_closing);
      const actor = how.staff
        ? { type: 'staff' as const, id: how.staff }
        : { type: 'citizen' as const, id: subjectId };
      await changeAccountState(q, audit, {
        subjectId,
        event: 'close',
        actor,
        clause: 'P8.5.cancel',
        requestId: c.requestId,
      });
      await audit.append(q, {
        actor,
        action: 'closure.requested',
        subject: { type: 'person', id: subjectId },
        clause: 'P8.5.cancel',
        detail: { closure: r.id, channel: how.channel, closes: view(r).closesDay, due: view(r).dueDay },
        requestId: c.requestId ?? null,
      });
      await tell(q, r, 'requested');
      return r;
    });
    return view(row);
  }

  async function closeOne(now: Date): Promise<{ done: boolean; told: number }> {
    let after: (() => Promise<void>) | undefined;
    const result = await db.tx(async (q) => {
      const [r] = await repo.claimDue(q, now, 1);
      if (!r) return { done: false, told: 0 };
      const subjectId = r.subjectId;
      const services = await deps.services(subjectId);
      await changeAccountState(q, audit, {
        subjectId,
        event: 'finish',
        actor: { type: 'system', id: SYSTEM.id },
        clause: 'P8.5.cancel',
      });
      after = await deps.provider.end(q, { subjectId, revokeGrants: true, reason: 'account-closed' });
      await deps.sessions.revokeAll(q, subjectId);
      const owed = await deps.securityEvents.owed(
        subjectId,
        services.map((s) => s.clientId),
        now,
      );
      if (!enqueueEvent) throw new Error('closing needs the security-event queue (useQueue)');
      for (const o of owed) await enqueueEvent(q, o);
      const held = heldOf((await deps.holds?.onPerson(subjectId, q)) ?? []);
      let rows: number;
      if (!held) {
        await deps.vault.shred(subjectId, SYSTEM, 'account-closed', q);
        rows = await repo.erase(q, await erasure(), subjectId);
      } else rows = await eraseAround(q, subjectId, held);
      await repo.markClosed(q, r.id, {
        at: now,
        servicesTold: owed.length,
        rowsErased: rows,
        heldCategories: held,
      });
      await audit.append(q, {
        actor: { type: 'system', id: SYSTEM.id },
        action: 'closure.closed',
        subject: { type: 'person', id: subjectId },
        clause: 'P8.5.cancel',
        detail: { closure: r.id, services: owed.length, rows, held },
      });
      return { done: true, told: owed.length };
    });
    if (after)
      await after().catch((err: unknown) =>
        deps.log('back-channel logout after closing failed', { error: (err as Error).name }),
      );
    return result;
  }

  /** P6.2.hold the erasure a hold interrupted, finished once no hold covers the person. */
  async function completeHeld(): Promise<number> {
    let completed = 0;
    for (;;) {
      const done = await db.tx(async (q) => {
        const due = await repo.heldClosures(q, 20);
        let n = 0;
        for (const c of due) {
          if (((await deps.holds?.onPerson(c.subjectId, q)) ?? []).length > 0) continue;
          // The key stayed while a held value needed it: it goes now, then everything else.
          if (heldFields(c.heldCategories).length > 0)
            await deps.vault.shred(c.subjectId, SYSTEM, 'account-closed', q);
          const rows = await repo.erase(q, await erasure(), c.subjectId);
          await repo.markErasureCompleted(q, c.id, rows);
          await audit.append(q, {
            actor: { type: 'system', id: SYSTEM.id },
            action: 'closure.erasure_completed',
            subject: { type: 'person', id: c.subjectId },
            clause: 'P6.2.hold',
            detail: { closure: c.id, rows },
          });
          n++;
        }
        return { n, more: due.length === 20 && n > 0 };
      });
      completed += done.n;
      if (!done.more) return completed;
    }
  }

  return {
    async preview(subjectId) {
      const [services, companies, waiting, held] = await Promise.all([
        deps.services(subjectId),
        deps.representing(subjectId),
        repo.waiting(db, subjectId),
        deps.holds?.onPerson(subjectId) ?? Promise.resolve([]),
      ]);
      const now = clock.date();
      const { due, closesAt } = timesFrom(now);
      return {
        services,
        erased: erasedLabels,
        kept: deps.exemptions(),
        // Holds on the person and category holds on everyone alike keep part of their data;
        // the person learns the basis and dates, never the hold's own record (its reason).
        held: held.map((h) => ({
          basis: h.basis,
          categories: h.categories,
          endsAt: h.endsAt,
          reviewAt: h.reviewAt,
        })),
        blockers: { companies },
        closesDay: chinaDayBefore(new Date(closesAt.getTime() + 1)),
        dueDay: chinaDayBefore(due),
        waiting: waiting ? view(waiting) : undefined,
      };
    },

    request: (subjectId, c) => open(subjectId, { channel: 'self-service', staff: null, ticketRef: null }, c),

    async recordForPerson(staff, subjectId, c) {
      if (!mayRecordClosure(staff.role)) throw new AppError(closureErrors.not_support);
      const ticket = c.ticketRef.trim();
      if (ticket.length < 3 || ticket.length > 100) throw new AppError(closureErrors.ticket_required);
      return open(subjectId, { channel: 'support', staff: staff.id, ticketRef: ticket }, c);
    },

    async recordForRightsRequest(staff, subjectId, c) {
      if (!mayHandleRights(staff.role)) throw new AppError(rightsErrors.forbidden);
      const waiting = await repo.waiting(db, subjectId);
      if (waiting) return view(waiting);
      return open(
        subjectId,
        { channel: 'support', staff: staff.id, ticketRef: `rights-request:${c.rightsRequest}` },
        c,
      );
    },

    async undo(subjectId, c) {
      const row = await db.tx(async (q) => {
        const r = await repo.waiting(q, subjectId, true);
        if (!r) throw new AppError(closureErrors.not_undoable);
        const at = clock.date();
        await repo.markUndone(q, r.id, at);
        const actor = { type: 'citizen' as const, id: subjectId };
        await changeAccountState(q, audit, {
          subjectId,
          event: 'reopen',
          actor,
          clause: 'P8.5.cancel',
          requestId: c.requestId,
        });
        await audit.append(q, {
          actor,
          action: 'closure.undone',
          subject: { type: 'person', id: subjectId },
          clause: 'P8.5.cancel',
          detail: { closure: r.id },
          requestId: c.requestId ?? null,
        });
        await tell(q, r, 'undone');
        return { ...r, state: 'undone' as const, undoneAt: at };
      });
      return view(row);
    },

    async waiting(subjectId) {
      const r = await repo.waiting(db, subjectId);
      return r ? view(r) : undefined;
    },

    useQueue(fn) {
      enqueueEvent = fn;
    },

    closedSince: (after, limit = 10_000) => repo.closedSince(db, after, limit),

    async reapply(closureId, subjectId) {
      const now = clock.date();
      let after: (() => Promise<void>) | undefined;
      const result = await db.tx(async (q) => {
        if ((await repo.closure(q, closureId))?.state === 'closed') return { reapplied: false, rows: 0 };
        // P6.2.hold what a hold keeps stays through a re-applied erasure too.
        const held = heldOf((await deps.holds?.onPerson(subjectId, q)) ?? []);
        // A key already shredded means this erasure ran here before (its one transaction).
        if (!held)
          try {
            await deps.vault.shred(subjectId, SYSTEM, 'account-closed', q);
          } catch (err) {
            if (err instanceof AppError && err.code === 'vault.subject_erased')
              return { reapplied: false, rows: 0 };
            throw err;
          }
        const actor = { type: 'system' as const, id: SYSTEM.id };
        // Walk the account to `closed` as the first closing did (a restored account may be
        // active or closing); erasure then deletes the row.
        if ((await accountState(q, subjectId)) === 'active')
          await changeAccountState(q, audit, { subjectId, event: 'close', actor, clause: 'P8.5.cancel' });
        if ((await accountState(q, subjectId)) === 'closing')
          await changeAccountState(q, audit, { subjectId, event: 'finish', actor, clause: 'P8.5.cancel' });
        after = await deps.provider.end(q, { subjectId, revokeGrants: true, reason: 'account-closed' });
        await deps.sessions.revokeAll(q, subjectId);
        const rows = held
          ? await eraseAround(q, subjectId, held)
          : await repo.erase(q, await erasure(), subjectId);
        const waitingRow = await repo.waiting(q, subjectId, true);
        if (waitingRow)
          await repo.markClosed(q, waitingRow.id, {
            at: now,
            servicesTold: 0,
            rowsErased: rows,
            heldCategories: held,
          });
        await audit.append(q, {
          actor,
          action: 'closure.reapplied',
          subject: { type: 'person', id: subjectId },
          clause: 'P7.2.backup',
          detail: { closure: closureId, rows },
        });
        return { reapplied: true, rows };
      });
      if (after)
        await after().catch((err: unknown) =>
          deps.log('back-channel logout after re-applied erasure failed', { error: (err as Error).name }),
        );
      return result;
    },

    async runDue(opts = {}) {
      const now = opts.now ?? clock.date();
      const limit = opts.limit ?? 10_000;
      let closed = 0;
      let servicesTold = 0;
      while (closed < limit) {
        const r = await closeOne(now);
        if (!r.done) break;
        closed += 1;
        servicesTold += r.told;
      }
      return { closed, servicesTold, completed: await completeHeld() };
    },
  };
}

/**
 * Rights requests (P8.2–P8.4): a person asks for a copy, a correction, a deletion, a
 * restriction of or objection to a use, an explanation of a decision (PIPL Art. 48), or
 * the cancellation of their account; the DPO confirms who they are, works on it and
 * decides within the deadline.
 *
 * Rules:
 * - The deadline is fixed when the request is received: 15 Chinese working days for an
 *   account cancellation (GB/T 35273-2020 §8.5), 30 calendar days for the others, both
 *   configured; counted from the day after (shared/working-days.ts). It never moves.
 * - Identity first (P8.3): a request made with a fresh proof of the person (the step-up of
 *   signin/reauth.ts, checked by the caller) starts confirmed; otherwise the person confirms
 *   it later with a fresh proof, or the DPO records a check made elsewhere (service hall,
 *   population registry, with its reference). Nothing can start, and so nothing can be
 *   fulfilled, before that (the lifecycle and the table's CHECK); an unconfirmed request can
 *   be refused only for its identity. A refused step is audited.
 * - Every refusal and every partial answer names its reason; a reason `exemption` names
 *   the legal basis it rests on, one of the declared exemptions (rights.exemptions.ts, P8.4).
 * - Only the DPO works on requests (`mayHandleRights`). The person sees only their own
 *   requests: another's id answers as unknown (no enumeration).
 * - Every step is in the audit chain in the transaction of the change, in the request's
 *   history, and told to the person (`rights-request-update`, inbox, mail and push).
 * - The deadline job (`runDeadlines`) marks requests due within `remindWorkingDays`
 *   working days (reminded) and those past their deadline (escalated), once each, audited;
 *   the DPO's queue shows both.
 */
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { clock } from '../../kernel/clock.ts';
import { AppError } from '../../kernel/errors.ts';
import { isLocale } from '../../kernel/locale.ts';
import { chinaDayBefore, type WorkingDays } from '../../shared/working-days.ts';
import type { AuditService } from '../audit/index.ts';
import { categories as categorySpecs } from '../inventory/index.ts';
import type { Outbox } from '../notify/index.ts';
import { isOpen, requestLifecycle, type RequestEvent, type RequestState } from './rights.lifecycle.ts';
import { rightsErrors } from './rights.errors.ts';
import { exemptions, isExemption, type Exemption } from './rights.exemptions.ts';
import * as repo from './rights.repository.ts';

export type {
  RequestKind,
  RefusalReason,
  IdentityMethod,
  RequestRow,
  EventRow,
} from './rights.repository.ts';
export { requestKinds, refusalReasons, identityMethods } from './rights.repository.ts';

/** Only the DPO works on rights requests (P7.2 least privilege). */
export const mayHandleRights = (role: string): boolean => role === 'dpo';

export interface RightsStaff {
  id: string;
  role: string;
}

export interface Deadlines {
  /** RIGHTS_CANCELLATION_WORKING_DAYS. */
  cancellationWorkingDays: number;
  /** RIGHTS_REQUEST_DAYS: calendar days for every other kind. */
  requestDays: number;
  /** RIGHTS_REMIND_WORKING_DAYS: the DPO is reminded when this many working days are left. */
  remindWorkingDays: number;
}

export interface SubmitInput {
  kind: string;
  categories?: readonly string[];
  details?: string;
}

/** A request with how much time is left, for pages. */
export interface RequestView extends repo.RequestRow {
  /** The last day of the deadline, `YYYY-MM-DD` in China. */
  dueDay: string;
  /** Working days left (0 on the last day, negative when past); only while open. */
  workingDaysLeft: number | null;
  overdue: boolean;
}

export type Outcome = 'fulfilled' | 'partly-fulfilled' | 'refused';

export interface RightsService {
  /** The deadline a request of `kind` received now would have. */
  deadlineOf(
    kind: repo.RequestKind,
    from?: Date,
  ): { days: number; unit: 'working' | 'calendar'; lastDay: string };
  exemptions(): Exemption[];
  /** The person's own request; `fresh`: they proved it is them within the last minutes (step-up). */
  submit(
    subjectId: string,
    input: SubmitInput,
    c: { fresh: boolean; locale: string; requestId?: string },
  ): Promise<RequestView>;
  /** Support records a request for a person after checking who they are (P8.5: cancellation through support). */
  recordForPerson(
    staff: RightsStaff,
    subjectId: string,
    input: SubmitInput & { ticketRef: string; identity: 'service-hall' | 'registry' },
    c: { locale: string; requestId?: string },
  ): Promise<RequestView>;
  mine(subjectId: string): Promise<RequestView[]>;
  /** One of the person's requests with its history; another's id is unknown. */
  ofPerson(subjectId: string, id: string): Promise<{ request: RequestView; events: repo.EventRow[] }>;
  /** The person proved it is them again (the caller checked the fresh proof). */
  confirmBySelf(subjectId: string, id: string, c: { requestId?: string }): Promise<RequestView>;
  answer(subjectId: string, id: string, text: string, c: { requestId?: string }): Promise<RequestView>;
  withdraw(subjectId: string, id: string, c: { requestId?: string }): Promise<RequestView>;

  queue(staff: RightsStaff, limit?: number): Promise<{ open: RequestView[]; closed: RequestView[] }>;
  case(staff: RightsStaff, id: string): Promise<{ request: RequestView; events: repo.EventRow[] }>;
  confirmByStaff(
    staff: RightsStaff,
    id: string,
    check: { method: string; reference: string },
    requestId?: string,
  ): Promise<RequestView>;
  start(staff: RightsStaff, id: string, requestId?: string): Promise<RequestView>;
  ask(staff: RightsStaff, id: string, question: string, requestId?: string): Promise<RequestView>;
  decide(
    staff: RightsStaff,
    id: string,
    decision: { outcome: string; reason?: string; exemption?: string; note?: string },
    requestId?: string,
  ): Promise<RequestView>;

  /** The deadline job: reminders and escalations, once each. */
  runDeadlines(): Promise<{ reminded: number; escalated: number }>;
  /**
   * Binds what fulfilling a cancellation does: the account closure starts (its cooling-off,
   * the person's undo, its erasure), bound by the wiring (closure depends on rights).
   */
  useCancellation(start: CancellationStart): void;
}

/** Starts the account closure a fulfilled cancellation request asks for; the same call twice is one closure. */
export type CancellationStart = (
  staff: RightsStaff,
  subjectId: string,
  c: { rightsRequest: string; locale: string; requestId?: string | undefined },
) => Promise<unknown>;

const BATCH = 500;
const text = (v: unknown, max: number): string => (typeof v === 'string' ? v.trim() : '').slice(0, max + 1);

export function createRightsService(deps: {
  db: Database;
  audit: AuditService;
  outbox: Pick<Outbox, 'enqueue'>;
  calendar: WorkingDays;
  deadlines: Deadlines;
}): RightsService {
  const { db, audit, calendar } = deps;
  let startCancellation: CancellationStart | undefined;

  const spanOf = (kind: repo.RequestKind) =>
    kind === 'cancellation'
      ? { days: deps.deadlines.cancellationWorkingDays, unit: 'working' as const }
      : { days: deps.deadlines.requestDays, unit: 'calendar' as const };

  const view = (r: repo.RequestRow): RequestView => {
    const now = clock.date();
    const open = isOpen(r.state);
    return {
      ...r,
      dueDay: chinaDayBefore(r.dueAt),
      workingDaysLeft: open ? calendar.workingDaysLeft(now, r.dueAt) : null,
      overdue: open && now.getTime() >= r.dueAt.getTime(),
    };
  };

  const mustHandle = (s: RightsStaff) => {
    if (!mayHandleRights(s.role)) throw new AppError(rightsErrors.forbidden);
  };

  const found = async (q: Queryable, id: string, lock = false) => {
    const r = await repo.request(q, id, lock);
    if (!r) throw new AppError(rightsErrors.unknown_request);
    return r;
  };
  /** The person's own: another's answers exactly like a missing one. */
  const own = async (q: Queryable, subjectId: string, id: string, lock = false) => {
    const r = await repo.request(q, id, lock);
    if (!r || r.subjectId !== subjectId) throw new AppError(rightsErrors.unknown_request);
    return r;
  };

  // In the language the request was made in, whoever takes the step.
  const tell = (q: Queryable, r: repo.RequestRow, step: (typeof stepOf)[RequestState]) =>
    deps.outbox.enqueue(q, {
      subjectId: r.subjectId,
      locale: r.locale,
      template: 'rights-request-update',
      params: { kind: r.kind, step, due: chinaDayBefore(r.dueAt) },
    });

  const parseInput = (input: SubmitInput) => {
    if (!(repo.requestKinds as readonly string[]).includes(input.kind))
      throw new AppError(rightsErrors.invalid_request, 'kind');
    const cats = [...new Set(input.categories ?? [])];
    if (cats.length > 30 || cats.some((c) => !Object.hasOwn(categorySpecs, c)))
      throw new AppError(rightsErrors.invalid_request, 'categories');
    const details = text(input.details, 4000);
    if (details.length > 4000) throw new AppError(rightsErrors.invalid_request, 'details');
    // A copy or a cancellation says itself what it asks; the others need words.
    if (details.length === 0 && input.kind !== 'copy' && input.kind !== 'cancellation')
      throw new AppError(rightsErrors.invalid_request, 'details');
    return { kind: input.kind as repo.RequestKind, categories: cats, details: details || null };
  };

  async function receive(
    subjectId: string,
    input: SubmitInput,
    how: {
      channel: 'self-service' | 'support';
      staff: RightsStaff | null;
      ticketRef: string | null;
      identity: repo.IdentityMethod | null;
      locale: string;
      requestId?: string | undefined;
    },
  ) {
    const parsed = parseInput(input);
    const now = clock.date();
    const span = spanOf(parsed.kind);
    const due = calendar.dueDate(now, span);
    const row = await db.tx(async (q) => {
      const r = await repo.insertRequest(q, {
        subjectId,
        ...parsed,
        channel: how.channel,
        locale: isLocale(how.locale) ? how.locale : 'zh-CN',
        recordedBy: how.staff?.id ?? null,
        ticketRef: how.ticketRef,
        state: how.identity ? 'identity-confirmed' : 'submitted',
        identityMethod: how.identity,
        identityBy: how.identity && how.staff ? how.staff.id : null,
        submittedAt: now,
        dueAt: due.due,
        deadlineDays: span.days,
        deadlineUnit: span.unit,
        deadlineProvisional: due.provisional,
      });
      const actor = how.staff
        ? { type: 'staff' as const, id: how.staff.id }
        : { type: 'citizen' as const, id: subjectId };
      await repo.addEvent(q, {
        requestId: r.id,
        subjectId,
        at: now,
        event: 'received',
        actorType: actor.type,
        actorId: actor.id,
        note: how.ticketRef ? `ticket ${how.ticketRef}` : null,
      });
      if (how.identity)
        await repo.addEvent(q, {
          requestId: r.id,
          subjectId,
          at: now,
          event: 'identity-confirmed',
          actorType: actor.type,
          actorId: actor.id,
          note: null,
        });
      await audit.append(q, {
        actor,
        action: 'rights.request_submitted',
        subject: { type: 'person', id: subjectId },
        clause: 'P8.2',
        detail: {
          request: r.id,
          kind: r.kind,
          channel: r.channel,
          due: chinaDayBefore(r.dueAt),
          identity: how.identity,
        },
        requestId: how.requestId ?? null,
      });
      await tell(q, r, how.identity ? 'identity-confirmed' : 'received');
      return r;
    });
    return view(row);
  }

  /** One step on one request in one transaction: lifecycle, row, history, audit, notice. */
  async function step(
    id: string,
    who: { type: 'citizen'; subjectId: string } | { type: 'staff'; staff: RightsStaff },
    event: RequestEvent,
    opts: {
      action: Parameters<AuditService['append']>[1]['action'];
      clause: 'P8.2' | 'P8.3' | 'P8.4';
      note?: string | null;
      extra?: Parameters<typeof repo.setState>[4];
      detail?: Record<string, unknown>;
      facts?: { identityConfirmed: boolean; reason: string };
      requestId?: string | undefined;
    },
  ): Promise<RequestView> {
    const actor =
      who.type === 'citizen'
        ? { type: 'citizen' as const, id: who.subjectId }
        : { type: 'staff' as const, id: who.staff.id };
    let seen: repo.RequestRow | undefined;
    try {
      const row = await db.tx(async (q) => {
        const r = (seen =
          who.type === 'citizen' ? await own(q, who.subjectId, id, true) : await found(q, id, true));
        const to = requestLifecycle.next(r.state, event, opts.facts);
        const now = clock.date();
        const done = await repo.setState(q, id, to, now, { by: actor.id, ...opts.extra });
        await repo.addEvent(q, {
          requestId: id,
          subjectId: r.subjectId,
          at: now,
          event: to,
          actorType: actor.type,
          actorId: actor.id,
          note: opts.note ?? null,
        });
        await audit.append(q, {
          actor,
          action: opts.action,
          subject: { type: 'person', id: r.subjectId },
          clause: opts.clause,
          detail: { request: id, ...opts.detail },
          requestId: opts.requestId ?? null,
        });
        await tell(q, done, stepOf[to]);
        return done;
      });
      return view(row);
    } catch (err) {
      if (seen && err instanceof AppError && err.status === 409) {
        await audit.append(db, {
          actor,
          action: 'rights.step_refused',
          subject: { type: 'person', id: seen.subjectId },
          clause: err.clause ?? null,
          detail: { request: id, step: event, code: err.code, state: seen.state },
          requestId: opts.requestId ?? null,
        });
      }
      throw err;
    }
  }

  return {
    deadlineOf(kind, from = clock.date()) {
      const span = spanOf(kind);
      return { ...span, lastDay: calendar.dueDate(from, span).lastDay };
    },
    exemptions,

    submit: (subjectId, input, c) =>
      receive(subjectId, input, {
        channel: 'self-service',
        staff: null,
        ticketRef: null,
        identity: c.fresh ? 'step-up' : null,
        locale: c.locale,
        requestId: c.requestId,
      }),

    async recordForPerson(staff, subjectId, input, c) {
      const ticketRef = text(input.ticketRef, 100);
      if (ticketRef.length < 1 || ticketRef.length > 100)
        throw new AppError(rightsErrors.invalid_request, 'ticketRef');
      if (input.identity !== 'service-hall' && input.identity !== 'registry')
        throw new AppError(rightsErrors.invalid_request, 'identity');
      return receive(subjectId, input, {
        channel: 'support',
        staff,
        ticketRef,
        identity: input.identity,
        locale: c.locale,
        requestId: c.requestId,
      });
    },

    mine: async (subjectId) => (await repo.requestsOf(db, subjectId)).map(view),

    async ofPerson(subjectId, id) {
      const r = await own(db, subjectId, id);
      return { request: view(r), events: await repo.events(db, id) };
    },

    confirmBySelf: async (subjectId, id, c) =>
      step(id, { type: 'citizen', subjectId }, 'confirm-identity', {
        action: 'rights.identity_confirmed',
        clause: 'P8.3',
        extra: { identityMethod: 'step-up', by: null },
        detail: { method: 'step-up' },
        requestId: c.requestId,
      }),

    async answer(subjectId, id, answer, c) {
      const note = text(answer, 4000);
      if (note.length < 1 || note.length > 4000) throw new AppError(rightsErrors.invalid_request, 'answer');
      return step(id, { type: 'citizen', subjectId }, 'answer', {
        action: 'rights.person_answered',
        clause: 'P8.2',
        note,
        requestId: c.requestId,
      });
    },

    withdraw: (subjectId, id, c) =>
      step(id, { type: 'citizen', subjectId }, 'withdraw', {
        action: 'rights.request_withdrawn',
        clause: 'P8.2',
        requestId: c.requestId,
      }),

    async queue(staff, limit = 200) {
      mustHandle(staff);
      const [open, closed] = await Promise.all([repo.queue(db, limit), repo.recentlyClosed(db, 50)]);
      return { open: open.map(view), closed: closed.map(view) };
    },

    async case(staff, id) {
      mustHandle(staff);
      const r = await found(db, id);
      return { request: view(r), events: await repo.events(db, id) };
    },

    async confirmByStaff(staff, id, check, requestId) {
      mustHandle(staff);
      const method = check.method;
      if (method !== 'service-hall' && method !== 'registry')
        throw new AppError(rightsErrors.invalid_request, 'method');
      const reference = text(check.reference, 200);
      if (reference.length < 1 || reference.length > 200)
        throw new AppError(rightsErrors.invalid_request, 'reference');
      return step(id, { type: 'staff', staff }, 'confirm-identity', {
        action: 'rights.identity_confirmed',
        clause: 'P8.3',
        note: reference,
        extra: { identityMethod: method },
        detail: { method },
        requestId,
      });
    },

    async start(staff, id, requestId) {
      mustHandle(staff);
      return step(id, { type: 'staff', staff }, 'start', {
        action: 'rights.request_started',
        clause: 'P8.2',
        requestId,
      });
    },

    async ask(staff, id, question, requestId) {
      mustHandle(staff);
      const note = text(question, 4000);
      if (note.length < 1 || note.length > 4000) throw new AppError(rightsErrors.invalid_request, 'question');
      return step(id, { type: 'staff', staff }, 'ask', {
        action: 'rights.person_asked',
        clause: 'P8.2',
        note,
        requestId,
      });
    },

    async decide(staff, id, decision, requestId) {
      mustHandle(staff);
      const outcome = decision.outcome as Outcome;
      const events: Record<Outcome, RequestEvent> = {
        fulfilled: 'fulfil',
        'partly-fulfilled': 'fulfil-partly',
        refused: 'refuse',
      };
      if (!Object.hasOwn(events, outcome)) throw new AppError(rightsErrors.invalid_request, 'outcome');
      const note = text(decision.note, 4000);
      if (note.length > 4000) throw new AppError(rightsErrors.invalid_request, 'note');
      let reason: repo.RefusalReason | null = null;
      let exemption: string | null = null;
      if (outcome !== 'fulfilled') {
        if (!(repo.refusalReasons as readonly string[]).includes(decision.reason ?? ''))
          throw new AppError(rightsErrors.reason_required, 'reason');
        reason = decision.reason as repo.RefusalReason;
        if (reason === 'exemption') {
          if (!isExemption(decision.exemption ?? ''))
            throw new AppError(rightsErrors.reason_required, 'exemption');
          exemption = decision.exemption!;
        }
      }
      // What was done, or why not: the person reads it, so a decision always says something.
      if (note.length === 0) throw new AppError(rightsErrors.reason_required, 'note');
      const current = await found(db, id);
      // P8.5.cancel fulfilling a cancellation is the closure itself, not a note that it was done:
      // it starts before the request is marked fulfilled, and the lifecycle below still refuses
      // an unconfirmed identity first (a refused step leaves no closure: checked here too).
      if (
        current.kind === 'cancellation' &&
        outcome === 'fulfilled' &&
        current.identityConfirmedAt !== null
      ) {
        if (!startCancellation)
          throw new Error('fulfilling a cancellation needs the closure (useCancellation)');
        await startCancellation(staff, current.subjectId, {
          rightsRequest: id,
          locale: current.locale,
          requestId,
        });
      }
      return step(id, { type: 'staff', staff }, events[outcome], {
        action: 'rights.request_decided',
        clause: outcome === 'fulfilled' ? 'P8.2' : reason === 'exemption' ? 'P8.4' : 'P8.2',
        note,
        extra: { refusalReason: reason, exemption, note },
        detail: { outcome, reason, exemption },
        facts: { identityConfirmed: current.identityConfirmedAt !== null, reason: reason ?? '' },
        requestId,
      });
    },

    useCancellation(start) {
      startCancellation = start;
    },

    async runDeadlines() {
      const now = clock.date();
      let reminded = 0;
      let escalated = 0;
      // Due within the reminder window: the calendar's working days, looked up per request.
      const horizon = new Date(now.getTime() + 40 * 86_400_000);
      for (const r of await repo.dueSoon(db, horizon, BATCH)) {
        const left = calendar.workingDaysLeft(now, r.dueAt);
        if (left > deps.deadlines.remindWorkingDays) continue;
        await db.tx(async (q) => {
          if (!(await repo.mark(q, r.id, 'reminded', now))) return;
          reminded++;
          await audit.append(q, {
            actor: { type: 'system', id: null },
            action: 'rights.deadline_near',
            subject: { type: 'person', id: r.subjectId },
            clause: 'P8.2',
            detail: { request: r.id, workingDaysLeft: left },
            requestId: null,
          });
        });
      }
      for (const r of await repo.overdue(db, now, BATCH)) {
        await db.tx(async (q) => {
          if (!(await repo.mark(q, r.id, 'escalated', now))) return;
          escalated++;
          await repo.addEvent(q, {
            requestId: r.id,
            subjectId: r.subjectId,
            at: now,
            event: 'escalated',
            actorType: 'platform',
            actorId: null,
            note: null,
          });
          await audit.append(q, {
            actor: { type: 'system', id: null },
            action: 'rights.deadline_passed',
            subject: { type: 'person', id: r.subjectId },
            clause: 'P8.2',
            detail: { request: r.id, due: chinaDayBefore(r.dueAt) },
            requestId: null,
          });
        });
      }
      return { reminded, escalated };
    },
  };
}

/** The step the person is told of, per state reached. */
const stepOf = {
  submitted: 'received',
  'identity-confirmed': 'identity-confirmed',
  'in-progress': 'in-progress',
  'awaiting-person': 'awaiting-person',
  fulfilled: 'fulfilled',
  'partly-fulfilled': 'partly-fulfilled',
  refused: 'refused',
  withdrawn: 'withdrawn',
} as const satisfies Record<RequestState, string>;

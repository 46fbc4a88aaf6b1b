/**
 * Legal holds (P6.2.hold; ADR 0040): the DPO records that data must be kept past its time
 * because the law, a court order, an authority or a dispute requires it.
 *
 * Rules:
 * - Scope: one person, the people of a case, or categories for everyone; a person or case
 *   hold covers every category unless it names some. Reason, authority, document reference,
 *   and an end date or a review date in the future are required: a hold nobody looks at
 *   again is not allowed. Only the DPO records or releases one.
 * - In force while active and before its end date; past the end date the purge job marks
 *   it ended. Release needs a note. Each step is audited, on every person it covers (a
 *   held person's audit trail shows it), without the reason's words.
 * - What a hold covers is neither purged nor erased at an account's closure; when it ends,
 *   the next purge, and the closure job, take what it kept.
 */
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { clock } from '../../kernel/clock.ts';
import { AppError } from '../../kernel/errors.ts';
import type { AuditService } from '../audit/index.ts';
import { categories as knownCategories } from '../inventory/index.ts';
import { retentionErrors } from './retention.errors.ts';
import * as repo from './retention.repository.ts';

export interface HoldStaff {
  id: string;
  role: string;
}

export const mayRecordHolds = (role: string): boolean => role === 'dpo';

export interface HoldInput {
  scope: repo.HoldScope;
  subjects?: readonly string[];
  categories?: readonly string[] | null;
  basis: string;
  reason: string;
  authority: string;
  documentRef: string;
  caseRef?: string | null;
  endsAt?: Date | null;
  reviewAt?: Date | null;
}

/** Who and what the holds in force keep. */
export interface Coverage {
  /** Categories held for everyone. */
  everyone: ReadonlySet<string>;
  /** People held: every category, or the named ones. */
  people: ReadonlyMap<string, ReadonlySet<string> | 'all'>;
}

export const emptyCoverage: Coverage = { everyone: new Set(), people: new Map() };

/** Whether a category hold keeps a table or field of these categories for everyone. */
export const heldForEveryone = (c: Coverage, categories: readonly string[]): boolean =>
  categories.some((x) => c.everyone.has(x));

/** The people whose hold keeps data of these categories. */
export function heldPeople(c: Coverage, categories: readonly string[]): string[] {
  const out: string[] = [];
  for (const [id, held] of c.people)
    if (held === 'all' || categories.some((x) => held.has(x)) || categories.length === 0) out.push(id);
  return out;
}

export function coverageOf(holds: readonly repo.HoldRow[]): Coverage {
  const everyone = new Set<string>();
  const people = new Map<string, Set<string> | 'all'>();
  for (const h of holds) {
    if (h.scope === 'category') {
      for (const c of h.categories ?? []) everyone.add(c);
      continue;
    }
    for (const s of h.subjects) {
      const now = people.get(s);
      if (now === 'all') continue;
      if (!h.categories) people.set(s, 'all');
      else people.set(s, new Set([...(now ?? []), ...h.categories]));
    }
  }
  return { everyone, people };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const text = (v: unknown, max: number) => (typeof v === 'string' ? v.trim() : '').slice(0, max + 1);

export function createHolds(deps: { db: Database; audit: AuditService }) {
  const { db, audit } = deps;
  const must = (s: HoldStaff) => {
    if (!mayRecordHolds(s.role)) throw new AppError(retentionErrors.forbidden);
  };
  const invalid = (field: string) => new AppError(retentionErrors.invalid_hold, field);

  const validated = (i: HoldInput, now: Date) => {
    if (!['person', 'case', 'category'].includes(i.scope)) throw invalid('scope');
    const subjects = [...new Set(i.subjects ?? [])];
    if (subjects.some((s) => !UUID.test(s))) throw invalid('subjects');
    if (i.scope === 'person' && subjects.length !== 1) throw invalid('subjects');
    if (i.scope === 'case' && subjects.length === 0) throw invalid('subjects');
    if (i.scope === 'category' && subjects.length > 0) throw invalid('subjects');
    const cats = i.categories && i.categories.length > 0 ? [...new Set(i.categories)].sort() : null;
    if (cats?.some((c) => !Object.hasOwn(knownCategories, c))) throw invalid('categories');
    if (i.scope === 'category' && !cats) throw invalid('categories');
    if (!(repo.holdBases as readonly string[]).includes(i.basis)) throw invalid('basis');
    const reason = text(i.reason, 2000);
    const authority = text(i.authority, 200);
    const documentRef = text(i.documentRef, 200);
    const caseRef = text(i.caseRef, 200);
    if (reason.length === 0 || reason.length > 2000) throw invalid('reason');
    if (authority.length === 0 || authority.length > 200) throw invalid('authority');
    if (documentRef.length === 0 || documentRef.length > 200) throw invalid('documentRef');
    if (caseRef.length > 200 || (i.scope === 'case' && caseRef.length === 0)) throw invalid('caseRef');
    const future = (d: Date | null | undefined) => d instanceof Date && d.getTime() > now.getTime();
    if (i.endsAt && !future(i.endsAt)) throw invalid('endsAt');
    if (i.reviewAt && !future(i.reviewAt)) throw invalid('reviewAt');
    if (!i.endsAt && !i.reviewAt) throw invalid('endsAt');
    return {
      scope: i.scope,
      subjects,
      categories: cats,
      basis: i.basis as repo.HoldBasis,
      reason,
      authority,
      documentRef,
      caseRef: caseRef.length > 0 ? caseRef : null,
      endsAt: i.endsAt ?? null,
      reviewAt: i.reviewAt ?? null,
    };
  };

  /** One entry per person covered (their trail shows it), or one for a category hold. */
  const audited = async (
    q: Queryable,
    h: { id: string; subjects: readonly string[] },
    e: {
      actor: { type: 'staff' | 'system'; id: string };
      action: 'retention.hold_recorded' | 'retention.hold_ended';
      detail: Record<string, string | string[] | null>;
      requestId?: string | undefined;
    },
  ) => {
    const subjects = h.subjects.length > 0 ? h.subjects : [null];
    for (const s of subjects)
      await audit.append(q, {
        actor: e.actor,
        action: e.action,
        subject: s ? { type: 'person', id: s } : null,
        clause: 'P6.2.hold',
        detail: { hold: h.id, ...e.detail },
        requestId: e.requestId ?? null,
      });
  };

  const end = async (
    id: string,
    how: { state: 'released' | 'ended'; staff: HoldStaff | null; note: string | null; requestId?: string },
  ) =>
    db.tx(async (q) => {
      const h = await repo.hold(q, id, true);
      if (!h) throw new AppError(retentionErrors.unknown_hold);
      if (h.state !== 'active') throw new AppError(retentionErrors.hold_ended);
      await repo.endHold(q, id, {
        state: how.state,
        by: how.staff?.id ?? null,
        note: how.note,
        at: clock.date(),
      });
      await audited(q, h, {
        actor: how.staff ? { type: 'staff', id: how.staff.id } : { type: 'system', id: 'retention.purge' },
        action: 'retention.hold_ended',
        detail: { how: how.state },
        requestId: how.requestId,
      });
      return (await repo.hold(q, id))!;
    });

  return {
    async record(staff: HoldStaff, input: HoldInput, requestId?: string): Promise<repo.HoldRow> {
      must(staff);
      const v = validated(input, clock.date());
      return db.tx(async (q) => {
        const id = await repo.insertHold(q, { ...v, createdBy: staff.id });
        await audited(
          q,
          { id, subjects: v.subjects },
          {
            actor: { type: 'staff', id: staff.id },
            action: 'retention.hold_recorded',
            detail: {
              scope: v.scope,
              basis: v.basis,
              categories: v.categories,
              ends: v.endsAt?.toISOString() ?? null,
              review: v.reviewAt?.toISOString() ?? null,
            },
            requestId,
          },
        );
        return (await repo.hold(q, id))!;
      });
    },

    async release(staff: HoldStaff, id: string, note: string, requestId?: string): Promise<repo.HoldRow> {
      must(staff);
      if (!UUID.test(id)) throw new AppError(retentionErrors.unknown_hold);
      const n = text(note, 2000);
      if (n.length === 0 || n.length > 2000) throw invalid('note');
      return end(id, { state: 'released', staff, note: n, ...(requestId ? { requestId } : {}) });
    },

    /** Marks ended every active hold whose end date passed (the purge job, first). */
    async endDue(now = clock.date()): Promise<number> {
      let n = 0;
      for (const id of await repo.holdsPastEnd(db, now)) {
        try {
          await end(id, { state: 'ended', staff: null, note: null });
          n++;
        } catch (err) {
          // Released by the DPO in between: nothing left to end.
          if (!(err instanceof AppError && err.code === 'retention.hold_ended')) throw err;
        }
      }
      return n;
    },

    async list(staff: HoldStaff): Promise<(repo.HoldRow & { reviewDue: boolean; inForce: boolean })[]> {
      must(staff);
      const now = clock.date();
      return (await repo.holds(db, now, 'all')).map((h) => ({
        ...h,
        inForce: h.state === 'active' && (!h.endsAt || h.endsAt > now),
        reviewDue: h.state === 'active' && h.reviewAt !== null && h.reviewAt <= now,
      }));
    },

    async get(staff: HoldStaff, id: string): Promise<repo.HoldRow> {
      must(staff);
      const h = UUID.test(id) ? await repo.hold(db, id) : undefined;
      if (!h) throw new AppError(retentionErrors.unknown_hold);
      return h;
    },

    /** The holds in force that cover a person (closure and the person's own pages). */
    onPerson: (subjectId: string, q: Queryable = db) => repo.holdsOn(q, subjectId, clock.date()),

    async coverage(now = clock.date()): Promise<Coverage> {
      return coverageOf(await repo.holds(db, now, 'in-force'));
    },
  };
}

export type Holds = ReturnType<typeof createHolds>;

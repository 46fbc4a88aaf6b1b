/**
 * Platform-wide announcements (issue 13 §3; P7.2i: an incident is told "by e-mail, push and
 * announcement"; P9: a policy change is announced before it takes effect).
 *
 * Rules:
 * - `publish` is idempotent per key: publishing `incident:<id>` again returns the first
 *   announcement unchanged and audits nothing (an incident's send may be retried).
 * - Its words are a notify template with parameters (checked against the catalogue, shown in
 *   the reader's language) or, from the console, a title and a text in each of zh-CN, en
 *   and cs. An expiry in the future is required: no announcement shows for ever.
 * - `active` shows what started, has not expired (the clock seam, read when asked: expiry
 *   is no state a late job could leave stale), was not withdrawn, was not dismissed by the
 *   reader, and is never a drill: a drill is for staff to see in the console, never for
 *   citizens (issue 13 §7).
 * - Publish and withdraw are audited in the transaction of the change; so is a dismissal.
 *   Who may publish or withdraw is `mayPublishAnnouncements`, the one place that says it.
 * - A dismissal changes only the reader's own row; an id that is no announcement's (a
 *   tampered form) dismisses nothing.
 */
import { z } from 'zod';
import { clock } from '../../kernel/clock.ts';
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Locale } from '../../kernel/locale.ts';
import type { AuditService } from '../audit/index.ts';
import { render, renderTitle, templates, type Params, type TemplateId } from '../notify/index.ts';
import { announceErrors } from './announce.errors.ts';
import { announcementLifecycle, type AnnouncementState } from './announce.lifecycle.ts';
import * as repo from './announce.repository.ts';

export { announcementKinds, type AnnouncementKind } from './announce.repository.ts';
type AnnouncementKind = repo.AnnouncementKind;

/**
 * Who may publish and withdraw announcements in the console: the roles that speak for the
 * platform to everybody (administrator, DPO, security officer), P7.2 least privilege.
 */
export const mayPublishAnnouncements = (role: string): boolean =>
  role === 'administrator' || role === 'dpo' || role === 'security_officer';

/** A staff member (or a platform job) publishing; `role` when a person in the console acts. */
export interface AnnouncementAuthor {
  id: string;
  role?: string | undefined;
  type?: 'staff' | 'system' | undefined;
}

/** Title and text in every language (a console announcement). */
export type AnnouncementTexts = Record<Locale, { title: string; text: string }>;

interface PublishCommon {
  /** Names the announcement for its publisher (`incident:<id>`): publishing again finds it. */
  key: string;
  kind: AnnouncementKind;
  expiresAt: Date;
  /** A drill: recorded and listed for staff, shown to no citizen. */
  drill?: boolean | undefined;
  by: AnnouncementAuthor;
  /** Shown from; now when absent. */
  startsAt?: Date | undefined;
  requestId?: string | undefined;
}

export type PublishInput =
  | (PublishCommon & { template: TemplateId; params: Record<string, unknown>; texts?: undefined })
  | (PublishCommon & { texts: AnnouncementTexts; template?: undefined; params?: undefined });

/** An announcement as a reader sees it, in their language. */
export interface ShownAnnouncement {
  id: string;
  kind: AnnouncementKind;
  title: string;
  text: string;
  startsAt: Date;
  expiresAt: Date;
}

/** An announcement as the console lists it. */
export interface ListedAnnouncement extends ShownAnnouncement {
  key: string;
  drill: boolean;
  /** `expired` is read from the clock, not stored (announce.lifecycle.ts). */
  status: AnnouncementState | 'expired';
  createdBy: string;
  createdAt: Date;
  withdrawnAt: Date | null;
}

export interface AnnounceService {
  /** In the caller's transaction (an incident's send writes its notice and announcement together). */
  publish(q: Queryable, input: PublishInput): Promise<{ id: string }>;
  /** In a transaction of its own (the console). */
  publishNow(input: PublishInput): Promise<{ id: string }>;
  withdraw(by: AnnouncementAuthor, id: string, requestId?: string): Promise<void>;
  /** What a reader sees now (`null`: signed out), newest first, in `locale`. */
  active(subjectId: string | null, locale: Locale): Promise<ShownAnnouncement[]>;
  /** True when newly dismissed. */
  dismiss(subjectId: string, id: string, requestId?: string): Promise<boolean>;
  list(locale: Locale, limit?: number): Promise<ListedAnnouncement[]>;
}

const isTemplate = (id: string): id is TemplateId => Object.hasOwn(templates, id);
const paramsOf = (id: TemplateId): z.ZodType => templates[id].params as unknown as z.ZodType;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A longer notice is no announcement but a page; also bounds a mistyped date. */
const MAX_DAYS = 366;
const SHOWN_AT_MOST = 5;

const line = z.string().trim().min(1).max(200);
const texts = z.strictObject({
  'zh-CN': z.strictObject({ title: line, text: z.string().trim().min(1).max(4000) }),
  en: z.strictObject({ title: line, text: z.string().trim().min(1).max(4000) }),
  cs: z.strictObject({ title: line, text: z.string().trim().min(1).max(4000) }),
});

const clauseOf = (kind: AnnouncementKind): string | null =>
  kind === 'incident' ? 'P7.2i' : kind === 'policy' ? 'P9' : null;

function words(row: repo.AnnouncementRow, locale: Locale): { title: string; text: string } | undefined {
  if (row.texts) return row.texts[locale] ?? row.texts['zh-CN'];
  if (row.template && isTemplate(row.template)) {
    const params = (row.params ?? {}) as Params;
    return { title: renderTitle(row.template, locale, params), text: render(row.template, locale, params) };
  }
  // A template the catalogue no longer has: shown to nobody rather than as a raw key.
  return undefined;
}

export function createAnnounceService(deps: { db: Database; audit: AuditService }): AnnounceService {
  const { db, audit } = deps;
  const invalid = (detail: string): never => {
    throw new AppError(announceErrors.invalid, detail);
  };
  const mustMay = (by: AnnouncementAuthor) => {
    if (by.role !== undefined && !mayPublishAnnouncements(by.role))
      throw new AppError(announceErrors.forbidden);
  };

  const service: AnnounceService = {
    publishNow: (input) => db.tx((q) => service.publish(q, input)),

    async publish(q, input) {
      mustMay(input.by);
      const key = input.key.trim();
      if (key.length < 1 || key.length > 200) invalid('key');
      if (!(repo.announcementKinds as readonly string[]).includes(input.kind)) invalid('kind');
      const now = clock.date();
      const startsAt = input.startsAt ?? now;
      const expiresAt = input.expiresAt;
      if (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime())) invalid('expiresAt');
      if (expiresAt <= now || expiresAt <= startsAt) invalid('expiresAt');
      if (expiresAt.getTime() - startsAt.getTime() > MAX_DAYS * 86_400_000) invalid('expiresAt');
      let template: string | null = null;
      let params: Record<string, unknown> | null = null;
      let written: AnnouncementTexts | null = null;
      if (input.template !== undefined) {
        if (!isTemplate(input.template)) invalid('template');
        const parsed = paramsOf(input.template).safeParse(input.params);
        if (!parsed.success) invalid('params');
        template = input.template;
        params = parsed.data as Record<string, unknown>;
      } else {
        const parsed = texts.safeParse(input.texts);
        if (!parsed.success) invalid(parsed.error.issues[0]?.path.join('.') ?? 'texts');
        written = parsed.data as AnnouncementTexts;
      }
      const drill = input.drill ?? false;
      const { id, created } = await repo.insert(q, {
        key,
        kind: input.kind,
        template,
        params,
        texts: written,
        startsAt,
        expiresAt,
        drill,
        createdBy: input.by.id,
      });
      if (created) {
        await audit.append(q, {
          actor: { type: input.by.type ?? 'staff', id: input.by.id },
          action: 'announce.published',
          subject: { type: 'announcement', id },
          clause: clauseOf(input.kind),
          detail: {
            key,
            kind: input.kind,
            template: template ?? 'console',
            expiresAt: expiresAt.toISOString(),
            drill,
          },
          requestId: input.requestId ?? null,
        });
      }
      return { id };
    },

    async withdraw(by, id, requestId) {
      mustMay(by);
      if (!UUID.test(id)) throw new AppError(announceErrors.unknown);
      await db.tx(async (q) => {
        const row = await repo.find(q, id, true);
        if (!row) throw new AppError(announceErrors.unknown);
        announcementLifecycle.next(row.state, 'withdraw');
        await repo.withdraw(q, id, by.id, clock.date());
        await audit.append(q, {
          actor: { type: 'staff', id: by.id },
          action: 'announce.withdrawn',
          subject: { type: 'announcement', id },
          clause: clauseOf(row.kind),
          requestId: requestId ?? null,
        });
      });
    },

    async active(subjectId, locale) {
      const reader = subjectId !== null && UUID.test(subjectId) ? subjectId : null;
      const rows = await repo.shown(db, reader, clock.date(), SHOWN_AT_MOST);
      return rows.flatMap((r) => {
        const w = words(r, locale);
        return w ? [{ id: r.id, kind: r.kind, ...w, startsAt: r.startsAt, expiresAt: r.expiresAt }] : [];
      });
    },

    async dismiss(subjectId, id, requestId) {
      if (!UUID.test(id) || !UUID.test(subjectId)) return false;
      return db.tx(async (q) => {
        const row = await repo.find(q, id);
        if (!row) return false;
        const done = await repo.dismiss(q, subjectId, id, clock.date());
        if (done)
          await audit.append(q, {
            actor: { type: 'citizen', id: subjectId },
            action: 'announce.dismissed',
            subject: { type: 'announcement', id },
            clause: clauseOf(row.kind),
            requestId: requestId ?? null,
          });
        return done;
      });
    },

    async list(locale, limit = 100) {
      const now = clock.now();
      const rows = await repo.list(db, Math.min(Math.max(1, limit), 500));
      return rows.map((r) => {
        const w = words(r, locale) ?? { title: r.template ?? r.key, text: '' };
        const status: ListedAnnouncement['status'] =
          r.state === 'published' && r.expiresAt.getTime() <= now ? 'expired' : r.state;
        return {
          id: r.id,
          key: r.key,
          kind: r.kind,
          ...w,
          startsAt: r.startsAt,
          expiresAt: r.expiresAt,
          drill: r.drill,
          status,
          createdBy: r.createdBy,
          createdAt: r.createdAt,
          withdrawnAt: r.withdrawnAt,
        };
      });
    },
  };
  return service;
}

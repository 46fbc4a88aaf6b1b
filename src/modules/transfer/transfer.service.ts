/**
 * Bulk transfers of people's data to another organisation (P5.3.2): a merger, an
 * acquisition, a change of operator, another organisation taking over a service.
 *
 * Rules:
 * - Only the DPO drafts, sends, records, cancels (`mayRunTransfers`); every step is in the
 *   audit chain in the transaction of the change, and a refused transfer is audited too.
 * - The people concerned are computed through their owners' doors, in keyset batches (never
 *   one array of everybody): all people (vault), the people of a service (consents given to
 *   its SSO clients: consent + catalogue), or an explicit list (validated by the vault, the
 *   unknown ids refused, never silently dropped). When the notice goes out the set is frozen
 *   (transfer_campaign_person): the transfer covers exactly the people who were told.
 * - The notice (`transfer-notice`, kind legal: it cannot be switched off) goes through
 *   `notify.fanOut` with key `transfer:<id>`, once per person however often it is sent;
 *   only once every batch is given does the campaign become `notified`, and the notice
 *   period counts from then (clock seam).
 * - The planned date must not be before the notice period would end (checked when sending):
 *   the notice must not announce a date the platform could not keep.
 * - Recording the transfer is refused (409, P5.3.2) before the notice went out
 *   (`transfer.not_notified`) and until the notice period has passed since then
 *   (`transfer.notice_period_running`, with the date it becomes possible); a cancelled
 *   campaign never transfers. A person who objected is left out of the transfer.
 */
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { clock } from '../../kernel/clock.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Locale } from '../../kernel/locale.ts';
import type { AuditService } from '../audit/index.ts';
import type { CatalogueService, RelyingPartyRegistry } from '../catalogue/index.ts';
import { checkCreditCode } from '../company/index.ts';
import type { ConsentService } from '../consent/index.ts';
import { categories as categorySpecs, type Category } from '../inventory/index.ts';
import { transferReasons, type Localised, type NoticeProgress, type NotifyService } from '../notify/index.ts';
import type { VaultService } from '../vault/index.ts';
import { campaignLifecycle, type CampaignState } from './transfer.lifecycle.ts';
import { transferErrors } from './transfer.errors.ts';
import * as repo from './transfer.repository.ts';

export type Reason = repo.Reason;
export const reasons = transferReasons;

/** Who runs a step: a staff member of the console (the route passes its principal). */
export interface TransferStaff {
  id: string;
  role: string;
}

/** Only the DPO runs transfer campaigns (P7.2 least privilege; docs/operations.md). */
export const mayRunTransfers = (role: string): boolean => role === 'dpo';

export interface DraftInput {
  recipientName: string;
  recipientCreditCode: string;
  reason: string;
  categories: readonly string[];
  scope: 'all' | 'service' | 'explicit';
  serviceSlug?: string | undefined;
  /** For `explicit`: the people's subject ids. */
  subjectIds?: readonly string[] | undefined;
  /** Days; the configured default when absent. */
  noticeDays?: number | undefined;
  /** `YYYY-MM-DD` (China Standard Time). */
  plannedFor: string;
}

export interface Campaign extends repo.CampaignRow {
  /** When the transfer may be recorded: the notice went out plus the notice days. */
  transferableFrom: Date | null;
}

export interface TransferService {
  draft(input: DraftInput, by: TransferStaff, requestId?: string): Promise<Campaign>;
  list(limit?: number): Promise<Campaign[]>;
  get(id: string): Promise<Campaign>;
  /** How many people the campaign concerns: computed now while drafted, frozen once sent. */
  affected(id: string): Promise<{ people: number; objected: number }>;
  /** Gives the notice to every affected person not yet given it; returns how many were newly told. */
  sendNotice(id: string, by: TransferStaff, requestId?: string): Promise<{ told: number; people: number }>;
  progress(id: string): Promise<NoticeProgress | undefined>;
  recordTransfer(
    id: string,
    record: { reference: string },
    by: TransferStaff,
    requestId?: string,
  ): Promise<Campaign>;
  cancel(id: string, by: TransferStaff, requestId?: string): Promise<Campaign>;
  /** The person (or the DPO for them) objects: they are left out of the transfer. */
  object(
    id: string,
    subjectId: string,
    by: { type: 'citizen' | 'staff'; id: string },
    requestId?: string,
  ): Promise<void>;
  /** The DPO's choices for a draft: the catalogue's services. */
  services(): Promise<{ slug: string; name: Record<Locale, string> }[]>;
}

const DAY = 86_400_000;
const BATCH = 20_000;
const noticeKey = (id: string) => `transfer:${id}`;
/** A calendar day in China Standard Time (no DST). */
const beijingDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

const withPeriod = (c: repo.CampaignRow): Campaign => ({
  ...c,
  transferableFrom: c.notifiedAt ? new Date(c.notifiedAt.getTime() + c.noticeDays * DAY) : null,
});

const listJoin: Record<Locale, string> = { 'zh-CN': '、', en: ', ', cs: ', ' };

/** The categories as every language names them (the inventory's labels). */
function categoryTexts(cats: readonly string[]): Localised {
  const of = (l: Locale) => cats.map((c) => categorySpecs[c as Category]?.label[l] ?? c).join(listJoin[l]);
  return { 'zh-CN': of('zh-CN'), en: of('en'), cs: of('cs') };
}

export function createTransferService(deps: {
  db: Database;
  audit: AuditService;
  notify: Pick<NotifyService, 'fanOut' | 'noticeProgress'>;
  vault: Pick<VaultService, 'people' | 'knownPeople'>;
  consent: Pick<ConsentService, 'subjectsOf'>;
  registry: Pick<RelyingPartyRegistry, 'list'>;
  catalogue: Pick<CatalogueService, 'list'>;
  /** The configured default notice period (TRANSFER_NOTICE_DAYS). */
  defaultNoticeDays: number;
  batchSize?: number;
}): TransferService {
  const { db, audit } = deps;
  const batchSize = deps.batchSize ?? BATCH;

  const mustRun = (by: TransferStaff) => {
    if (!mayRunTransfers(by.role)) throw new AppError(transferErrors.forbidden);
  };
  const found = async (q: Queryable, id: string, lock = false) => {
    const c = await repo.campaign(q, id, lock);
    if (!c) throw new AppError(transferErrors.unknown_campaign);
    return c;
  };
  const invalid = (detail: string): never => {
    throw new AppError(transferErrors.invalid_campaign, detail);
  };

  /** The pages of people a drafted campaign's scope names, through their owners' doors. */
  async function* scopePeople(c: repo.CampaignRow): AsyncGenerator<string[]> {
    let page: (after: string | null) => Promise<string[]>;
    if (c.scope === 'all') page = (after) => deps.vault.people({ after, limit: batchSize });
    else if (c.scope === 'service') {
      const clients = (await deps.registry.list())
        .filter((rp) => rp.serviceSlug === c.serviceSlug)
        .map((rp) => rp.clientId);
      page = (after) =>
        deps.consent.subjectsOf({ type: 'department', ids: clients }, { after, limit: batchSize });
    } else page = (after) => repo.peopleAfter(db, c.id, after, batchSize);
    let after: string | null = null;
    for (;;) {
      const ids = await page(after);
      if (ids.length === 0) return;
      yield ids;
      after = ids[ids.length - 1]!;
      if (ids.length < batchSize) return;
    }
  }

  async function refusedTransfer(c: repo.CampaignRow, err: AppError, by: TransferStaff, requestId?: string) {
    await audit.append(db, {
      actor: { type: 'staff', id: by.id },
      action: 'transfer.transfer_refused',
      subject: { type: 'transfer-campaign', id: c.id },
      clause: err.clause ?? null,
      detail: { code: err.code, state: c.state },
      requestId: requestId ?? null,
    });
  }

  return {
    async draft(input, by, requestId) {
      mustRun(by);
      const name = input.recipientName.trim();
      if (name.length < 1 || name.length > 120) invalid('recipientName');
      const code = input.recipientCreditCode.trim().toUpperCase();
      if (checkCreditCode(code)) invalid('recipientCreditCode');
      if (!(reasons as readonly string[]).includes(input.reason)) invalid('reason');
      const cats = [...new Set(input.categories)];
      if (cats.length === 0 || cats.some((k) => !Object.hasOwn(categorySpecs, k))) invalid('categories');
      const days = input.noticeDays ?? deps.defaultNoticeDays;
      if (!Number.isInteger(days) || days < 1 || days > 365) invalid('noticeDays');
      if (!/^\d{4}-\d\d-\d\d$/.test(input.plannedFor) || Number.isNaN(Date.parse(input.plannedFor)))
        invalid('plannedFor');
      let serviceSlug: string | null = null;
      if (input.scope === 'service') {
        const slug = (input.serviceSlug ?? '').trim();
        const known = (await deps.catalogue.list()).some((d) => d.services.some((s) => s.slug === slug));
        if (!known) invalid('serviceSlug');
        serviceSlug = slug;
      } else if (input.scope !== 'all' && input.scope !== 'explicit') invalid('scope');
      let explicit: string[] = [];
      if (input.scope === 'explicit') {
        const ids = [...new Set((input.subjectIds ?? []).map((s) => s.trim().toLowerCase()).filter(Boolean))];
        if (ids.length === 0) invalid('subjectIds');
        if (ids.some((i) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(i)))
          throw new AppError(transferErrors.unknown_people, 'malformed id');
        const known = new Set<string>();
        for (let i = 0; i < ids.length; i += batchSize)
          for (const k of await deps.vault.knownPeople(ids.slice(i, i + batchSize))) known.add(k);
        const unknown = ids.filter((i) => !known.has(i));
        if (unknown.length > 0)
          throw new AppError(transferErrors.unknown_people, `${unknown.length} unknown`);
        explicit = ids;
      }
      const row = await db.tx(async (q) => {
        const c = await repo.insertCampaign(q, {
          recipientName: name,
          recipientCreditCode: code,
          reason: input.reason as Reason,
          categories: cats,
          scope: input.scope,
          serviceSlug,
          noticeDays: days,
          plannedFor: input.plannedFor,
          draftedBy: by.id,
        });
        for (let i = 0; i < explicit.length; i += batchSize)
          await repo.addPeople(q, c.id, explicit.slice(i, i + batchSize));
        await audit.append(q, {
          actor: { type: 'staff', id: by.id },
          action: 'transfer.campaign_drafted',
          subject: { type: 'transfer-campaign', id: c.id },
          clause: 'P5.3.2',
          detail: {
            creditCode: code,
            reason: c.reason,
            categories: cats,
            scope: c.scope,
            service: serviceSlug,
            noticeDays: days,
            plannedFor: c.plannedFor,
            explicitPeople: explicit.length,
          },
          requestId: requestId ?? null,
        });
        return c;
      });
      return withPeriod(row);
    },

    list: async (limit = 100) => (await repo.listCampaigns(db, limit)).map(withPeriod),
    get: async (id) => withPeriod(await found(db, id)),

    async affected(id) {
      const c = await found(db, id);
      if (c.state !== 'drafted' || c.scope === 'explicit') return repo.peopleCounts(db, id);
      let people = 0;
      for await (const ids of scopePeople(c)) people += ids.length;
      return { people, objected: 0 };
    },

    async sendNotice(id, by, requestId) {
      mustRun(by);
      const c = await found(db, id);
      // Sending again completes a notice (nobody is told twice) but never restarts the period.
      if (c.state !== 'notified' && c.state !== 'transferable') campaignLifecycle.next(c.state, 'notify');
      if (c.state === 'drafted') {
        const earliest = beijingDay(clock.now() + c.noticeDays * DAY);
        if (c.plannedFor < earliest) throw new AppError(transferErrors.planned_too_soon, earliest);
        // Freeze the set first, batch by batch: the people told are the people transferred.
        if (c.scope !== 'explicit')
          for await (const ids of scopePeople(c)) await db.tx((q) => repo.addPeople(q, id, ids));
      }
      const notice = {
        key: noticeKey(id),
        template: 'transfer-notice' as const,
        params: {
          recipient: c.recipientName,
          creditCode: c.recipientCreditCode,
          reason: c.reason,
          categories: categoryTexts(c.categories),
          date: c.plannedFor,
        },
      };
      let told = 0;
      let after: string | null = null;
      for (;;) {
        const ids = await repo.peopleAfter(db, id, after, batchSize);
        if (ids.length === 0) break;
        told += (await db.tx((q) => deps.notify.fanOut(q, notice, ids))).notifications;
        after = ids[ids.length - 1]!;
      }
      const { people } = await repo.peopleCounts(db, id);
      if (people === 0) invalid('nobody-affected');
      await db.tx(async (q) => {
        const now = await found(q, id, true);
        const moving = now.state === 'drafted';
        if (moving) {
          campaignLifecycle.next(now.state, 'notify');
          await repo.setState(q, id, 'notified', clock.date(), { people });
        }
        await audit.append(q, {
          actor: { type: 'staff', id: by.id },
          action: 'transfer.notice_sent',
          subject: { type: 'transfer-campaign', id },
          clause: 'P5.3.2',
          detail: { people, told, first: moving },
          requestId: requestId ?? null,
        });
      });
      return { told, people };
    },

    progress: (id) => deps.notify.noticeProgress(noticeKey(id)),

    async recordTransfer(id, record, by, requestId) {
      mustRun(by);
      const reference = record.reference.trim();
      if (reference.length < 1 || reference.length > 200) invalid('reference');
      let seen: repo.CampaignRow | undefined;
      try {
        const row = await db.tx(async (q) => {
          let c = (seen = await found(q, id, true));
          let state: CampaignState = c.state;
          if (state === 'notified') {
            const facts = { now: clock.now(), transferableFrom: withPeriod(c).transferableFrom!.getTime() };
            state = campaignLifecycle.next(state, 'period-ends', facts);
            c = await repo.setState(q, id, state, clock.date());
            await audit.append(q, {
              actor: { type: 'staff', id: by.id },
              action: 'transfer.notice_period_ended',
              subject: { type: 'transfer-campaign', id },
              clause: 'P5.3.2',
              detail: { noticeDays: c.noticeDays },
              requestId: requestId ?? null,
            });
          }
          const to = campaignLifecycle.next(state, 'transfer');
          const counts = await repo.peopleCounts(q, id);
          const done = await repo.setState(q, id, to, clock.date(), { reference });
          await audit.append(q, {
            actor: { type: 'staff', id: by.id },
            action: 'transfer.transferred',
            subject: { type: 'transfer-campaign', id },
            clause: 'P5.3.2',
            detail: {
              reference,
              people: counts.people - counts.objected,
              objected: counts.objected,
              creditCode: c.recipientCreditCode,
            },
            requestId: requestId ?? null,
          });
          return done;
        });
        return withPeriod(row);
      } catch (err) {
        if (seen && err instanceof AppError && err.status === 409) {
          const from = withPeriod(seen).transferableFrom;
          const refused =
            err.code === transferErrors.notice_period_running && from
              ? new AppError(err.code, from.toISOString())
              : err;
          await refusedTransfer(seen, refused, by, requestId);
          throw refused;
        }
        throw err;
      }
    },

    async cancel(id, by, requestId) {
      mustRun(by);
      const row = await db.tx(async (q) => {
        const c = await found(q, id, true);
        const to = campaignLifecycle.next(c.state, 'cancel');
        const done = await repo.setState(q, id, to, clock.date());
        await audit.append(q, {
          actor: { type: 'staff', id: by.id },
          action: 'transfer.campaign_cancelled',
          subject: { type: 'transfer-campaign', id },
          clause: 'P5.3.2',
          detail: { from: c.state },
          requestId: requestId ?? null,
        });
        return done;
      });
      return withPeriod(row);
    },

    async object(id, subjectId, by, requestId) {
      await db.tx(async (q) => {
        const c = await found(q, id, true);
        if (c.state !== 'notified' && c.state !== 'transferable')
          throw new AppError(transferErrors.illegal_transition, `objection while ${c.state}`);
        if (!(await repo.object(q, id, subjectId, clock.date())))
          throw new AppError(transferErrors.unknown_people, 'not concerned');
        await audit.append(q, {
          actor: { type: by.type, id: by.id },
          action: 'transfer.objection_recorded',
          subject: { type: 'person', id: subjectId },
          clause: 'P5.3.2',
          detail: { campaign: id },
          requestId: requestId ?? null,
        });
      });
    },

    async services() {
      return (await deps.catalogue.list()).flatMap((d) =>
        d.services.map((s) => ({ slug: s.slug, name: s.name as Record<Locale, string> })),
      );
    },
  };
}

/**
 * The outbox of messages to people: queued in the caller's transaction, sent by a drain.
 *
 * Rules:
 * - `enqueue` only writes a row, in the transaction it is given (the sign-in's, the
 *   disclosure's): a request never waits for a gateway, and a message exists exactly when
 *   what it tells was committed. Parameters are checked against the catalogue first.
 * - `drainOutbox` claims due messages with FOR UPDATE SKIP LOCKED (notify.repository.ts), so
 *   any number of drains, on any number of nodes, never send one message twice while a
 *   claim holds; a claim is a lease (`leaseSeconds`, longer than `deliveryTimeoutMs`), after
 *   which a message left `sending` by a dead node is taken up again.
 * - A failed attempt is retried with exponential back-off (30 s, 1 min, 2 min, … at most an
 *   hour), up to `maxAttempts`; then, or at once for a permanent failure (no phone), the
 *   message is `failed`. Each failure is logged with the message id, template, channel,
 *   attempt and failure code, never the destination, the parameters or the text.
 * - A channel that does not answer within `deliveryTimeoutMs` has failed this attempt
 *   (`timeout`): a hanging gateway holds up no other message for longer.
 * - States move only along notify.lifecycle.ts (enforced in SQL as well).
 */
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { silentLogger, type Logger } from '../../kernel/logger.ts';
import { isLocale, type Locale } from '../../kernel/locale.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Channel, Outcome, Outgoing } from './notify.channel.ts';
import { notifyErrors } from './notify.errors.ts';
import { defaultChannels, fallbackOf } from './notify.preferences.ts';
import * as repo from './notify.repository.ts';
import {
  deliveryOf,
  failureCodes,
  type DeliveryState,
  type FailureCode,
  type OutboxState,
} from './notify.states.ts';
import {
  channels as allChannels,
  isTemplate,
  kinds,
  render,
  renderTitle,
  specOf,
  type ChannelId,
  type Kind,
  type MessageBody,
  type Params,
  type TemplateId,
} from './notify.templates.ts';

/** What the drain writes to the log (codes and ids only): the kernel's logger port. */
export type NotifyLog = Logger;

export type Message = MessageBody & {
  subjectId: string;
  /** The person's language for this message; an unsupported one falls back to zh-CN. */
  locale: string;
  /** Not before (a disclosure under a restriction); now when absent. */
  due?: Date | undefined;
  /** The id to give the message, for a row that names it in the same transaction. */
  id?: string | undefined;
};

export interface DrainResult {
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
}

/** A message to many people (an incident notice, a transfer notice): one template, shared parameters. */
export type Notice = MessageBody & {
  /** Names the notice for its sender (`incident:<id>`): sending it again finds it. */
  key: string;
  /** A drill: everything is counted, nothing is written or sent. */
  drill?: boolean | undefined;
};

export interface FanOutResult {
  noticeId: string;
  /** People newly given the notice by this call (those who had it are skipped). */
  notifications: number;
  deliveries: Partial<Record<ChannelId, number>>;
  drill: boolean;
}

/** One entry of the person's inbox, in the reader's language. */
export interface InboxEntry {
  id: string;
  template: TemplateId;
  kind: Kind;
  title: string;
  text: string;
  at: Date;
  read: boolean;
  deliveries: { channel: ChannelId; state: DeliveryState }[];
}

export interface KindChoice {
  kind: Kind;
  mandatory: boolean;
  /** The channels chosen (or the default when the person chose nothing). */
  channels: ChannelId[];
  chosen: boolean;
}

/** The part of the service other modules queue with and read states from. */
export interface Outbox {
  /** Queues a message to one person; returns the notification's id (its inbox entry). */
  enqueue(q: Queryable, m: Message): Promise<string>;
  /**
   * Gives a notice to every one of `subjectIds` not yet given it, with their deliveries, in
   * `q` (call it in batches of at most ~20,000 people).
   */
  fanOut(q: Queryable, notice: Notice, subjectIds: readonly string[]): Promise<FanOutResult>;
  /** Whether each message reached the person, by id (ids unknown to the outbox are absent). */
  deliveryOf(ids: readonly string[]): Promise<Map<string, DeliveryState>>;
  /** Each message's deliveries, channel by channel. */
  deliveriesOf(
    ids: readonly string[],
  ): Promise<Map<string, { channel: ChannelId; state: OutboxState; sentAt: Date | null }[]>>;
}

export type OutboxOverview = repo.OutboxOverview;

export interface NoticeProgress {
  noticeId: string;
  drill: boolean;
  /** People given the notice (their inbox has it). */
  people: number;
  /** Deliveries per channel and state (queued = pending/sending/retrying, sent, failed). */
  byChannel: { channel: ChannelId; state: OutboxState; n: number }[];
}

export interface NotifyService extends Outbox {
  /** One batch: claims up to `limit` due deliveries and settles them. */
  drainOutbox(opts?: { limit?: number }): Promise<DrainResult>;
  /**
   * Keeps `workers` loops claiming batches of `batch` until nothing is due or `budgetMs`
   * has passed: what the `notify.drain` job runs.
   */
  drainUntilEmpty(opts: { workers: number; batch: number; budgetMs: number }): Promise<DrainResult>;
  /** How the notice of this key is going (undefined: never sent). */
  noticeProgress(key: string): Promise<NoticeProgress | undefined>;
  /**
   * The outbox at a glance (the console's deliveries page): counts per channel and state,
   * the oldest due per channel, failures by code, the latest notices with their progress.
   * Counts and codes only: no subject id, no parameter.
   */
  outboxOverview(opts?: { notices?: number }): Promise<OutboxOverview>;
  inbox(
    subjectId: string,
    locale: Locale,
    opts?: { limit?: number; before?: { at: Date; id: string } },
  ): Promise<InboxEntry[]>;
  unreadCount(subjectId: string): Promise<number>;
  markRead(subjectId: string, id: string | 'all'): Promise<number>;
  preferences(subjectId: string): Promise<{ kinds: KindChoice[]; reachable: ChannelId[] }>;
  /** Refused for a mandatory kind with no channel (the inbox alone would not reach the person). */
  choose(subjectId: string, kind: Kind, channels: readonly ChannelId[], locale?: Locale): Promise<void>;
}

const BACKOFF_FIRST_SECONDS = 30;
const BACKOFF_MAX_SECONDS = 3600;

export const backoffSeconds = (attempt: number): number =>
  Math.min(BACKOFF_FIRST_SECONDS * 2 ** Math.max(0, attempt - 1), BACKOFF_MAX_SECONDS);

const TIMED_OUT: Outcome = { ok: false, code: 'timeout' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One state for a message: sent if any channel got it through, on its way while any is. */
function summarise(states: readonly OutboxState[]): DeliveryState {
  // A message with no delivery went to the inbox only, where it is: delivered.
  if (states.length === 0 || states.includes('sent')) return 'sent';
  return states.every((s) => s === 'failed') ? 'failed' : 'pending';
}

function ruleOf(template: TemplateId): repo.ChannelRule {
  const spec = specOf(template);
  return {
    kind: spec.kind,
    defaults: defaultChannels[spec.kind],
    allowed: spec.channels,
    fallback: fallbackOf(spec.kind, spec.channels),
  };
}

export function createNotifyService(deps: {
  db: Database;
  /** The channels this process can send through; messages for others wait for a node that can. */
  channels?: readonly Channel[];
  log?: NotifyLog;
  maxAttempts?: number;
  deliveryTimeoutMs?: number;
  leaseSeconds?: number;
}): NotifyService {
  const { db } = deps;
  const channels = new Map((deps.channels ?? []).map((c) => [c.id, c]));
  const maxAttempts = deps.maxAttempts ?? 8;
  const timeoutMs = deps.deliveryTimeoutMs ?? 30_000;
  const leaseSeconds = deps.leaseSeconds ?? 300;
  if (leaseSeconds * 1000 <= timeoutMs) throw new Error('the lease must outlast the delivery timeout');
  const log: NotifyLog = deps.log ?? silentLogger;

  const withTimeout = async (p: Promise<Outcome>): Promise<Outcome> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        p,
        new Promise<Outcome>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs))),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };

  /** The row as its channel receives it, or why it cannot be sent at all. */
  function outgoingOf(row: repo.OutboxRow): { channel: Channel; m: Outgoing } | undefined {
    const channel = channels.get(row.channel as Channel['id']);
    if (!isTemplate(row.template) || !isLocale(row.locale) || !channel) return undefined;
    const template = row.template;
    const parsed = specOf(template).params.safeParse(row.params);
    if (!parsed.success) return undefined;
    return {
      channel,
      m: {
        id: row.id,
        notificationId: row.notificationId,
        subjectId: row.subjectId,
        template,
        locale: row.locale,
        params: parsed.data as Params,
        attempt: row.attempts,
      },
    };
  }

  /**
   * Every row's attempt, in parallel (one slow destination must not hold the others past
   * their lease); a channel that can take the rows of a batch together gets them at once.
   */
  function attempts(rows: readonly repo.OutboxRow[]): Promise<Outcome>[] {
    const out: Promise<Outcome>[] = new Array(rows.length);
    const grouped = new Map<Channel, { i: number; m: Outgoing }[]>();
    rows.forEach((row, i) => {
      const o = outgoingOf(row);
      if (!o) out[i] = Promise.resolve({ ok: false, code: 'invalid-params' });
      else grouped.set(o.channel, [...(grouped.get(o.channel) ?? []), { i, m: o.m }]);
    });
    const unexpected = (): Outcome => ({ ok: false, code: 'unexpected' });
    for (const [channel, group] of grouped) {
      let many: Promise<Outcome>[] | undefined;
      try {
        many = channel.deliverMany?.(group.map((g) => g.m));
      } catch {
        many = group.map(() => Promise.resolve(unexpected()));
      }
      group.forEach((g, k) => {
        // A channel answering for fewer messages than it was given failed the rest.
        const p = many ? (many[k] ?? Promise.resolve(unexpected())) : channel.deliver(g.m);
        out[g.i] = withTimeout(p).catch(unexpected);
      });
    }
    return out;
  }

  /** Records an attempt's outcome; 'lost' when the claim ran out and another drain took over. */
  async function settleOne(
    row: repo.OutboxRow,
    outcome: Outcome,
  ): Promise<'sent' | 'retrying' | 'failed' | 'lost'> {
    const detail = {
      messageId: row.notificationId,
      deliveryId: row.id,
      template: row.template,
      channel: row.channel,
      attempt: row.attempts,
    };
    let settled: 'sent' | 'retrying' | 'failed';
    if (outcome.ok) {
      settled = 'sent';
      if (await repo.settle(db, row.id, row.attempts, { state: 'sent' })) return settled;
    } else if (failureCodes[outcome.code].permanent || row.attempts >= maxAttempts) {
      settled = 'failed';
      const code: FailureCode = outcome.code;
      log.error({ ...detail, code }, 'notification not delivered; given up');
      if (await repo.settle(db, row.id, row.attempts, { state: 'failed', code })) return settled;
    } else {
      settled = 'retrying';
      const retryInSeconds = backoffSeconds(row.attempts);
      log.warn({ ...detail, code: outcome.code, retryInSeconds }, 'notification not delivered; will retry');
      if (
        await repo.settle(db, row.id, row.attempts, { state: 'retrying', code: outcome.code, retryInSeconds })
      )
        return settled;
    }
    lostClaim(row, settled);
    return 'lost';
  }

  const lostClaim = (row: repo.OutboxRow, outcome: string) =>
    log.warn(
      {
        messageId: row.notificationId,
        deliveryId: row.id,
        template: row.template,
        channel: row.channel,
        attempt: row.attempts,
        outcome,
      },
      'notification claim ran out before its outcome was recorded',
    );

  async function drainOutbox(opts: { limit?: number } = {}): Promise<DrainResult> {
    const result: DrainResult = { claimed: 0, sent: 0, retrying: 0, failed: 0 };
    if (channels.size === 0) return result;
    const rows = await repo.claimDue(db, [...channels.keys()], opts.limit ?? 20, leaseSeconds);
    result.claimed = rows.length;
    const outcomes = await Promise.all(attempts(rows));
    // What went through is recorded in one statement for the batch; failures one by one,
    // each with its code and its next attempt.
    const sent = rows.filter((_, i) => outcomes[i]!.ok);
    const settled = await repo.settleSent(
      db,
      sent.map((r) => ({ id: r.id, attempt: r.attempts })),
    );
    for (const r of sent) {
      if (settled.has(r.id)) result.sent++;
      else lostClaim(r, 'sent');
    }
    const others = await Promise.all(
      rows.map((r, i) => (outcomes[i]!.ok ? undefined : settleOne(r, outcomes[i]!))),
    );
    for (const o of others) if (o && o !== 'lost') result[o]++;
    return result;
  }

  return {
    async enqueue(q, m) {
      const spec = specOf(m.template);
      const parsed = spec.params.safeParse(m.params);
      if (!parsed.success) {
        // A programming error (the types already say what a template takes); the
        // transaction it runs in is rolled back with it.
        throw new Error(`message ${m.template}: parameters do not match the catalogue`);
      }
      const locale: Locale = isLocale(m.locale) ? m.locale : 'zh-CN';
      await repo.rememberLocale(q, m.subjectId, locale);
      const { id } = await repo.insertMessage(
        q,
        { id: m.id, subjectId: m.subjectId, template: m.template, locale, params: parsed.data, due: m.due },
        ruleOf(m.template),
      );
      return id;
    },

    async fanOut(q, notice, subjectIds) {
      const spec = specOf(notice.template);
      const parsed = spec.params.safeParse(notice.params);
      if (!parsed.success)
        throw new Error(`notice ${notice.template}: parameters do not match the catalogue`);
      const drill = notice.drill ?? false;
      const noticeId = await repo.upsertNotice(q, {
        key: notice.key,
        template: notice.template,
        params: parsed.data,
        drill,
      });
      const rule = ruleOf(notice.template);
      const written = drill
        ? await repo.fanOutDryRun(q, noticeId, subjectIds, rule)
        : await repo.fanOut(q, noticeId, notice.template, subjectIds, rule);
      return { noticeId, drill, ...written };
    },

    async deliveryOf(ids) {
      const all = await repo.deliveriesOf(db, ids);
      return new Map([...all].map(([id, ds]) => [id, summarise(ds.map((d) => d.state))]));
    },

    deliveriesOf: (ids) => repo.deliveriesOf(db, ids),

    async inbox(subjectId, locale, opts = {}) {
      const before =
        opts.before && UUID.test(opts.before.id) && !Number.isNaN(opts.before.at.getTime())
          ? opts.before
          : undefined;
      const limit = Math.min(Math.max(1, Math.trunc(opts.limit ?? 20)), 100);
      const rows = await repo.inboxOf(db, subjectId, { limit, before });
      const shown = rows.filter((r): r is repo.InboxRow & { template: TemplateId } => isTemplate(r.template));
      const deliveries = await repo.deliveriesOf(
        db,
        shown.map((r) => r.id),
      );
      return shown.map((r) => {
        const params = r.params as Params;
        return {
          id: r.id,
          template: r.template,
          kind: r.kind,
          title: renderTitle(r.template, locale, params),
          text: render(r.template, locale, params),
          at: r.at,
          read: r.readAt !== null,
          deliveries: (deliveries.get(r.id) ?? []).map((d) => ({
            channel: d.channel,
            state: deliveryOf(d.state),
          })),
        };
      });
    },

    noticeProgress: (key) => repo.noticeProgress(db, key),
    outboxOverview: (opts = {}) => repo.outboxOverview(db, opts.notices ?? 50),
    unreadCount: (subjectId) => repo.unreadCount(db, subjectId),
    // An id that cannot be a message's (a tampered form) marks nothing, like another person's.
    markRead: async (subjectId, id) => (id === 'all' || UUID.test(id) ? repo.markRead(db, subjectId, id) : 0),

    async preferences(subjectId) {
      const [chosen, reachable] = await Promise.all([
        repo.preferencesOf(db, subjectId),
        repo.reachableChannels(db, subjectId),
      ]);
      return {
        reachable,
        kinds: (Object.keys(kinds) as Kind[]).map((kind) => ({
          kind,
          mandatory: kinds[kind].mandatory,
          channels: chosen.get(kind) ?? [...defaultChannels[kind]],
          chosen: chosen.has(kind),
        })),
      };
    },

    async choose(subjectId, kind, chosen, locale) {
      const wanted = allChannels.filter((c) => chosen.includes(c));
      if (kinds[kind].mandatory && wanted.length === 0)
        throw new AppError(notifyErrors.mandatory_needs_channel);
      await db.tx(async (q) => {
        await repo.setPreference(q, subjectId, kind, wanted);
        if (locale) await repo.rememberLocale(q, subjectId, locale);
      });
    },

    async drainUntilEmpty({ workers, batch, budgetMs }) {
      const total: DrainResult = { claimed: 0, sent: 0, retrying: 0, failed: 0 };
      const until = performance.now() + budgetMs;
      const loop = async () => {
        while (performance.now() < until) {
          const r = await drainOutbox({ limit: batch });
          for (const k of Object.keys(total) as (keyof DrainResult)[]) total[k] += r[k];
          if (r.claimed < batch) return;
        }
      };
      await Promise.all(Array.from({ length: workers }, loop));
      return total;
    },

    drainOutbox,
  };
}

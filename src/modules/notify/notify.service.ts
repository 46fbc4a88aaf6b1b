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
import type { Channel, Outcome, Outgoing } from './notify.channel.ts';
import * as repo from './notify.repository.ts';
import { deliveryOf, failureCodes, type DeliveryState, type FailureCode } from './notify.states.ts';
import { isTemplate, specOf, type MessageBody, type TemplateId } from './notify.templates.ts';

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

/** The part of the service other modules queue with and read states from. */
export interface Outbox {
  enqueue(q: Queryable, m: Message): Promise<string>;
  /** Whether each message reached the person, by id (ids unknown to the outbox are absent). */
  deliveryOf(ids: readonly string[]): Promise<Map<string, DeliveryState>>;
}

export interface NotifyService extends Outbox {
  drainOutbox(opts?: { limit?: number }): Promise<DrainResult>;
}

const BACKOFF_FIRST_SECONDS = 30;
const BACKOFF_MAX_SECONDS = 3600;

export const backoffSeconds = (attempt: number): number =>
  Math.min(BACKOFF_FIRST_SECONDS * 2 ** Math.max(0, attempt - 1), BACKOFF_MAX_SECONDS);

const TIMED_OUT: Outcome = { ok: false, code: 'timeout' };

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

  async function attempt(row: repo.OutboxRow): Promise<'sent' | 'retrying' | 'failed' | 'lost'> {
    const channel = channels.get(row.channel as Channel['id']);
    let outcome: Outcome;
    let template: TemplateId | undefined;
    if (!isTemplate(row.template) || !isLocale(row.locale)) outcome = { ok: false, code: 'invalid-params' };
    else {
      template = row.template;
      const parsed = specOf(template).params.safeParse(row.params);
      if (!parsed.success || !channel) outcome = { ok: false, code: 'invalid-params' };
      else {
        const m: Outgoing = {
          id: row.id,
          subjectId: row.subjectId,
          template,
          locale: row.locale,
          params: parsed.data as Record<string, string>,
          attempt: row.attempts,
        };
        outcome = await withTimeout(channel.deliver(m)).catch((): Outcome => ({
          ok: false,
          code: 'unexpected',
        }));
      }
    }
    const detail = { messageId: row.id, template: row.template, channel: row.channel, attempt: row.attempts };
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
    // The lease ran out and another drain took the message over: its outcome counts.
    log.warn({ ...detail, outcome: settled }, 'notification claim ran out before its outcome was recorded');
    return 'lost';
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
      return repo.insertMessage(q, {
        id: m.id,
        subjectId: m.subjectId,
        template: m.template,
        channel: spec.channel,
        locale,
        params: parsed.data,
        due: m.due,
      });
    },

    async deliveryOf(ids) {
      const states = await repo.statesOf(db, ids);
      return new Map([...states].map(([id, s]) => [id, deliveryOf(s)]));
    },

    async drainOutbox(opts = {}) {
      const result: DrainResult = { claimed: 0, sent: 0, retrying: 0, failed: 0 };
      if (channels.size === 0) return result;
      const rows = await repo.claimDue(db, [...channels.keys()], opts.limit ?? 20, leaseSeconds);
      result.claimed = rows.length;
      // In parallel: one slow destination must not hold the others past their lease.
      const outcomes = await Promise.all(rows.map((r) => attempt(r)));
      for (const o of outcomes) if (o !== 'lost') result[o]++;
      return result;
    },
  };
}

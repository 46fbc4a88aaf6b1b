/**
 * The person's e-mail address: added, verified by a code sent to it, changed, removed.
 *
 * Rules:
 * - P8.1 the address is the person's own, kept in the vault like the phone: the verified one
 *   is the field `email` (found by its shared lookup, released only as the vault allows); a
 *   pending one is in the compartment `notify-email:<id>`, which no read without it sees and
 *   nothing searches, so an address nobody has confirmed is never released nor written to.
 * - The code: 6 random digits, sent directly by mail (a code must not wait in the outbox),
 *   stored as a keyed hash bound to its address row, valid 30 minutes, at most 5 guesses (the
 *   fifth wrong one spends it), a new one at most once a minute and 10 a day per person.
 * - A change keeps the old address until the new one is verified; then the old one is told,
 *   directly, and the person is told on their other channels (template `email-changed`,
 *   kind security). A removal erases the vault field, and is told the same way.
 * - Adding an address another person has verified is allowed (lookup `shared`) and answers
 *   exactly as any other: nothing says that someone else uses it.
 * - Every step is in the audit chain, in the transaction of the change, by row id: never the
 *   address. States move only along notify.email.lifecycle.ts.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import { MailRejected, MailUnavailable, type MailTransport } from '../../adapters/mail.ts';
import { clock } from '../../kernel/clock.ts';
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import { isLocale, type Locale } from '../../kernel/locale.ts';
import { silentLogger, type Logger } from '../../kernel/logger.ts';
import type { AuditService } from '../audit/index.ts';
import type { Actor, VaultService } from '../vault/index.ts';
import { emailLifecycle } from './notify.email.lifecycle.ts';
import * as repo from './notify.email.repository.ts';
import { codeMail, replacedMail } from './notify.email.texts.ts';
import { notifyErrors } from './notify.errors.ts';
import { composeMail } from './notify.mail.compose.ts';
import { HARD_BOUNCES_UNREACHABLE } from './notify.reach.ts';
import type { NotifyService } from './notify.service.ts';
import { beijingMinute, channels as allChannels, kinds, type Kind } from './notify.templates.ts';
import { readUnsubscribeToken, type KeyedHash } from './notify.unsubscribe.ts';

const CODE_TTL_MS = 30 * 60_000;
const MAX_GUESSES = 5;
const MAX_CODES_A_DAY = 10;
const MAX_LENGTH = 254;

export interface EmailOverview {
  verified?: {
    address: string;
    verifiedAt: Date;
    /** Too many hard bounces: mail no longer goes there. */
    bounced: boolean;
    bounces: number;
  };
  pending?: { address: string; expiresAt: Date | null };
}

export interface EmailContext {
  locale: string;
  requestId?: string | undefined;
}

export interface EmailService {
  overview(subjectId: string): Promise<EmailOverview>;
  /** Adds (or, with one verified, changes to) an address and sends its code. */
  add(subjectId: string, address: string, ctx: EmailContext): Promise<void>;
  resend(subjectId: string, ctx: EmailContext): Promise<void>;
  verify(subjectId: string, code: string, ctx: EmailContext): Promise<'added' | 'changed'>;
  cancel(subjectId: string, ctx: EmailContext): Promise<void>;
  remove(subjectId: string, ctx: EmailContext): Promise<void>;
  /** The kind a one-click link switches off, if the link is genuine (notify.unsubscribe.ts). */
  unsubscribeTarget(token: string): { kind: Kind } | undefined;
  /** Switches mail off for the link's kind; false for a link that is not genuine. */
  unsubscribe(token: string): Promise<{ kind: Kind } | undefined>;
}

/** Trimmed, the domain in lower case; undefined when it cannot be an address. */
export function normaliseEmail(typed: string): string | undefined {
  const v = typed.normalize('NFC').trim();
  if (v.length === 0 || v.length > MAX_LENGTH) return undefined;
  // One @, a local part and a dotted domain, no spaces or control characters; the relay is
  // the final judge (a 5xx for it is `email_rejected`).
  const m = /^([^\s@\p{Cc}]{1,64})@([^\s@\p{Cc}.]+(?:\.[^\s@\p{Cc}.]+)+)$/u.exec(v);
  if (!m) return undefined;
  return `${m[1]}@${m[2]!.toLowerCase()}`;
}

const compartmentOf = (id: string) => `notify-email:${id}`;
const self = (subjectId: string): Actor => ({ type: 'self', id: subjectId, label: 'self' });
const citizen = (subjectId: string) => ({ type: 'citizen' as const, id: subjectId });
const localeOf = (l: string): Locale => (isLocale(l) ? l : 'zh-CN');

export function createEmailService(deps: {
  db: Database;
  audit: AuditService;
  vault: VaultService;
  mail: MailTransport;
  notify: NotifyService;
  /** Keyed hash for the codes (a keyring blind index of its own). */
  codeHash: KeyedHash;
  unsubscribeHash: KeyedHash;
  portalUrl: () => string;
  log?: Logger;
}): EmailService {
  const { db, audit, vault } = deps;
  const log = deps.log ?? silentLogger;
  const hashOf = (id: string, code: string) => deps.codeHash(`email-code:${id}:${code}`);
  const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

  const readOwn = async (subjectId: string, compartment?: string) =>
    (
      await vault.read({
        subjectId,
        actor: self(subjectId),
        purpose: 'account-security',
        basis: { type: 'self' },
        fields: ['email'],
        ...(compartment ? { compartment } : {}),
      })
    ).values.email;

  const compose = (
    texts: { title: Record<Locale, string>; text: Record<Locale, string> },
    l: Locale,
    code = '',
  ) =>
    composeMail({
      locale: l,
      title: texts.title[l],
      text: texts.text[l].replace('{code}', code),
      portalUrl: deps.portalUrl(),
    });

  /** Sends the code; a failure retires it (a code nobody received must not be guessed towards). */
  async function sendCode(subjectId: string, id: string, to: string, code: string, l: Locale) {
    try {
      await deps.mail.send({ to, ...compose(codeMail, l, code), locale: l });
    } catch (err) {
      if (err instanceof MailRejected) {
        await db.tx(async (q) => {
          await repo.end(q, id, emailLifecycle.next('pending', 'cancel') as 'cancelled');
          await vault.eraseCompartment(
            subjectId,
            compartmentOf(id),
            { actor: self(subjectId), reason: 'person-request', clause: 'P8.1' },
            q,
          );
        });
        throw new AppError(notifyErrors.email_rejected);
      }
      await repo.retireCode(db, id);
      if (err instanceof MailUnavailable) throw new AppError(notifyErrors.email_unavailable);
      throw err;
    }
  }

  async function checkBudget(q: Queryable, subjectId: string) {
    const sent = await repo.codesSentRecently(q, subjectId);
    if (sent.lastMinute || sent.lastDay >= MAX_CODES_A_DAY)
      throw new AppError(notifyErrors.email_too_many_codes);
  }

  async function cancelPending(q: Queryable, subjectId: string, pending: repo.EmailRow) {
    await repo.end(q, pending.id, emailLifecycle.next(pending.state, 'cancel') as 'cancelled');
    await vault.eraseCompartment(
      subjectId,
      compartmentOf(pending.id),
      { actor: self(subjectId), reason: 'person-request', clause: 'P8.1' },
      q,
    );
  }

  async function tellChange(
    q: Queryable,
    subjectId: string,
    change: 'added' | 'changed' | 'removed',
    l: Locale,
  ) {
    await deps.notify.enqueue(q, {
      subjectId,
      locale: l,
      template: 'email-changed',
      params: { time: beijingMinute(clock.date()), change },
    });
  }

  return {
    async overview(subjectId) {
      const { verified, pending } = await repo.currentOf(db, subjectId);
      const out: EmailOverview = {};
      if (verified) {
        const address = await readOwn(subjectId);
        if (address)
          out.verified = {
            address,
            verifiedAt: verified.verifiedAt!,
            bounces: verified.bounces,
            bounced: verified.bounces >= HARD_BOUNCES_UNREACHABLE,
          };
      }
      if (pending) {
        const address = await readOwn(subjectId, compartmentOf(pending.id));
        if (address) out.pending = { address, expiresAt: pending.codeExpiresAt };
      }
      return out;
    },

    async add(subjectId, typed, ctx) {
      const address = normaliseEmail(typed);
      if (!address) throw new AppError(notifyErrors.email_invalid);
      const l = localeOf(ctx.locale);
      const code = newCode();
      const id = await db.tx(async (q) => {
        const { verified, pending } = await repo.currentOf(q, subjectId, { lock: true });
        if (verified && verified.bounces < HARD_BOUNCES_UNREACHABLE) {
          const current = await readOwn(subjectId);
          if (current && normaliseEmail(current)?.toLowerCase() === address.toLowerCase())
            throw new AppError(notifyErrors.email_same);
        }
        await checkBudget(q, subjectId);
        if (pending) await cancelPending(q, subjectId, pending);
        const id = await repo.insertPending(
          q,
          subjectId,
          (rowId) => hashOf(rowId, code),
          new Date(clock.now() + CODE_TTL_MS),
        );
        await vault.write(
          subjectId,
          { email: address },
          {
            source: 'user',
            // Collected to reach the person about what they use; account security may use it too.
            purpose: 'service-provision',
            actor: self(subjectId),
            compartment: compartmentOf(id),
            ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
          },
          q,
        );
        await audit.append(q, {
          actor: citizen(subjectId),
          action: 'notify.email_added',
          subject: { type: 'person', id: subjectId },
          purpose: 'account-security',
          clause: verified ? 'P8.1.correct' : 'P8.1',
          detail: { emailId: id, replaces: verified?.id ?? null },
          requestId: ctx.requestId ?? null,
        });
        return id;
      });
      await sendCode(subjectId, id, address, code, l);
    },

    async resend(subjectId, ctx) {
      const l = localeOf(ctx.locale);
      const code = newCode();
      const { id, address } = await db.tx(async (q) => {
        const { pending } = await repo.currentOf(q, subjectId, { lock: true });
        if (!pending) throw new AppError(notifyErrors.email_nothing_pending);
        await checkBudget(q, subjectId);
        const address = await readOwn(subjectId, compartmentOf(pending.id));
        if (!address) throw new AppError(notifyErrors.email_nothing_pending);
        await repo.newCode(q, pending.id, hashOf(pending.id, code), new Date(clock.now() + CODE_TTL_MS));
        await audit.append(q, {
          actor: citizen(subjectId),
          action: 'notify.email_code_resent',
          subject: { type: 'person', id: subjectId },
          purpose: 'account-security',
          clause: 'P8.1',
          detail: { emailId: pending.id },
          requestId: ctx.requestId ?? null,
        });
        return { id: pending.id, address };
      });
      await sendCode(subjectId, id, address, code, l);
    },

    async verify(subjectId, typed, ctx) {
      const code = typed.normalize('NFKC').replace(/\s+/g, '');
      if (!/^\d{6}$/.test(code)) throw new AppError(notifyErrors.email_code_invalid);
      const l = localeOf(ctx.locale);
      // A wrong guess is counted in its own transaction: it must stay counted though the
      // request fails.
      const outcome = await db.tx(async (q) => {
        const { verified, pending } = await repo.currentOf(q, subjectId, { lock: true });
        if (!pending) throw new AppError(notifyErrors.email_nothing_pending);
        const live =
          pending.codeHash !== null &&
          pending.codeExpiresAt !== null &&
          pending.codeExpiresAt.getTime() > clock.now() &&
          pending.codeAttempts < MAX_GUESSES;
        if (!live) return { kind: 'used-up' as const };
        if (!timingSafeEqual(pending.codeHash!, hashOf(pending.id, code))) {
          const n = await repo.countWrongGuess(q, pending.id);
          return n >= MAX_GUESSES
            ? { kind: 'used-up' as const }
            : { kind: 'wrong' as const, left: MAX_GUESSES - n };
        }
        const address = await readOwn(subjectId, compartmentOf(pending.id));
        if (!address) throw new AppError(notifyErrors.email_nothing_pending);
        const old = verified ? await readOwn(subjectId) : undefined;
        if (verified)
          await repo.end(q, verified.id, emailLifecycle.next(verified.state, 'replace') as 'replaced');
        emailLifecycle.next(pending.state, 'verify');
        await repo.markVerified(q, pending.id);
        await vault.write(
          subjectId,
          { email: address },
          {
            source: 'user',
            // Collected to reach the person about what they use; account security may use it too.
            purpose: 'service-provision',
            actor: self(subjectId),
            ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
          },
          q,
        );
        await vault.eraseCompartment(
          subjectId,
          compartmentOf(pending.id),
          { actor: self(subjectId), reason: 'person-request', clause: 'P8.1' },
          q,
        );
        const change = verified ? ('changed' as const) : ('added' as const);
        await audit.append(q, {
          actor: citizen(subjectId),
          action: 'notify.email_verified',
          subject: { type: 'person', id: subjectId },
          purpose: 'account-security',
          clause: verified ? 'P8.1.correct' : 'P8.1',
          detail: { emailId: pending.id, replaced: verified?.id ?? null },
          requestId: ctx.requestId ?? null,
        });
        await tellChange(q, subjectId, change, l);
        return { kind: 'verified' as const, change, old: old && old !== address ? old : undefined };
      });
      if (outcome.kind === 'wrong')
        throw new AppError(notifyErrors.email_code_invalid, `${outcome.left} left`);
      if (outcome.kind === 'used-up') throw new AppError(notifyErrors.email_code_used_up);
      if (outcome.old) {
        // Best effort, after the commit: the change stands whether or not the old mailbox
        // still takes mail (the person is told on their other channels as well).
        await deps.mail
          .send({ to: outcome.old, ...compose(replacedMail, l), locale: l })
          .catch((err: unknown) =>
            log.warn(
              { code: err instanceof MailRejected ? err.responseCode : (err as Error).name },
              'the old e-mail address could not be told of the change',
            ),
          );
      }
      return outcome.change;
    },

    async cancel(subjectId, ctx) {
      await db.tx(async (q) => {
        const { pending } = await repo.currentOf(q, subjectId, { lock: true });
        if (!pending) throw new AppError(notifyErrors.email_nothing_pending);
        await cancelPending(q, subjectId, pending);
        await audit.append(q, {
          actor: citizen(subjectId),
          action: 'notify.email_cancelled',
          subject: { type: 'person', id: subjectId },
          purpose: 'account-security',
          clause: 'P8.1',
          detail: { emailId: pending.id },
          requestId: ctx.requestId ?? null,
        });
      });
    },

    async remove(subjectId, ctx) {
      await db.tx(async (q) => {
        const { verified, pending } = await repo.currentOf(q, subjectId, { lock: true });
        if (!verified) throw new AppError(notifyErrors.email_none);
        if (pending) await cancelPending(q, subjectId, pending);
        await repo.end(q, verified.id, emailLifecycle.next(verified.state, 'remove') as 'removed');
        await vault.erase(
          subjectId,
          ['email'],
          {
            actor: self(subjectId),
            reason: 'person-request',
            clause: 'P8.1.delete',
            ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
          },
          q,
        );
        await audit.append(q, {
          actor: citizen(subjectId),
          action: 'notify.email_removed',
          subject: { type: 'person', id: subjectId },
          purpose: 'account-security',
          clause: 'P8.1.delete',
          detail: { emailId: verified.id },
          requestId: ctx.requestId ?? null,
        });
        await tellChange(q, subjectId, 'removed', localeOf(ctx.locale));
      });
    },

    unsubscribeTarget(token) {
      const t = readUnsubscribeToken(deps.unsubscribeHash, token);
      return t ? { kind: t.kind } : undefined;
    },

    async unsubscribe(token) {
      const t = readUnsubscribeToken(deps.unsubscribeHash, token);
      if (!t || kinds[t.kind].mandatory) return undefined;
      const prefs = await deps.notify.preferences(t.subjectId);
      const current = prefs.kinds.find((k) => k.kind === t.kind)?.channels ?? [];
      await deps.notify.choose(
        t.subjectId,
        t.kind,
        allChannels.filter((c) => c !== 'mail' && current.includes(c)),
      );
      await db.tx((q) =>
        audit.append(q, {
          actor: citizen(t.subjectId),
          action: 'notify.mail_unsubscribed',
          subject: { type: 'person', id: t.subjectId },
          purpose: 'account-security',
          clause: 'P8.5',
          detail: { kind: t.kind },
        }),
      );
      return { kind: t.kind };
    },
  };
}

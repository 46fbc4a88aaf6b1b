/**
 * Consent records: given, listed, checked, withdrawn.
 *
 * Rules:
 * - P5.1.1 a consent names subject, purpose, data categories, recipient (for sharing and
 *   transfer), time, and evidence: channel, the policy document (id, version, language)
 *   the text shown came from, and the SHA-256 of that exact text. The policy module keeps
 *   what is needed to produce the text again, in the same transaction (`textShown`).
 * - P2.1 / PIPL art. 29: sensitive categories are consented to separately and explicitly; a
 *   consent never mixes sensitive and ordinary categories.
 * - P4: a consent covers only categories its purpose uses.
 * - P5.2: transfer has its own kind of consent; P6.1 cross-border its own.
 * - P8.5: withdrawal takes effect at once in every process (NOTIFY on commit, see cache).
 * - A consent moves only along consent.lifecycle.ts (given → withdrawn, once).
 * - Every consent change is audited in the same transaction; `give` may join the caller's
 *   transaction (one answer on the SSO consent screen is recorded in one).
 */
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import { auditActor, type AuditService } from '../audit/index.ts';
import { categories as categorySpecs, purposes, type Category, type PurposeId } from '../inventory/index.ts';
import {
  createPolicyService,
  hashOf,
  type DocumentRef,
  type PolicyService,
  type ShownText,
} from '../policy/index.ts';
import { createConsentCache } from './consent.cache.ts';
import { consentErrors } from './consent.errors.ts';
import { consentLifecycle } from './consent.lifecycle.ts';
import * as repo from './consent.repository.ts';
import { clock } from '../../kernel/clock.ts';
import type { Logger } from '../../kernel/logger.ts';

export type ConsentKind = repo.ConsentRow['kind'];
export type ConsentRecord = repo.ConsentRow & {
  /**
   * P9.accept a material change of the privacy policy changed this consent's purpose after it
   * was given: it does not count until the person answers again (policy.versions.ts).
   */
  awaitingAnswer?: { version: string };
};

export interface GiveConsent {
  subjectId: string;
  kind: ConsentKind;
  purpose: PurposeId;
  categories: Category[];
  recipient?: { type: 'department' | 'partner'; id: string };
  channel: 'portal' | 'sso-consent-screen' | 'service-hall' | 'api';
  /** What the person was shown: the policy document, and for a template the text filled in. */
  shown: ShownText;
  /** Required for sensitive categories: the person ticked a separate box for them. */
  explicitSeparate?: boolean;
  expiresAt?: Date;
}

export interface ConsentActor {
  type: 'self' | 'staff' | 'system';
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Not withdrawn and not expired: it can still be withdrawn, shown, answered again. */
export function isActive(c: ConsentRecord, now = clock.date()): boolean {
  return !c.withdrawnAt && (!c.expiresAt || c.expiresAt > now);
}

/** Active and not awaiting an answer after a material policy change: what a release may rest on. */
export function counts(c: ConsentRecord, now = clock.date()): boolean {
  return isActive(c, now) && !c.awaitingAnswer;
}

/** The exact text a consent was given on, produced from its record. */
export interface TextShown {
  consentId: string;
  /** null: given before policy documents (migration 0019) and its text was never kept. */
  document: DocumentRef | null;
  text: string | null;
  /** SHA-256 of `text`'s UTF-8 bytes, as recorded when the consent was given. */
  textHash: Buffer;
}

export interface ConsentService {
  /** `within`: the caller's transaction, committed (with the audit entry) by the caller. */
  give(c: GiveConsent, by: ConsentActor, requestId?: string, within?: Queryable): Promise<ConsentRecord>;
  /** The exact text shown when the consent was given (its hash checked again). */
  textShown(consentId: string): Promise<TextShown>;
  /** `within`: the caller's transaction (disconnecting a service withdraws with the rest of it). */
  withdraw(
    consentId: string,
    by: ConsentActor,
    requestId?: string,
    within?: Queryable,
  ): Promise<ConsentRecord>;
  /** All consents of a subject, newest first (cached; invalidated across processes). */
  of(subjectId: string): Promise<ConsentRecord[]>;
  /**
   * The people who gave a recipient (a department client) a consent not withdrawn since, in
   * pages of subject ids after `after`: whom a service's data is about (P5.3.2).
   */
  subjectsOf(
    recipient: { type: string; ids: readonly string[] },
    opts: { after?: string | null; limit: number },
  ): Promise<string[]>;
  close(): Promise<void>;
}

export async function createConsentService(deps: {
  db: Database;
  audit: AuditService;
  policy?: PolicyService;
  log?: Logger;
  /** The policy change (the platform's, or the recipient service's own) that asks this consent again (P9.accept, P1.2). */
  reconsent?: (c: ConsentRecord) => Promise<{ version: string } | undefined>;
  /**
   * P8.5 what a withdrawal ends besides the consent, in its transaction (personalisation
   * deletes what it kept, ADR 0047): it commits, or fails, with the withdrawal.
   */
  onWithdrawn?: (q: Queryable, withdrawn: { purpose: string; subjectId: string }) => Promise<void>;
}): Promise<ConsentService> {
  const { db, audit } = deps;
  const policy = deps.policy ?? createPolicyService({ db });
  const cache = await createConsentCache(db, deps.log);
  const inTx = <T>(within: Queryable | undefined, fn: (q: Queryable) => Promise<T>) =>
    within ? fn(within) : db.tx(fn);

  return {
    async give(c, by, requestId, within) {
      const allowed = purposes[c.purpose].categories as readonly string[];
      if (c.categories.length === 0 || c.categories.some((k) => !allowed.includes(k))) {
        throw new AppError(consentErrors.category_outside_purpose);
      }
      const sensitive = c.categories.map((k) => categorySpecs[k].sensitive);
      if (sensitive.some(Boolean) && (!c.explicitSeparate || !sensitive.every(Boolean))) {
        throw new AppError(consentErrors.sensitive_needs_separate);
      }
      if ((c.kind === 'share' || c.kind === 'transfer' || c.kind === 'cross-border') && !c.recipient) {
        throw new AppError(consentErrors.recipient_required);
      }
      const record = await inTx(within, async (q) => {
        const { document, textHash } = await policy.keep(q, c.shown);
        const row = await repo.insertConsent(q, {
          subjectId: c.subjectId,
          kind: c.kind,
          purpose: c.purpose,
          categories: c.categories,
          sensitive: sensitive.some(Boolean),
          recipientType: c.recipient?.type ?? null,
          recipientId: c.recipient?.id ?? null,
          policyVersion: document.version,
          channel: c.channel,
          textHash,
          expiresAt: c.expiresAt ?? null,
          documentId: document.documentId,
          documentVersion: document.version,
          documentLanguage: document.language,
        });
        await repo.notifyChanged(q, c.subjectId);
        await audit.append(q, {
          actor: auditActor(by),
          action: 'consent.given',
          subject: { type: 'person', id: c.subjectId },
          purpose: c.purpose,
          legalBasis: 'consent',
          clause: c.kind === 'transfer' ? 'P5.2' : c.kind === 'cross-border' ? 'P6.1' : 'P5.1.1',
          detail: {
            consentId: row.id,
            kind: c.kind,
            categories: c.categories,
            recipient: c.recipient?.id ?? null,
            document: `${document.documentId}@${document.version}/${document.language}`,
          },
          requestId: requestId ?? null,
        });
        return row;
      });
      cache.invalidate(c.subjectId);
      return record;
    },

    async withdraw(consentId, by, requestId, within) {
      if (!UUID.test(consentId)) {
        throw new AppError(consentErrors.unknown);
      }
      const record = await inTx(within, async (q) => {
        // A person may withdraw only their own consents; someone else's is "unknown" to them.
        const found = await repo.findConsent(q, consentId);
        if (!found || (by.type === 'self' && found.subjectId !== by.id)) {
          throw new AppError(consentErrors.unknown);
        }
        const to = consentLifecycle.next(found.state, 'withdraw'); // consent.already_withdrawn
        const row = await repo.withdraw(q, consentId, found.state, to);
        if (!row) throw new AppError(consentErrors.already_withdrawn); // withdrawn meanwhile
        await deps.onWithdrawn?.(q, { purpose: row.purpose, subjectId: row.subjectId });
        await repo.notifyChanged(q, row.subjectId);
        await audit.append(q, {
          actor: auditActor(by),
          action: 'consent.withdrawn',
          subject: { type: 'person', id: row.subjectId },
          purpose: row.purpose,
          legalBasis: 'consent',
          clause: 'P8.5',
          detail: { consentId, kind: row.kind },
          requestId: requestId ?? null,
        });
        return row;
      });
      cache.invalidate(record.subjectId);
      return record;
    },

    async textShown(consentId) {
      const row = UUID.test(consentId) ? await repo.findConsent(db, consentId) : undefined;
      if (!row) throw new AppError(consentErrors.unknown);
      if (!row.documentId || !row.documentVersion || !row.documentLanguage)
        return { consentId, document: null, text: null, textHash: row.textHash };
      const document = {
        documentId: row.documentId,
        version: row.documentVersion,
        language: row.documentLanguage as DocumentRef['language'],
      };
      const text = await policy.textOf(document, row.textHash);
      // SQL refuses a consent whose hash the store cannot answer; a mismatch here is tampering.
      if (text === undefined || !hashOf(text).equals(row.textHash))
        throw new Error(`consent ${consentId}: the text behind its hash is missing or altered`);
      return { consentId, document, text, textHash: row.textHash };
    },

    async of(subjectId) {
      const all = await cache.get(subjectId);
      const reconsent = deps.reconsent;
      if (!reconsent) return all;
      // The cache's records are shared: annotated copies, never the records themselves.
      return Promise.all(
        all.map(async (c) => {
          if (!isActive(c)) return c;
          const due = await reconsent(c);
          return due ? { ...c, awaitingAnswer: { version: due.version } } : c;
        }),
      );
    },
    subjectsOf: (recipient, opts) =>
      recipient.ids.length === 0
        ? Promise.resolve([])
        : repo.subjectsOfRecipients(db, recipient.type, recipient.ids, opts.after ?? null, opts.limit),
    close: () => cache.close(),
  };
}

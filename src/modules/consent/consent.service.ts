/**
 * Consent records: given, listed, checked, withdrawn.
 *
 * Rules:
 * - P5.1.1 a consent names subject, purpose, data categories, recipient (for sharing and
 *   transfer), policy version, time, and evidence: channel and a hash of the exact text shown.
 * - P2.1 / PIPL art. 29: sensitive categories are consented to separately and explicitly; a
 *   consent never mixes sensitive and ordinary categories.
 * - P4: a consent covers only categories its purpose uses.
 * - P5.2: transfer has its own kind of consent; P6.1 cross-border its own.
 * - P8.5: withdrawal takes effect at once in every process (NOTIFY on commit, see cache).
 * - Every consent change is audited in the same transaction.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../shared/errors.ts';
import { auditActor, type AuditService } from '../audit/index.ts';
import { categories as categorySpecs, purposes, type Category, type PurposeId } from '../inventory/index.ts';
import { createConsentCache } from './consent.cache.ts';
import { consentErrors } from './consent.errors.ts';
import * as repo from './consent.repository.ts';

export type ConsentKind = repo.ConsentRow['kind'];
export type ConsentRecord = repo.ConsentRow;

export interface GiveConsent {
  subjectId: string;
  kind: ConsentKind;
  purpose: PurposeId;
  categories: Category[];
  recipient?: { type: 'department' | 'partner'; id: string };
  policyVersion: string;
  channel: 'portal' | 'sso-consent-screen' | 'service-hall' | 'api';
  /** The exact text the person saw; only its SHA-256 is kept as evidence. */
  textShown: string;
  /** Required for sensitive categories: the person ticked a separate box for them. */
  explicitSeparate?: boolean;
  expiresAt?: Date;
}

export interface ConsentActor {
  type: 'self' | 'staff' | 'system';
  id: string;
}

export function isActive(c: ConsentRecord, now = new Date()): boolean {
  return !c.withdrawnAt && (!c.expiresAt || c.expiresAt > now);
}

export interface ConsentService {
  give(c: GiveConsent, by: ConsentActor, requestId?: string): Promise<ConsentRecord>;
  withdraw(consentId: string, by: ConsentActor, requestId?: string): Promise<ConsentRecord>;
  /** All consents of a subject, newest first (cached; invalidated across processes). */
  of(subjectId: string): Promise<ConsentRecord[]>;
  close(): Promise<void>;
}

export async function createConsentService(deps: {
  db: Database;
  audit: AuditService;
}): Promise<ConsentService> {
  const { db, audit } = deps;
  const cache = await createConsentCache(db);

  return {
    async give(c, by, requestId) {
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
      const record = await db.tx(async (q) => {
        const row = await repo.insertConsent(q, {
          subjectId: c.subjectId,
          kind: c.kind,
          purpose: c.purpose,
          categories: c.categories,
          sensitive: sensitive.some(Boolean),
          recipientType: c.recipient?.type ?? null,
          recipientId: c.recipient?.id ?? null,
          policyVersion: c.policyVersion,
          channel: c.channel,
          textHash: createHash('sha256').update(c.textShown).digest(),
          expiresAt: c.expiresAt ?? null,
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
          },
          requestId: requestId ?? null,
        });
        return row;
      });
      cache.invalidate(c.subjectId);
      return record;
    },

    async withdraw(consentId, by, requestId) {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(consentId)) {
        throw new AppError(consentErrors.unknown);
      }
      const record = await db.tx(async (q) => {
        // A person may withdraw only their own consents; someone else's is "unknown" to them.
        if (by.type === 'self' && (await repo.findConsent(q, consentId))?.subjectId !== by.id) {
          throw new AppError(consentErrors.unknown);
        }
        const row = await repo.withdraw(q, consentId);
        if (!row) {
          throw new AppError(
            (await repo.findConsent(q, consentId)) ? consentErrors.already_withdrawn : consentErrors.unknown,
          );
        }
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

    of: (subjectId) => cache.get(subjectId),
    close: () => cache.close(),
  };
}

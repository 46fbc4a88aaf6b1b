/**
 * Sharing, transfer and disclosure: three operations, each demanding its own basis.
 *
 *   operation  basis accepted                                      clause
 *   share      consent (kind share, naming the partner)            P5.1.1
 *              legal obligation with authority and reference       P5.1.2
 *              dispute case                                        P5.1.3
 *              necessity: an authorised partner doing our work     P5.1.4
 *   transfer   consent (kind transfer, naming the recipient) only  P5.2
 *   disclose   legal order (authority, reference)                  P5.3.3
 *
 * Rules for every operation to a partner:
 * - P5.3.1 the purpose is one the partner's agreement names;
 * - P5.1.4 every field is in the partner's allowed categories (else nothing is sent);
 * - P6.1 a partner outside the residency region needs a cross-border consent naming it.
 * A disclosure notifies the person (an SMS notice queued in the outbox, module notify, and
 * the entry in "who accessed my data") unless a recorded restriction forbids it until an
 * end date; then both reach the person on that date.
 * Each operation's access entry, audit entry and queued notice commit in one transaction.
 * A share may carry values supplied for that operation alone (`supplied`): they pass the
 * same partner rules and are recorded alike, but are never stored.
 */
import type { Database } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import { auditActor, type AuditService } from '../audit/index.ts';
import { counts, type ConsentService } from '../consent/index.ts';
import {
  categories as categorySpecs,
  categoryOf,
  isPurpose,
  type Category,
  type Field,
  type PurposeId,
} from '../inventory/index.ts';
import { beijingMinute, type Outbox } from '../notify/index.ts';
import type { Actor, Basis, ReadResult, VaultService } from '../vault/index.ts';
import { sharingErrors } from './sharing.errors.ts';
import * as repo from './sharing.repository.ts';
import { clock } from '../../kernel/clock.ts';

export type Partner = repo.PartnerRow;

export interface ShareRequest {
  subjectId: string;
  partner: string;
  purpose: PurposeId;
  fields: Field[];
  basis: Basis;
  /**
   * Values the person supplied for this operation alone and the platform does not store
   * (a camera capture, a bank card number). The same partner rules apply to them as to
   * `fields`, and they are recorded in the access log and audit entry alike (by name).
   */
  supplied?: Partial<Record<Field, string>>;
  /** Who at the platform performs the operation (staff member or system job). */
  by: Actor;
  requestId?: string;
}

export interface DisclosureRequest {
  subjectId: string;
  /** The authority receiving the data, as shown to the person. */
  recipient: string;
  fields: Field[];
  order: { authority: string; reference: string };
  /** A recorded restriction on telling the person, with its end. */
  restrictedUntil?: Date;
  /** The language of the person's notice (zh-CN when not known). */
  locale?: string;
  by: Actor;
  requestId?: string;
}

export interface SharingService {
  registerPartner(p: Omit<Partner, 'id'>, by: Actor): Promise<Partner>;
  partners(): Promise<Partner[]>;
  share(r: ShareRequest): Promise<ReadResult>;
  transfer(r: ShareRequest): Promise<ReadResult>;
  disclose(r: DisclosureRequest): Promise<ReadResult>;
}

export function createSharingService(deps: {
  db: Database;
  audit: AuditService;
  vault: VaultService;
  consent: ConsentService;
  /** P5.3.3 the notice owed for a disclosure is queued here (module notify). */
  notify: Outbox;
  residencyRegion: string;
}): SharingService {
  const { db, audit, vault, consent } = deps;

  async function toPartner(r: ShareRequest, operation: 'share' | 'transfer'): Promise<ReadResult> {
    const partner = await repo.partnerBySlug(db, r.partner);
    const sent = [...r.fields, ...(Object.keys(r.supplied ?? {}) as Field[])];
    const refuse = async (code: string, detail: string): Promise<never> => {
      const err = new AppError(code, detail);
      await audit.append(db, {
        actor: auditActor(r.by),
        action: `sharing.${operation}_refused`,
        subject: { type: 'person', id: r.subjectId },
        purpose: r.purpose,
        legalBasis: r.basis.type,
        clause: err.clause ?? null,
        detail: { code, partner: r.partner, fields: sent },
        requestId: r.requestId ?? null,
      });
      throw err;
    };
    if (!partner) throw new AppError(sharingErrors.unknown_partner);
    if (!partner.allowedPurposes.includes(r.purpose))
      return refuse(sharingErrors.purpose_not_agreed, r.purpose);
    const outside = sent.filter((f) => !partner.allowedCategories.includes(categoryOf(f)));
    if (outside.length > 0) return refuse(sharingErrors.field_not_allowed, outside.join(', '));
    if (operation === 'transfer' && r.basis.type !== 'consent')
      return refuse(sharingErrors.wrong_basis, 'transfer needs consent');
    if (partner.region !== deps.residencyRegion) {
      const crossBorder = (await consent.of(r.subjectId)).some(
        (c) => c.kind === 'cross-border' && c.recipientId === partner.slug && counts(c),
      );
      if (!crossBorder) return refuse(sharingErrors.cross_border, `${partner.slug} is in ${partner.region}`);
    }
    const recipient = { type: 'partner', id: partner.slug };
    return vault.readFor(
      {
        subjectId: r.subjectId,
        actor: { type: 'partner', id: partner.slug, label: `partner:${partner.slug}` },
        purpose: r.purpose,
        basis: r.basis,
        fields: r.fields,
        ...(r.requestId ? { requestId: r.requestId } : {}),
      },
      {
        operation,
        consentKind: operation,
        recipient,
        ...(r.supplied ? { supplied: r.supplied } : {}),
        within: (q) =>
          audit
            .append(q, {
              actor: auditActor(r.by),
              action: `sharing.${operation}`,
              subject: { type: 'person', id: r.subjectId },
              purpose: r.purpose,
              legalBasis: r.basis.type,
              clause: operation === 'transfer' ? 'P5.2' : clauseOfShare(r.basis),
              detail: { partner: partner.slug, agreement: partner.agreementRef, fields: sent },
              requestId: r.requestId ?? null,
            })
            .then(() => undefined),
      },
    );
  }

  return {
    async registerPartner(p, by) {
      const bad =
        !/^[a-z0-9-]{2,60}$/.test(p.slug) ||
        !p.agreementRef.trim() ||
        p.allowedCategories.length === 0 ||
        p.allowedCategories.some((c) => !Object.hasOwn(categorySpecs, c)) ||
        p.allowedPurposes.length === 0 ||
        p.allowedPurposes.some((x) => !isPurpose(x));
      if (bad) throw new AppError(sharingErrors.invalid_partner);
      return db.tx(async (q) => {
        const row = await repo.insertPartner(q, p);
        await audit.append(q, {
          actor: auditActor(by),
          action: 'sharing.partner_registered',
          subject: { type: 'partner', id: row.slug },
          clause: 'P5.1.4',
          detail: {
            agreement: p.agreementRef,
            region: p.region,
            categories: p.allowedCategories as Category[],
          },
        });
        return row;
      });
    },

    partners: () => repo.listPartners(db),
    share: (r) => toPartner(r, 'share'),
    transfer: (r) => toPartner(r, 'transfer'),

    async disclose(r) {
      if (r.restrictedUntil && r.restrictedUntil.getTime() <= clock.now()) {
        throw new AppError(sharingErrors.restriction_needs_end);
      }
      const visibleFrom = r.restrictedUntil ?? null;
      return vault.readFor(
        {
          subjectId: r.subjectId,
          actor: { type: 'system', id: r.order.authority, label: `authority:${r.recipient}` },
          purpose: 'legal-obligation',
          basis: { type: 'legal-obligation', authority: r.order.authority, reference: r.order.reference },
          fields: r.fields,
          ...(r.requestId ? { requestId: r.requestId } : {}),
        },
        {
          operation: 'disclose',
          hiddenUntil: visibleFrom,
          within: async (q) => {
            await deps.notify.enqueue(q, {
              subjectId: r.subjectId,
              template: 'disclosure-notice',
              params: { time: beijingMinute(clock.date()), recipient: r.recipient },
              locale: r.locale ?? 'zh-CN',
              due: visibleFrom ?? undefined,
            });
            await audit.append(q, {
              actor: auditActor(r.by),
              action: 'sharing.disclosed',
              subject: { type: 'person', id: r.subjectId },
              purpose: 'legal-obligation',
              legalBasis: `order:${r.order.authority}:${r.order.reference}`,
              clause: 'P5.3.3',
              detail: { fields: r.fields, restrictedUntil: visibleFrom?.toISOString() ?? null },
              requestId: r.requestId ?? null,
            });
          },
        },
      );
    },
  };
}

function clauseOfShare(b: Basis): string {
  if (b.type === 'consent') return 'P5.1.1';
  if (b.type === 'legal-obligation') return 'P5.1.2';
  if (b.type === 'dispute') return 'P5.1.3';
  return 'P5.1.4';
}

/**
 * Delivery by post (P2.4): a person gives a contact for one application; only the
 * department of that service reads it, for that application; it is deleted on schedule.
 *
 * Rules (each refusal names its code):
 *   declared     P2.3   the service's registration says it posts results (not_offered)
 *   returned     —      the browser goes back only to a redirect URI the service registered
 *   one-app      P2.4   the contact is written in the delivery's own vault compartment: no other
 *                       read (the person's profile, another application) can see it
 *   department   P2.4   only a service of the same department reads it (not_found otherwise,
 *                       so a department cannot probe for other departments' deliveries)
 *   recorded     P5.3.3 each department read goes through the vault with purpose
 *                       offline-delivery: the person sees it in "who accessed my data"
 *   retention    P6.2   erased 30 days after the department closes it, 180 days after given
 *                       at the latest, or when the person deletes it (P8.1); then `erased`
 *   lifecycle    —      every change of a delivery follows delivery.lifecycle.ts
 */
import type { Database } from '../../kernel/db/database.ts';
import { AppError, fieldProblems, httpErrors } from '../../kernel/errors.ts';
import type { AuditService } from '../audit/index.ts';
import type { RelyingParty, RelyingPartyRegistry } from '../catalogue/index.ts';
import type { Actor, VaultService } from '../vault/index.ts';
import {
  contactInput,
  DAYS_AFTER_CLOSE,
  MAX_OPEN_DAYS,
  returnUrl,
  compartmentOf,
  type Contact,
  type DeliveryAsk,
} from './delivery.ts';
import { deliveryErrors } from './delivery.errors.ts';
import { deliveryLifecycle } from './delivery.lifecycle.ts';
import * as repo from './delivery.repository.ts';

export interface DeliveryView {
  id: string;
  clientId: string;
  serviceName: Record<string, string>;
  departmentName: Record<string, string>;
  application: string;
  givenAt: Date;
  releasedAt: Date | null;
  closedAt: Date | null;
  deleteAfter: Date;
  erasedAt: Date | null;
  erasedBy: 'retention' | 'person' | null;
  /** The person's own view of what they gave; absent once erased. */
  contact?: Contact;
}

/** What the department's back end receives. */
export interface DeliveryRelease {
  id: string;
  application: string;
  /** The person, by the pairwise `sub` this department knows them by. */
  sub: string;
  contact: Contact;
  givenAt: Date;
  closedAt: Date | null;
  deleteAfter: Date;
}

export interface DeliveryService {
  /** Checks a department's ask before the page is shown; returns the service. */
  check(ask: DeliveryAsk): Promise<RelyingParty>;
  give(
    subjectId: string,
    ask: DeliveryAsk,
    contact: unknown,
    requestId?: string,
  ): Promise<{ id: string; returnTo: string }>;
  /** Where the browser goes when the person declines (the service learns only "denied"). */
  decline(ask: DeliveryAsk): Promise<string>;
  release(caller: RelyingParty, id: string, requestId?: string): Promise<DeliveryRelease>;
  close(caller: RelyingParty, id: string, requestId?: string): Promise<{ deleteAfter: Date }>;
  mine(subjectId: string): Promise<DeliveryView[]>;
  erase(subjectId: string, id: string, requestId?: string): Promise<void>;
  /** Erases every delivery whose retention has ended; returns how many. */
  /**
   * Erases deliveries past their retention; `held` (P6.2.hold): the people a legal hold keeps
   * delivery data for, or `everyone` when a hold keeps the category for all.
   */
  sweep(held?: readonly string[] | 'everyone'): Promise<number>;
}

const personActor = (subjectId: string): Actor => ({ type: 'self', id: subjectId, label: 'self' });

export function createDeliveryService(deps: {
  db: Database;
  audit: AuditService;
  vault: VaultService;
  registry: RelyingPartyRegistry;
  /** The pairwise `sub` of a person for a department (the OpenID provider's rule). */
  subjectFor: (departmentSlug: string, subjectId: string) => string;
}): DeliveryService {
  const { db, audit, vault, registry } = deps;

  const check = async (ask: DeliveryAsk): Promise<RelyingParty> => {
    const rp = await registry.find(ask.client_id);
    if (!rp) throw new AppError(deliveryErrors.unknown_service, ask.client_id);
    if (!rp.redirectUris.includes(ask.redirect_uri))
      throw new AppError(deliveryErrors.redirect_not_registered);
    if (!rp.offlineDelivery) throw new AppError(deliveryErrors.not_offered, rp.clientId);
    return rp;
  };

  /** Ids come from URLs: anything not shaped like one is simply not found. */
  const byId = async (id: string) => (/^[0-9a-f-]{36}$/i.test(id) ? repo.find(db, id) : undefined);

  /** The delivery, if it belongs to a service of the caller's department. */
  const ofDepartment = async (caller: RelyingParty, id: string): Promise<repo.DeliveryRow> => {
    const row = await byId(id);
    const owner = row && (await registry.find(row.client_id));
    if (!row || owner?.departmentSlug !== caller.departmentSlug) throw new AppError(deliveryErrors.not_found);
    if (row.erased_at) throw new AppError(deliveryErrors.erased);
    return row;
  };

  const departmentActor = (caller: RelyingParty): Actor => ({
    type: 'department',
    id: caller.clientId,
    label: `department:${caller.departmentSlug}`,
  });

  const eraseOne = async (row: repo.DeliveryRow, by: 'retention' | 'person', requestId?: string) =>
    db.tx(async (q) => {
      const event = by === 'person' ? 'erase' : 'expire';
      deliveryLifecycle.next(row.state, event); // delivery.erased once erased
      if (!(await repo.markErased(q, row.id, by, deliveryLifecycle.statesAllowing(event)))) return false;
      await vault.eraseCompartment(
        row.subject_id,
        compartmentOf(row.id),
        {
          actor:
            by === 'person'
              ? personActor(row.subject_id)
              : { type: 'system', id: 'retention', label: 'system' },
          reason: by === 'person' ? 'person-request' : 'retention-ended',
          clause: by === 'person' ? 'P8.1' : 'P6.2',
        },
        q,
      );
      await audit.append(q, {
        actor:
          by === 'person' ? { type: 'citizen', id: row.subject_id } : { type: 'system', id: 'retention' },
        action: 'delivery.contact_erased',
        subject: { type: 'person', id: row.subject_id },
        purpose: 'erasure',
        clause: by === 'person' ? 'P8.1' : 'P6.2',
        detail: { delivery: row.id, service: row.client_id, by },
        requestId: requestId ?? null,
      });
      return true;
    });

  return {
    check,

    async give(subjectId, ask, input, requestId) {
      const rp = await check(ask);
      const parsed = contactInput.safeParse(input);
      if (!parsed.success) {
        throw new AppError(
          httpErrors.invalid_request,
          'the contact is incomplete',
          fieldProblems(parsed.error),
        );
      }
      const row = await db.tx(async (q) => {
        const r = await repo.insert(q, {
          subjectId,
          clientId: rp.clientId,
          application: ask.application,
          openDays: MAX_OPEN_DAYS,
        });
        await vault.write(
          subjectId,
          { delivery_contact: JSON.stringify(parsed.data) },
          {
            source: 'user',
            purpose: 'offline-delivery',
            actor: personActor(subjectId),
            compartment: compartmentOf(r.id),
            ...(requestId ? { requestId } : {}),
          },
          q,
        );
        await audit.append(q, {
          actor: { type: 'citizen', id: subjectId },
          action: 'delivery.contact_given',
          subject: { type: 'person', id: subjectId },
          purpose: 'offline-delivery',
          clause: 'P2.4',
          detail: { delivery: r.id, service: rp.clientId, application: ask.application },
          requestId: requestId ?? null,
        });
        return r;
      });
      return { id: row.id, returnTo: returnUrl(ask, { delivery: row.id }) };
    },

    async decline(ask) {
      await check(ask);
      return returnUrl(ask, { error: 'access_denied' });
    },

    async release(caller, id, requestId) {
      const row = await ofDepartment(caller, id);
      const { values } = await vault.read({
        subjectId: row.subject_id,
        actor: departmentActor(caller),
        purpose: 'offline-delivery',
        basis: { type: 'necessity', service: compartmentOf(row.id) },
        fields: ['delivery_contact'],
        compartment: compartmentOf(row.id),
        ...(requestId ? { requestId } : {}),
      });
      const value = values.delivery_contact;
      if (!value) throw new AppError(deliveryErrors.erased);
      if (!row.released_at)
        await repo.markReleased(db, row.id, row.state, deliveryLifecycle.next(row.state, 'release'));
      return {
        id: row.id,
        application: row.application_ref,
        sub: deps.subjectFor(caller.departmentSlug, row.subject_id),
        contact: contactInput.parse(JSON.parse(value)),
        givenAt: row.given_at,
        closedAt: row.closed_at,
        deleteAfter: row.delete_after,
      };
    },

    async close(caller, id, requestId) {
      const row = await ofDepartment(caller, id);
      return db.tx(async (q) => {
        deliveryLifecycle.next(row.state, 'close'); // delivery.erased once erased
        const closed = await repo.close(
          q,
          row.id,
          DAYS_AFTER_CLOSE,
          deliveryLifecycle.statesAllowing('close'),
        );
        if (!closed) throw new AppError(deliveryErrors.erased);
        await audit.append(q, {
          actor: { type: 'department', id: caller.clientId },
          action: 'delivery.closed',
          subject: { type: 'person', id: row.subject_id },
          purpose: 'offline-delivery',
          clause: 'P6.2',
          detail: { delivery: row.id, deleteAfter: closed.delete_after.toISOString() },
          requestId: requestId ?? null,
        });
        return { deleteAfter: closed.delete_after };
      });
    },

    async mine(subjectId) {
      const rows = await repo.ofSubject(db, subjectId, 50);
      return Promise.all(
        rows.map(async (r): Promise<DeliveryView> => {
          const rp = await registry.find(r.client_id);
          let contact: Contact | undefined;
          if (!r.erased_at) {
            const { values } = await vault.read({
              subjectId,
              actor: personActor(subjectId),
              purpose: 'offline-delivery',
              basis: { type: 'self' },
              fields: ['delivery_contact'],
              compartment: compartmentOf(r.id),
            });
            if (values.delivery_contact) contact = contactInput.parse(JSON.parse(values.delivery_contact));
          }
          return {
            id: r.id,
            clientId: r.client_id,
            serviceName: rp?.serviceName ?? { 'zh-CN': r.client_id, en: r.client_id, cs: r.client_id },
            departmentName: rp?.departmentName ?? { 'zh-CN': '', en: '', cs: '' },
            application: r.application_ref,
            givenAt: r.given_at,
            releasedAt: r.released_at,
            closedAt: r.closed_at,
            deleteAfter: r.delete_after,
            erasedAt: r.erased_at,
            erasedBy: r.erased_by,
            ...(contact ? { contact } : {}),
          };
        }),
      );
    },

    async erase(subjectId, id, requestId) {
      const row = await byId(id);
      if (!row || row.subject_id !== subjectId) throw new AppError(deliveryErrors.not_found);
      if (row.erased_at) throw new AppError(deliveryErrors.erased);
      await eraseOne(row, 'person', requestId);
    },

    async sweep(held = []) {
      if (held === 'everyone') return 0;
      let total = 0;
      for (;;) {
        // Each delivery in its own transaction: one failure does not hold the others back.
        const batch = await repo.due(db, 200, held);
        for (const row of batch) if (await eraseOne(row, 'retention')) total += 1;
        if (batch.length < 200) return total;
      }
    },
  };
}

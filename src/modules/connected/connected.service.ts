/**
 * Connected services: which services hold the person's data or a door to it, and
 * disconnecting one (issue 14 item 2; ADR 0038).
 *
 * Rules:
 * - P8.1.view a service is connected when the person granted it sign-in (a provider grant),
 *   gave it a consent (recipient `department:<client id>`), or it received data (an allowed
 *   entry of the access log with the service as actor). Each shows what it received (the
 *   fields of the log, the scopes of the grants), under which consent, when it was granted
 *   and last used, and the service's policy link (the relying-party registry). Built from
 *   the owners' doors only: the provider's grants through the `ServiceGrants` port, the log
 *   through the vault, consents through the consent module; nothing here reads their tables.
 * - P8.5.withdraw disconnecting withdraws every active consent naming the service, revokes
 *   every grant of the person to it with its codes and tokens, takes it out of the person's
 *   provider sessions, and records `connected.service_disconnected`: one transaction, so a
 *   failure leaves the service as connected as before. The service is told by back-channel
 *   logout once committed (retried by the job `oidc.backchannel-logout`).
 * - A service the person is not connected to is `connected.unknown_service` (404), whether
 *   or not it exists: the page cannot be used to probe the registry.
 * - Only the person (or, for account closure, staff or the platform) disconnects; the
 *   person's own id is the only one their pages pass.
 */
import type { Database, Queryable } from '../../kernel/db/database.ts';
import { AppError } from '../../kernel/errors.ts';
import { defaultLocale, type Locale } from '../../kernel/locale.ts';
import { auditActor, type AuditService } from '../audit/index.ts';
import type { RelyingPartyRegistry } from '../catalogue/index.ts';
import { isActive, type ConsentRecord, type ConsentService } from '../consent/index.ts';
import type { VaultService } from '../vault/index.ts';
import { connectedErrors } from './connected.errors.ts';

/** One service as the person sees it and as account closure reads it. */
export interface ConnectedService {
  clientId: string;
  /** In the language asked for (default zh-CN); `names` has every language. */
  name: string;
  names: Record<string, string>;
  policyUrl: string | null;
  /** Field codes it received (access log) and scopes it was granted (without `openid`). */
  received: string[];
  /** The data categories of what it received or was consented. */
  categories: string[];
  /** The newest active consent naming it; else the newest its data was released under. */
  consentId: string | null;
  /** Every consent naming it, newest first, with whether it is still active. */
  consents: { id: string; purpose: string; categories: string[]; givenAt: Date; active: boolean }[];
  grantedAt: Date | null;
  lastUsedAt: Date | null;
  /** Whether it holds a grant now (it can still sign the person in without asking). */
  granted: boolean;
}

/** A provider grant of the person to one service (src/oidc/service-grants.ts). */
export interface ServiceGrant {
  clientId: string;
  scopes: string[];
  grantedAt: Date | null;
}

export interface Disconnected {
  /** Provider sessions the service was taken out of. */
  sessions: number;
  /** Grant, code and token rows deleted. */
  rows: number;
  /** Tells the service by back-channel logout; run after the caller commits. */
  tell: () => Promise<void>;
}

/** The provider's side (the OpenID provider implements it; modules know nothing of its storage). */
export interface ServiceGrants {
  of(q: Queryable, subjectId: string): Promise<ServiceGrant[]>;
  disconnect(q: Queryable, subjectId: string, clientId: string): Promise<Disconnected>;
}

/** No single sign-on (module tests without a provider): no grants. */
export const noServiceGrants: ServiceGrants = {
  of: async () => [],
  disconnect: async () => ({ sessions: 0, rows: 0, tell: async () => undefined }),
};

export interface Connected {
  services(personId: string, locale?: Locale): Promise<ConnectedService[]>;
  /**
   * Disconnects one service: consents withdrawn, grants and tokens revoked, the service
   * told. `by` defaults to the person; closure passes staff or the platform.
   */
  disconnect(
    personId: string,
    clientId: string,
    opts?: {
      by?: { type: 'self' | 'staff' | 'system'; id: string };
      requestId?: string;
      clause?: 'P8.5.withdraw' | 'P8.5.cancel';
    },
  ): Promise<{ consents: number; sessions: number; rows: number }>;
}

const names = (n: Record<string, string> | undefined, id: string) => n ?? { 'zh-CN': id, en: id, cs: id };

export function createConnectedService(deps: {
  db: Database;
  audit: AuditService;
  consent: ConsentService;
  vault: VaultService;
  registry: RelyingPartyRegistry;
  grants: ServiceGrants;
}): Connected {
  const { db, audit, consent, vault, registry, grants } = deps;

  const namesConsent = (c: ConsentRecord, clientId: string) =>
    c.recipientType === 'department' && c.recipientId === clientId;

  // policy: P8.1.view — every service with a grant, a consent or a release, with what it received.
  async function services(personId: string, locale: Locale = defaultLocale): Promise<ConnectedService[]> {
    const [held, consents, received, parties] = await Promise.all([
      grants.of(db, personId),
      consent.of(personId),
      vault.recipients(personId, ['department']),
      registry.list(),
    ]);
    const ids = new Set<string>([
      ...held.map((g) => g.clientId),
      ...consents.filter((c) => c.recipientType === 'department' && c.recipientId).map((c) => c.recipientId!),
      // A department actor that is no registered service (a department's own staff) is not one.
      ...received.filter((r) => parties.some((p) => p.clientId === r.actorId)).map((r) => r.actorId),
    ]);
    const out: ConnectedService[] = [];
    for (const clientId of ids) {
      const rp = parties.find((p) => p.clientId === clientId);
      const grant = held.find((g) => g.clientId === clientId);
      const log = received.find((r) => r.actorId === clientId);
      const mine = consents
        .filter((c) => namesConsent(c, clientId))
        .sort((a, b) => b.givenAt.getTime() - a.givenAt.getTime());
      const active = mine.find((c) => isActive(c));
      const scopes = (grant?.scopes ?? []).filter((s) => s !== 'openid');
      const n = names(rp?.serviceName, clientId);
      out.push({
        clientId,
        name: n[locale] ?? clientId,
        names: n,
        policyUrl: rp?.policyUrl ?? null,
        received: [...new Set([...(log?.fields ?? []), ...scopes])],
        categories: [...new Set([...(log?.categories ?? []), ...(active?.categories ?? [])])],
        consentId: active?.id ?? log?.consentIds[0] ?? mine[0]?.id ?? null,
        consents: mine.map((c) => ({
          id: c.id,
          purpose: c.purpose,
          categories: c.categories,
          givenAt: c.givenAt,
          active: isActive(c),
        })),
        grantedAt: grant?.grantedAt ?? mine[mine.length - 1]?.givenAt ?? null,
        lastUsedAt: log?.lastAt ?? null,
        granted: grant !== undefined,
      });
    }
    // The one used last first; never used (only granted) after, by when granted.
    return out.sort(
      (a, b) =>
        (b.lastUsedAt?.getTime() ?? 0) - (a.lastUsedAt?.getTime() ?? 0) ||
        (b.grantedAt?.getTime() ?? 0) - (a.grantedAt?.getTime() ?? 0),
    );
  }

  return {
    services,

    // policy: P8.5.withdraw — its consents withdrawn, its grants and tokens revoked, it is told.
    async disconnect(personId, clientId, opts = {}) {
      const by = opts.by ?? { type: 'self' as const, id: personId };
      const known = (await services(personId)).find((s) => s.clientId === clientId);
      if (!known) throw new AppError(connectedErrors.unknown_service);
      const result = await db.tx(async (q) => {
        const active = (await consent.of(personId)).filter((c) => namesConsent(c, clientId) && isActive(c));
        for (const c of active) await consent.withdraw(c.id, by, opts.requestId, q);
        const done = await grants.disconnect(q, personId, clientId);
        await audit.append(q, {
          actor: auditActor(by),
          action: 'connected.service_disconnected',
          subject: { type: 'person', id: personId },
          purpose: 'service-provision',
          legalBasis: 'consent',
          clause: opts.clause ?? 'P8.5.withdraw',
          detail: {
            clientId,
            consents: active.map((c) => c.id),
            sessions: done.sessions,
            revokedRows: done.rows,
          },
          requestId: opts.requestId ?? null,
        });
        return { consents: active.length, ...done };
      });
      await result.tell();
      return { consents: result.consents, sessions: result.sessions, rows: result.rows };
    },
  };
}
